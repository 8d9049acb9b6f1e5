"""Fixtures for connector tests, including the real Bluesky reference server (marker ``bluesky``).

``bsky_pds`` installs node 22 and ``@atproto/pds`` into ``${JURU_CACHE_DIR:-~/.cache/juru}/bsky-peer``
on first use (a few minutes; later runs reuse it), starts an in-memory PLC and the PDS on free
loopback ports, and stops them when the session ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from juru.connectors.base import Credentials

PEER = Path(__file__).parent / "pds" / "peer.sh"
INSTALL_TIMEOUT = 20 * 60
START_TIMEOUT = 120
STOP_TIMEOUT = 15
PASSWORD = "juru-test-password-1"


@dataclass(frozen=True)
class Pds:
    """A running PDS: where it listens and how to make accounts on it."""

    url: str
    timings: dict[str, float]

    def create_account(self, prefix: str = "j") -> Credentials:
        """A fresh account (no invite needed); its password is in ``secret``."""
        handle = f"{prefix}{uuid.uuid4().hex[:10]}.test"
        body = {"handle": handle, "email": f"{handle}@example.test", "password": PASSWORD}
        response = httpx.post(f"{self.url}/xrpc/com.atproto.server.createAccount", json=body, timeout=30)
        response.raise_for_status()
        return Credentials(handle=handle, secret=PASSWORD, extra={"did": response.json()["did"]})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _install() -> float:
    if not shutil.which("npm"):
        pytest.fail("npm is needed to install the Bluesky reference server (apt-get install -y npm)")
    started = time.monotonic()
    try:
        done = subprocess.run(
            ["bash", str(PEER), "install"], capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"installing the Bluesky reference server took more than {INSTALL_TIMEOUT} s")
    if done.returncode != 0:
        pytest.fail(f"installing the Bluesky reference server failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.monotonic() - started


def _wait_ready(process: subprocess.Popen[str], url: str) -> list[str]:
    """Read the server's output until it says it is ready; then check _health answers."""
    lines: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("PDS ready"):
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while not ready.wait(0.2):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            pytest.fail("the Bluesky reference server did not start:\n" + "".join(lines[-50:]))
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/xrpc/_health", timeout=2).status_code == 200:
                return lines
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    _stop(process)
    pytest.fail("the Bluesky reference server never answered /xrpc/_health")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture(scope="session")
def bsky_pds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pds]:
    """The reference ``@atproto/pds`` (PDS-only mode: no AppView) on 127.0.0.1, for this session."""
    install_seconds = _install()
    plc_port, pds_port = _free_port(), _free_port()
    env = {**os.environ, "PLC_PORT": str(plc_port), "PDS_PORT": str(pds_port)}
    started = time.monotonic()
    process = subprocess.Popen(
        ["bash", str(PEER), "run", str(tmp_path_factory.mktemp("pds"))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # our own process group, so teardown stops node and nothing else
    )
    url = f"http://localhost:{pds_port}"
    _wait_ready(process, url)
    timings = {"install_s": round(install_seconds, 1), "start_s": round(time.monotonic() - started, 1)}
    try:
        yield Pds(url=url, timings=timings)
    finally:
        _stop(process)


@pytest.fixture
def bsky_account(bsky_pds: Pds) -> Callable[..., Credentials]:
    """Make fresh accounts on the session's PDS."""
    return bsky_pds.create_account
