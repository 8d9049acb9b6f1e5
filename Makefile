# Juru: `make run` starts everything on SQLite with a demo organisation; `make test` checks it all.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
JURU := $(BIN)/juru
HOST ?= 127.0.0.1
PORT ?= 8000
export JURU_DATA_DIR ?= $(CURDIR)/var
# Django apps (tests that need a database); they run a second time on PostgreSQL when
# JURU_TEST_DATABASE_URL is set.
DB_TESTS := tests/security tests/accounts tests/governance tests/audit tests/ops tests/publishing tests/sandbox tests/web tests/project tests/listening tests/advocacy tests/goals tests/crisis tests/moderation tests/inbox tests/replies

.PHONY: help venv run test lint typecheck bench train lock clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

venv: $(VENV)/.installed ## create the virtual environment and install Juru into it

run: venv ## set up on first start, then run web + worker + scheduler at http://$(HOST):$(PORT)
	$(JURU) migrate --no-input -v 0
	$(JURU) demo --if-missing
	$(JURU) run --host $(HOST) --port $(PORT)

lint: venv ## ruff, mypy and the architecture contracts
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint ## everything: lint, then the whole suite on SQLite (and, beside it, PostgreSQL when configured)
	BIN=$(BIN) DB_TESTS="$(wildcard $(DB_TESTS))" scripts/test_passes.sh

bench: venv ## performance and quality benchmarks (writes bench/results/*.json)
	$(BIN)/python bench/scan.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/report.py

train: venv ## retrain the shipped classifiers from ../shared/datasets
	$(JURU) train --all

lock: ## refresh requirements.lock from pyproject.toml in a scratch environment
	rm -rf /tmp/juru-lock && $(PYTHON) -m venv /tmp/juru-lock
	/tmp/juru-lock/bin/pip install -q -U pip && /tmp/juru-lock/bin/pip install -q -e '.[dev]'
	/tmp/juru-lock/bin/pip freeze --exclude-editable | grep -v '^juru' > requirements.lock

clean: ## remove the virtual environment and local data
	rm -rf $(VENV) var
