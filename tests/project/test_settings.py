"""Malformed or unsafe environment variables stop Juru at start-up with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("JURU_")}
    full_env.update({"JURU_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='juru.project.settings'; django.setup()",
        ],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_a_missing_secret_key(tmp_path: Path) -> None:
    result = _start(tmp_path, JURU_PRODUCTION="true")
    assert result.returncode != 0
    assert "JURU_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_default_secret_key(tmp_path: Path) -> None:
    result = _start(tmp_path, JURU_PRODUCTION="true", JURU_SECRET_KEY="change-me", JURU_ENCRYPTION_KEY="x")
    assert "JURU_SECRET_KEY must be set" in result.stderr


def test_junk_boolean_is_named(tmp_path: Path) -> None:
    result = _start(tmp_path, JURU_DEBUG="maybe")
    assert result.returncode != 0
    assert "JURU_DEBUG must be true or false" in result.stderr


def test_junk_database_url_is_named(tmp_path: Path) -> None:
    result = _start(tmp_path, JURU_DATABASE_URL="mysqlx://nope")
    assert result.returncode != 0
    assert "JURU_DATABASE_URL" in result.stderr


def test_secret_read_from_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "key"
    secret_file.write_text("s" * 60)
    result = _start(tmp_path, JURU_PRODUCTION="true", JURU_SECRET_KEY_FILE=str(secret_file), JURU_ENCRYPTION_KEY="k")
    assert result.returncode == 0, result.stderr


def test_unreadable_secret_file_is_named(tmp_path: Path) -> None:
    result = _start(tmp_path, JURU_SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert "JURU_SECRET_KEY_FILE points at" in result.stderr


def test_first_start_generates_secrets_into_the_data_dir(tmp_path: Path) -> None:
    result = _start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "juru_secret_key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "juru_encryption_key").exists()


@pytest.mark.parametrize("value", ["yes", "TRUE", "1"])
def test_boolean_words_accepted(tmp_path: Path, value: str) -> None:
    assert _start(tmp_path, JURU_DEBUG=value).returncode == 0


def test_csp_header_has_no_placeholder_sources() -> None:
    from django.test import Client

    response = Client().get("/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "'nonce'" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_junk_api_rate_limit_is_named(tmp_path: Path) -> None:
    result = _start(tmp_path, JURU_API_RATE_LIMIT="lots please")
    assert result.returncode != 0
    assert "JURU_API_RATE_LIMIT" in result.stderr
