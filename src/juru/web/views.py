"""Cross-app web views that belong to no domain app: home, organisation overview, error pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from juru.accounts import services
from juru.accounts.models import Member
from juru.web import twofactor
from juru.web.decorators import actor_of, member_view, verified_login_required
from juru.web.language import supported
from juru.web.overview import overview_context


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers."""
    return JsonResponse({"status": "ok"})


@verified_login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to their (first) organisation; explain when they have none."""
    member = (
        Member.objects.filter(user_id=actor_of(request).pk, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    if member is not None:
        return redirect("web:org_home", org_slug=member.organisation.slug)
    return render(request, "web/no_organisation.html")


@member_view
def org_home(request: HttpRequest, member: Member) -> HttpResponse:
    """Overview of the organisation for the signed-in member."""
    context = overview_context(member)
    context["has_two_factor"] = twofactor.has_two_factor(actor_of(request))
    return render(request, "web/org_home.html", context)


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


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's switcher: remember the choice in a cookie and, when signed in, with the person's user."""
    language = supported(request.POST.get("language"))
    if language is None:
        return HttpResponseBadRequest(
            _("Choose one of the offered languages."), content_type="text/plain; charset=utf-8"
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    if request.user.is_authenticated:
        services.set_user_language(user=actor_of(request), language=language)
    translation.activate(language)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response
