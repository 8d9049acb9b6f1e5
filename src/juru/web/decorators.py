"""View decorators: signed in (with the second factor where required) and member of the URL's organisation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from juru.web import twofactor

View = Callable[..., HttpResponse]


def _to_login(request: HttpRequest) -> HttpResponse:
    """Back to the sign-in page; says so when the session ran out rather than never existed."""
    # A cookie whose session holds nothing any more: the session timed out (or was ended elsewhere).
    expired = settings.SESSION_COOKIE_NAME in request.COOKIES and not request.session.keys()
    if expired:
        messages.warning(request, _("Your session has expired. Please sign in again."))
    if getattr(request, "htmx", False):
        response: HttpResponse = HttpResponseClientRedirect(reverse("web:login"))
    else:
        response = redirect_to_login(request.get_full_path(), reverse("web:login"))
    if expired:
        # The stale cookie is dropped so the notice appears once, not on every visit.
        response.delete_cookie(settings.SESSION_COOKIE_NAME)
    return response


def verified_login_required(view: View) -> View:
    """Signed in, and verified with the second factor when the user holds speaking grants."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return _to_login(request)
        if not twofactor.is_verified(user):
            refused = _second_factor_missing(request, user)
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return wrapper


def _second_factor_missing(request: HttpRequest, user: Any) -> HttpResponse | None:
    """The way to the second factor for a session without one, or None if this user needs none."""
    if twofactor.has_two_factor(user):
        # A session that skipped the code (however it was opened) is no session: sign in again.
        auth.logout(request)
        return _to_login(request)
    reason = twofactor.enrolment_reason(user)
    if reason is None:
        return None
    messages.info(request, reason)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(reverse("web:twofactor_setup"))
    return redirect("web:twofactor_setup")


def actor_of(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in user, typed for services (views behind the decorators always have one)."""
    user = request.user
    if not isinstance(user, AbstractBaseUser):
        raise PermissionDenied
    return user


def member_view(view: View) -> View:
    """Resolve ``org_slug`` to the signed-in user's active membership (404 otherwise) as ``member``."""

    @wraps(view)
    @verified_login_required
    def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        from juru.accounts.tenancy import member_for_request

        member = member_for_request(request, org_slug)
        request.member = member  # type: ignore[attr-defined]
        return view(request, member, *args, **kwargs)

    return wrapper
