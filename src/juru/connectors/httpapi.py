"""Shared plumbing for connectors that speak HTTP through httpx: clients, retry hints, transport faults.

Transport faults are mapped by *whether the request may have reached the network*: a refused
connection is a plain failure (safe to retry), but a timeout after sending is ``PENDING`` (the
post may exist), so the publishing workflow reconciles before any retry instead of double-posting.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from juru.connectors.base import Outcome, PublishResult

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
USER_AGENT = "Juru/0.1 (self-hosted social media governance)"


def make_client(base_url: str, client: httpx.Client | None = None) -> httpx.Client:
    """The injected client, or a new one bound to ``base_url`` (tests pass a local server URL)."""
    if client is not None:
        return client
    return httpx.Client(base_url=base_url, timeout=DEFAULT_TIMEOUT, headers={"User-Agent": USER_AGENT})


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait, from ``Retry-After`` (seconds or HTTP date) or a rate-limit reset header."""
    now = time.time() if now is None else now
    lowered = {key.lower(): value for key, value in headers.items()}
    raw = lowered.get("retry-after")
    if raw:
        parsed = _seconds_or_date(raw, now)
        if parsed is not None:
            return parsed
    for name in ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        raw = lowered.get(name)
        if raw:
            parsed = _reset_value(raw, now)
            if parsed is not None:
                return parsed
    return None


def _seconds_or_date(raw: str, now: float) -> float | None:
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(raw).timestamp() - now)
    except (TypeError, ValueError):
        return None


def _reset_value(raw: str, now: float) -> float | None:
    """Reset headers are an epoch (X, Bluesky), an ISO timestamp (Mastodon) or a delta."""
    try:
        value = float(raw)
    except ValueError:
        try:
            return max(0.0, datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp() - now)
        except ValueError:
            return None
    return max(0.0, value - now) if value > 1_000_000_000 else max(0.0, value)


# Raised before a single byte of the request left this machine: the network surely saw nothing.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)


def transport_failure(exc: httpx.HTTPError) -> PublishResult:
    """Map an httpx exception: surely unsent → FAILED (retry); anything else → PENDING (reconcile first).

    A read timeout, a reset or closed connection, a broken answer: the request may have arrived and
    taken effect, so only a lookup (or a person) can say whether sending again is safe.
    """
    if isinstance(exc, _NOT_SENT):
        return PublishResult(Outcome.FAILED, reason=f"network unreachable: {exc.__class__.__name__}")
    return PublishResult(
        Outcome.PENDING, reason=f"no usable answer after sending ({exc.__class__.__name__}); the post may exist"
    )


def unknown_status(status: int) -> bool:
    """A server error (5xx) or an answer outside HTTP's success and client-error classes: the effect is unknown."""
    return not (200 <= status < 300 or 400 <= status < 500)


def json_body(response: httpx.Response) -> dict[str, Any]:
    """The response's JSON object, or an empty dict when the body is not a JSON object."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
