"""Which language a page is in.

Signed in: the language the person chose with the header's switcher (kept with their user), else the
choice made on this device before signing in (the language cookie), else the organisation's default.
Before sign-in: the language cookie, else Indonesian. The browser's Accept-Language is ignored, so an
English browser still opens Juru in Indonesian. Only the API (programs) and the sandbox network (a
stand-in for an outside site) negotiate the language from the request headers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from juru.accounts import queries

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)
NEGOTIATED_PREFIXES = ("/api/", "/sandbox/")


def supported(language: str | None) -> str | None:
    """The language if Juru offers it, else None."""
    return language if language in SUPPORTED else None


def _activate(request: HttpRequest, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]  # Django's own convention


def _organisation_language(request: HttpRequest, user: Any, org_slug: str | None) -> str | None:
    """The default language of the organisation in view (or the person's first one), if they are a member."""
    # Read once a request: without a choice of their own, both the person's first organisation and the
    # one in the address are asked for.
    found: list[tuple[str, str]] | None = getattr(request, "juru_organisation_languages", None)
    if found is None:
        found = queries.organisation_languages(user)
        request.juru_organisation_languages = found  # type: ignore[attr-defined]
    for slug, language in found:
        if org_slug is None or slug == org_slug:
            return language
    return None


class LanguageMiddleware:
    """Activates the page language; must come after the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.juru_language_chosen = False  # type: ignore[attr-defined]
        _activate(request, self._language(request))
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def _language(self, request: HttpRequest) -> str:
        if request.path_info.startswith(NEGOTIATED_PREFIXES):
            return translation.get_language_from_request(request)
        on_device = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return on_device or settings.LANGUAGE_CODE
        chosen = supported(queries.chosen_language(user)) or on_device
        request.juru_language_chosen = chosen is not None  # type: ignore[attr-defined]
        return chosen or supported(_organisation_language(request, user, None)) or settings.LANGUAGE_CODE

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]) -> None:
        """On an organisation's pages, a person without their own choice sees that organisation's default."""
        slug = kwargs.get("org_slug")
        if slug is None or getattr(request, "juru_language_chosen", True) or not request.user.is_authenticated:
            return
        if request.path_info.startswith(NEGOTIATED_PREFIXES):
            return
        language = supported(_organisation_language(request, request.user, slug))
        if language is not None:
            _activate(request, language)
