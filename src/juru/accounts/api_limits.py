"""Per-token request limits for the API, counted by the ``limits`` package (memory or Redis storage).

``retry_after``/``count_failure`` use the same machinery for wrong passwords typed inside the app
(signing the policy asks for the password again), so guessing it is as slow as at the sign-in page.

``JURU_API_RATE_LIMIT`` is the rate (e.g. ``120/minute``); ``JURU_RATE_LIMIT_STORAGE`` is where
counts live: ``memory://`` per process by default, ``redis://...`` so that every web process of a
scaled-out installation shares one count.
"""

from __future__ import annotations

import math
import time
from functools import cache

from django.conf import settings
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class RateLimitedError(Exception):
    """The token has used up its requests for the current window; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int, limit: str) -> None:
        super().__init__(limit)
        self.retry_after = retry_after
        self.limit = limit


@cache
def _limiter(storage_uri: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(storage_uri))


@cache
def _rate(text: str) -> RateLimitItem:
    return parse(text)


def charge_token(token_id: object) -> None:
    """Count one request for the token; raise ``RateLimitedError`` once it is over its rate."""
    rate_text = settings.API_RATE_LIMIT
    if not rate_text:
        return
    rate = _rate(rate_text)
    limiter = _limiter(settings.RATE_LIMIT_STORAGE)
    key = str(token_id)  # a public id: never reused, so a new token starts with a fresh count
    if limiter.hit(rate, "api-token", key):
        return
    reset_at = limiter.get_window_stats(rate, "api-token", key).reset_time
    raise RateLimitedError(max(1, math.ceil(reset_at - time.time())), rate_text)


def retry_after(rate_text: str, namespace: str, key: str) -> int:
    """Seconds until ``key`` may try again (0: it may now) under ``rate_text`` in ``namespace``."""
    rate = _rate(rate_text)
    limiter = _limiter(settings.RATE_LIMIT_STORAGE)
    if limiter.test(rate, namespace, key):
        return 0
    reset_at = limiter.get_window_stats(rate, namespace, key).reset_time
    return max(1, math.ceil(reset_at - time.time()))


def count_failure(rate_text: str, namespace: str, key: str) -> None:
    """Count one failed attempt of ``key`` against ``rate_text``."""
    _limiter(settings.RATE_LIMIT_STORAGE).hit(_rate(rate_text), namespace, key)
