"""Sign-in state kept in the session between the password step and the second factor."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

PENDING_KEY = "juru_pending_login"
ENROL_KEY = "juru_enrol_device"
CODES_KEY = "juru_new_recovery_codes"
CODES_NEXT_KEY = "juru_new_recovery_codes_next"
# A password step is good for ten minutes; after that the user starts again.
PENDING_SECONDS = 600


def safe_next(request: HttpRequest, url: str | None) -> str:
    """The ``next`` URL if it stays on this site, else an empty string."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return ""


def start_pending(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> None:
    """Remember that ``user`` passed the password step (a new session key against fixation)."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "at": time.time(), "next": next_url}


def pending_user(request: HttpRequest) -> AbstractBaseUser | None:
    """The user who passed the password step recently, or None."""
    data: dict[str, Any] | None = request.session.get(PENDING_KEY)
    if not data or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    return user


def pending_next(request: HttpRequest) -> str:
    """Where to go after the second factor."""
    data = request.session.get(PENDING_KEY) or {}
    return str(data.get("next") or "")


def clear_pending(request: HttpRequest) -> None:
    """Forget the password step."""
    request.session.pop(PENDING_KEY, None)
