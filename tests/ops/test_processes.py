"""``juru serve``, ``juru worker`` and ``juru run``: argument handling, and one short real start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from juru.ops.management.commands.run import Command as RunCommand
from juru.ops.management.commands.worker import Command as WorkerCommand


@pytest.fixture
def execv(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append(list(argv)))
    return calls


@pytest.fixture
def no_collectstatic(monkeypatch: pytest.MonkeyPatch) -> None:
    import juru.ops.management.commands.serve as serve

    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)


def test_serve_runs_gunicorn_on_the_wsgi_app(execv: list[list[str]], no_collectstatic: None) -> None:
    call_command("serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "4")
    argv = execv[0]
    assert argv[1:4] == ["-m", "gunicorn", "juru.project.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "4"


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_serve_refuses_bad_ports(execv: list[list[str]], no_collectstatic: None, port: str) -> None:
    with pytest.raises(CommandError, match="port"):
        call_command("serve", "--port", port)
    assert execv == []


def test_worker_passes_celery_options_through(execv: list[list[str]]) -> None:
    WorkerCommand().run_from_argv(["juru", "worker", "--concurrency", "4", "-Q", "publish"])
    argv = execv[0]
    assert argv[1:6] == ["-m", "celery", "-A", "juru.project.celery:app", "worker"]
    assert argv[-4:] == ["--concurrency", "4", "-Q", "publish"]


def test_worker_keeps_an_explicit_loglevel(execv: list[list[str]]) -> None:
    WorkerCommand().run_from_argv(["juru", "worker", "--loglevel", "DEBUG"])
    assert execv[0].count("--loglevel") == 1


def _plan(**options: Any) -> dict[str, list[str]]:
    defaults = {"host": "127.0.0.1", "port": "8000", "workers": 2, "dev": False, "no_worker": False}
    return RunCommand().plan(defaults | options)


def test_run_plans_web_and_worker_with_beat() -> None:
    plan = _plan()
    assert set(plan) == {"web", "worker"}
    assert "gunicorn" in plan["web"]
    assert "-B" in plan["worker"]


def test_run_dev_uses_runserver_without_reloader() -> None:
    web = _plan(dev=True, no_worker=True)["web"]
    assert "runserver" in web
    assert "--noreload" in web


@pytest.mark.parametrize(("options", "message"), [({"port": "x"}, "port"), ({"workers": 0}, "workers")])
def test_run_refuses_bad_arguments(options: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _plan(**options)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_run_serves_healthz_and_stops_everything_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JURU_")} | {"JURU_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "juru.cli", "run", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = _wait_for(f"http://127.0.0.1:{port}/healthz", deadline=time.monotonic() + 60)
        assert body == b'{"status": "ok"}'
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=40) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = process.stdout.read().decode() if process.stdout else ""
    assert f"http://127.0.0.1:{port}/" in output
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)


def _wait_for(url: str, *, deadline: float) -> bytes:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bytes(response.read())
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time")


@pytest.mark.slow
def test_serve_starts_gunicorn_for_real_with_styles_and_without_debug(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JURU_")} | {"JURU_DATA_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "juru.cli", "migrate", "-v", "0"], env=env, check=True, timeout=120)
    command = [sys.executable, "-m", "juru.cli", "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait_for(f"{base}/healthz", deadline=time.monotonic() + 60) == b'{"status": "ok"}'
        assert b"Juru" in _wait_for(f"{base}/login/", deadline=time.monotonic() + 10)
        assert b".topbar" in _wait_for(f"{base}/static/web/juru.css", deadline=time.monotonic() + 10)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/no-such-page/", timeout=5)
        assert missing.value.code == 404
        assert b"URLconf" not in missing.value.read()  # no debug page listing every URL
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
