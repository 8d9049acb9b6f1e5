"""A small local HTTP server for connector tests: each test file declares the network's documented
requests and responses as routes; faults (status, headers, delay, dropped connection) are queued."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """What the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering (the "lost response" case)
    after_effect: bool = False  # as a fault: the request takes effect first, then this answer is sent


Handler = Callable[[Request, re.Match[str]], Response]


class LocalAPI:
    """Routes + recorded requests + a queue of faults applied to the next matching requests."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self.requests: list[Request] = []
        self.faults: list[tuple[str, re.Pattern[str], Response]] = []
        self.lock = threading.Lock()
        self.base_url = ""

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.routes.append((method, re.compile(pattern), handler))
            return handler

        return decorate

    def fail_next(self, method: str, pattern: str, response: Response) -> None:
        """The next matching request gets ``response`` (the route still runs first if ``drop`` or ``after_effect``)."""
        self.faults.append((method, re.compile(pattern), response))

    def dispatch(self, request: Request) -> tuple[Response, Response | None]:
        with self.lock:
            self.requests.append(request)
            fault = next((f for f in self.faults if f[0] == request.method and f[1].search(request.path)), None)
            if fault is not None:
                self.faults.remove(fault)
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if method == request.method and match:
                if fault is not None and not (fault[2].drop or fault[2].after_effect):
                    return fault[2], None
                done = handler(request, match)
                if fault is not None and fault[2].after_effect:
                    return fault[2], None  # e.g. a 5xx from the front after the post was created
                return done, fault[2] if fault else None
        return Response(404, {"error": "not found"}), None


def _handler_class(api: LocalAPI) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            request = Request(self.command, url.path, parse_qs(url.query), dict(self.headers.items()), body)
            response, after = api.dispatch(request)
            if after is not None and after.drop:
                self.close_connection = True
                self.connection.close()  # the network did the work but the answer is lost
                return
            if response.delay:
                time.sleep(response.delay)
            payload = json.dumps(response.body).encode() if response.body is not None else b""
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client stopped waiting (a "timeout after sending" fault)

        do_GET = do_POST = do_DELETE = do_PUT = _serve  # noqa: N815

    return _Handler


@contextmanager
def serve(api: LocalAPI) -> Iterator[LocalAPI]:
    """Run ``api`` on a free 127.0.0.1 port for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(api))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
