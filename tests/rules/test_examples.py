"""Every shipped rule's ``match`` and ``ok`` examples, run through the real Scanner."""

from __future__ import annotations

import pytest

from juru.rules import cli
from juru.rules.examples import ExampleRunner, emitted_entities, selected_rules

RULES = selected_rules()
CASES = [
    pytest.param(rule, kind, index, id=f"{rule.id}-{kind}{index}")
    for rule in RULES
    for kind, examples in (("match", rule.match_examples), ("ok", rule.ok_examples))
    for index in range(len(examples))
]


@pytest.fixture(scope="module")
def runner() -> ExampleRunner:
    return ExampleRunner()


@pytest.mark.parametrize(("rule", "kind", "index"), CASES)
def test_shipped_rule_example(runner, rule, kind, index):
    if kind == "match" and not rule.match.entities & emitted_entities():
        pytest.skip(f"no installed detector emits {', '.join(sorted(rule.match.entities))} yet")
    example = (rule.match_examples if kind == "match" else rule.ok_examples)[index]
    outcome = runner.run_example(rule, example, kind)
    assert outcome.passed, f"{outcome.problem}; findings: {', '.join(outcome.findings) or 'none'}"


def test_rules_test_command_reports_a_failing_example(capsys, monkeypatch):
    rule = next(r for r in RULES if r.id == "id-pdp.phone")
    broken = type(rule.match_examples[0])(text="tidak ada nomor di sini")
    monkeypatch.setattr(cli, "selected_rules", lambda packs, rules: [_with_examples(rule, broken)])
    assert cli.main(["test", "--rule", "id-pdp.phone"]) == 1
    out = capsys.readouterr().out
    assert "FAIL id-pdp.phone [match]" in out
    assert "rule did not fire" in out
    assert "1 failed" in out


def test_rules_test_command_rejects_unknown_rule(capsys):
    assert cli.main(["test", "--rule", "nope.nothing"]) == 2


def _with_examples(rule, example):
    import dataclasses

    return dataclasses.replace(rule, match_examples=(example,), ok_examples=())
