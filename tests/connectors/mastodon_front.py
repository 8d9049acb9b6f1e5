"""A front for mastodon-mock modelling what it leaves out: keys that expire, and a 5xx after the status was made.

Real Mastodon servers remember an ``Idempotency-Key`` for about an hour; mastodon-mock remembers it
forever, which hides a second post after the window. This front forwards every request to the mock
and, once ``expire_keys()`` has been called, drops the header of keys it has seen before (exactly
what an expired key looks like to the server). ``fail_after_create()`` makes the next status
creation take effect and then answer 500, as a failing reverse proxy in front of Mastodon does, or
answer only after ``delay`` seconds (a client timeout), or not at all (``drop``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

HOP_HEADERS = {"host", "content-length", "connection", "transfer-encoding", "idempotency-key"}


class MastodonFront:
    """Forwarding state: the keys seen, whether they have expired, and faults to apply."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.base_url = ""
        self.seen_keys: set[str] = set()
        self.expired = False
        self.fail_next_create = ""
        self.delay = 0.0
        self.lock = threading.Lock()

    def expire_keys(self) -> None:
        """Every key seen so far is forgotten by the server, as after its window."""
        with self.lock:
            self.expired = True

    def fail_after_create(self, how: str = "500", *, delay: float = 2.0) -> None:
        """The next status creation takes effect, then answers 500, late (``timeout``) or never (``drop``)."""
        with self.lock:
            self.fail_next_create, self.delay = how, delay

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> httpx.Response:
        sent = {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS}
        key = next((v for k, v in headers.items() if k.lower() == "idempotency-key"), "")
        with self.lock:
            if key and not (self.expired and key in self.seen_keys):
                sent["Idempotency-Key"] = key
            self.seen_keys.add(key)
        return httpx.request(method, self.upstream + path, headers=sent, content=body, timeout=10)

    def take_create_fault(self, method: str, path: str) -> str:
        with self.lock:
            hit = self.fail_next_create if method == "POST" and path.split("?")[0] == "/api/v1/statuses" else ""
            if hit:
                self.fail_next_create = ""
            return hit


def _handler(front: MastodonFront) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            answer = front.forward(self.command, self.path, dict(self.headers.items()), body)
            status, payload = answer.status_code, answer.content
            content_type = answer.headers.get("content-type", "application/json")
            fault = front.take_create_fault(self.command, self.path)
            if fault == "drop":
                self.close_connection = True
                self.connection.close()
                return
            if fault == "timeout":
                time.sleep(front.delay)
            elif fault:
                status, payload, content_type = 500, b'{"error": "Internal Server Error"}', "application/json"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in answer.headers.items():
                if name.lower().startswith(("x-ratelimit", "link")):
                    self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up waiting (the "timeout after sending" fault)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _serve  # noqa: N815

    return Handler


@contextmanager
def front_for(upstream: str) -> Iterator[MastodonFront]:
    """Run a front for ``upstream`` on a free loopback port for the duration of the block."""
    front = MastodonFront(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(front))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    front.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield front
    finally:
        server.shutdown()
        server.server_close()
