"""Command lines of Juru's processes and a small supervisor for ``juru run``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

WSGI_APP = "juru.project.wsgi:application"
CELERY_APP = "juru.project.celery:app"
# A worker started without ``--queues`` serves them all; at scale, start some with ``--queues listening``.
WORKER_QUEUES = ("celery", "listening")


def gunicorn_argv(host: str, port: int, workers: int, *, access_log: bool = True) -> list[str]:
    """gunicorn serving Juru's WSGI application."""
    argv = [sys.executable, "-m", "gunicorn", WSGI_APP, "--bind", f"{host}:{port}", "--workers", str(workers)]
    argv += ["--timeout", "60", "--graceful-timeout", "20"]
    if access_log:
        argv += ["--access-logfile", "-"]
    return argv


def runserver_argv(host: str, port: int) -> list[str]:
    """Django's development server (no autoreloader: the supervisor owns the process)."""
    return [sys.executable, "-m", "juru.cli", "runserver", f"{host}:{port}", "--noreload"]


def worker_argv(extra: Sequence[str] = (), *, beat: bool = False, schedule_dir: Path | None = None) -> list[str]:
    """A Celery worker; ``beat`` embeds the periodic scheduler (one machine only)."""
    argv = [sys.executable, "-m", "celery", "-A", CELERY_APP, "worker"]
    if not any(arg.startswith(("--loglevel", "-l")) for arg in extra):
        argv += ["--loglevel", "INFO"]
    if not any(arg.startswith(("--queues", "-Q")) for arg in extra):
        argv += ["--queues", ",".join(WORKER_QUEUES)]
    if beat:
        argv.append("-B")
        if schedule_dir is not None:
            argv += ["--schedule", str(schedule_dir / "celerybeat-schedule")]
    return argv + list(extra)


def parse_port(value: str | int) -> int:
    """A TCP port number, or ValueError with a clear message."""
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"port must be a number, not {value!r}") from None
    if not 1 <= port <= 65535:
        raise ValueError(f"port must be between 1 and 65535, not {port}")
    return port


@dataclass
class Supervisor:
    """Start child processes, forward SIGINT/SIGTERM to them, and stop all when one exits."""

    commands: dict[str, list[str]]
    grace_seconds: float = 15.0
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _stopping: bool = False

    def run(self) -> int:
        """Run until a child exits or a signal arrives; returns the exit code to use."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name, argv in self.commands.items():
                # Own process group: a terminal's Ctrl-C reaches us once, and we decide the order.
                self.children[name] = subprocess.Popen(argv, start_new_session=True)
            return self._wait()
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _wait(self) -> int:
        while not self._stopping:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    print(f"juru run: {name} exited with code {code}; stopping the others.", file=sys.stderr)
                    return code or 1
            time.sleep(0.2)
        return 0

    def stop(self) -> None:
        """Ask every running child to stop, then kill whatever is still there after the grace period."""
        alive = [c for c in self.children.values() if c.poll() is None]
        for child in alive:
            # The main process only: gunicorn and Celery stop their own workers gracefully.
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace_seconds
        for child in alive:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()


def _signal_group(child: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, sig)  # the child's whole group, workers included
