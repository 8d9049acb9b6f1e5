"""The address of the person behind a request: the one home for it (sign-in lockouts, audit, rate limits, signatures).

Behind ``JURU_TRUSTED_PROXIES`` reverse proxies, ``REMOTE_ADDR`` is the nearest proxy. Each proxy appends
the address it was reached from to ``X-Forwarded-For``, so the client is that many entries from the right;
entries further left were written by the client itself and are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the request carries none."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies: int = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # the proxies did not write the header as configured: fall back to what the server saw
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
