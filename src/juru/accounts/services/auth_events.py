"""Login successes and failures go to the audit log (connected to Django's auth signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from juru.audit.services import record


def _client(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", ""), "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


def record_login_success(*, user: AbstractBaseUser, request: HttpRequest | None = None) -> None:
    """Audit a successful password login."""
    record(action="auth.login", actor=user, organisation=None, obj=user, after=_client(request))


def record_login_failure(*, username: str, request: HttpRequest | None = None) -> None:
    """Audit a failed login attempt under the username that was tried."""
    record(
        action="auth.login_failed",
        actor=None,
        organisation=None,
        actor_label=f"anonymous:{username[:150]}" if username else "anonymous",
        after=_client(request) | {"username": username[:150]},
    )


def on_user_logged_in(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    """Signal receiver for ``user_logged_in``."""
    if user is not None:
        record_login_success(user=user, request=request)


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Signal receiver for ``user_login_failed`` (credentials arrive with the password masked)."""
    username = str((credentials or {}).get("username", ""))
    record_login_failure(username=username, request=request)
