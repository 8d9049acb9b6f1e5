"""Sign-in events go to the audit log, once for each organisation the person belongs to.

An organisation's auditor sees the sign-ins, failures, second-factor refusals and sign-outs of its
own members; attempts on unknown usernames are recorded with no organisation.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from juru.accounts.models import Member, Organisation
from juru.audit.services import append, prepare
from juru.project.client_address import client_address


def _client(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    return {"ip": client_address(request) or "", "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


def _organisations_of(user: AbstractBaseUser | None) -> list[Organisation | None]:
    """The organisations whose auditors should see this person's sign-in events (None: nobody's)."""
    if user is None:
        return [None]
    user_id: Any = user.pk
    members = Member.objects.filter(user_id=user_id, is_active=True).select_related("organisation")
    return [m.organisation for m in members.order_by("organisation_id")] or [None]


def record_for_each_organisation(
    *,
    action: str,
    user: AbstractBaseUser | None,
    after: dict[str, Any] | None = None,
    actor: AbstractBaseUser | None = None,
    actor_label: str | None = None,
) -> None:
    """Audit an event about a person once under each of their organisations (sign-in, 2FA)."""
    events = [
        prepare(action=action, actor=actor, organisation=org, obj=user, after=after, actor_label=actor_label)
        for org in _organisations_of(user)
    ]
    append(events)


def record_login_success(*, user: AbstractBaseUser, request: HttpRequest | None = None) -> None:
    """Audit a completed sign-in."""
    record_for_each_organisation(action="auth.login", user=user, actor=user, after=_client(request))


def record_login_failure(*, username: str, request: HttpRequest | None = None) -> None:
    """Audit a failed password under the username that was tried (the password is never kept)."""
    username = username[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    record_for_each_organisation(
        action="auth.login_failed",
        user=user,
        actor_label=f"anonymous:{username}" if username else "anonymous",
        after=_client(request) | {"username": username},
    )


def record_second_factor_refused(
    *, user: AbstractBaseUser, method: str, throttled: bool, request: HttpRequest | None = None
) -> None:
    """Audit a wrong or throttled authenticator or recovery code after a correct password."""
    action = "auth.second_factor_throttled" if throttled else "auth.second_factor_failed"
    record_for_each_organisation(action=action, user=user, actor=user, after=_client(request) | {"method": method})


def record_logout(*, user: AbstractBaseUser, request: HttpRequest | None = None) -> None:
    """Audit a sign-out."""
    record_for_each_organisation(action="auth.logout", user=user, actor=user, after=_client(request))


def on_user_logged_in(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    """Signal receiver for ``user_logged_in``."""
    if user is not None:
        record_login_success(user=user, request=request)


def on_user_logged_out(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    """Signal receiver for ``user_logged_out`` (``user`` is None when the session had nobody)."""
    if user is not None:
        record_logout(user=user, request=request)


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Signal receiver for ``user_login_failed`` (credentials arrive with the password masked)."""
    username = str((credentials or {}).get("username", ""))
    record_login_failure(username=username, request=request)
