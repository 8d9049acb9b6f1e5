"""Cross-app web views that belong to no domain app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers."""
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A translated page instead of Django's English-only CSRF error."""
    return render(
        request,
        "web/error.html",
        {
            "title": _("Security check failed"),
            "message": _("Your form expired or came from another site. Reload the page and try again."),
        },
        status=403,
    )
