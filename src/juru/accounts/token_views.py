"""API token pages: each member manages their own tokens; owners and admins can also revoke others'.

A token's raw value exists only in the response to the request that created it: it is never stored,
put in the session or shown again. Writes go through ``juru.accounts.services`` (audited).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from juru.accounts import access, services
from juru.accounts.exceptions import AccountsError
from juru.accounts.models import ApiToken, Member, OrgAction
from juru.web.decorators import actor_of, member_view
from juru.web.htmx import render_page_or_partial, toast, wants_fragment


class TokenForm(forms.Form):
    """Name a new token after what will use it."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use this token, e.g. “CI pipeline” or “reporting script”."),
    )


def _can_oversee(member: Member) -> bool:
    """Owners and admins (who manage members) see and revoke everyone's tokens in the organisation."""
    return access.role_can(member, OrgAction.MANAGE_MEMBERS)


def _context(member: Member, form: TokenForm) -> dict[str, Any]:
    mine = ApiToken.objects.filter(member=member)
    others = ApiToken.objects.none()
    if _can_oversee(member):
        others = (
            ApiToken.objects.filter(organisation_id=member.organisation_id)
            .exclude(member=member)
            .select_related("member__user")
            .order_by("member__user__username", "-created_at")
        )
    return {
        "member": member,
        "slug": member.organisation.slug,
        "section": "tokens",
        "form": form,
        "tokens": mine,
        "other_tokens": others,
        "can_oversee": _can_oversee(member),
    }


@member_view
@require_GET
def token_list(request: HttpRequest, member: Member) -> HttpResponse:
    """My tokens (and, for owners and admins, everyone's) with a form for a new one."""
    return render_page_or_partial(request, "accounts/token_list.html", _context(member, TokenForm()), partial="tokens")


@member_view
@require_POST
def token_create(request: HttpRequest, member: Member) -> HttpResponse:
    """Create a token for myself and show it this once."""
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.create_api_token(
                actor=actor_of(request), member=member, name=form.cleaned_data["name"]
            )
        except AccountsError as exc:
            form.add_error(None, str(exc))
        else:
            context = _context(member, TokenForm()) | {
                "token": token,
                "raw": raw,
                "api_root": request.build_absolute_uri(reverse("api:api-root")),
                "me_url": request.build_absolute_uri(reverse("api:me")),
            }
            response = render(request, "accounts/token_created.html", context)
            # The raw token must not linger in a browser or proxy cache.
            add_never_cache_headers(response)
            return response
    return render(request, "accounts/token_list.html", _context(member, form))


@member_view
@require_POST
def token_revoke(request: HttpRequest, member: Member, token_id: str) -> HttpResponse:
    """Revoke one of my tokens (owners and admins: anyone's in the organisation); it stops working at once."""
    tokens = ApiToken.objects.select_related("member__user", "member__organisation")
    if not _can_oversee(member):
        tokens = tokens.filter(member=member)
    token = access.get_object_for_member(tokens, member, token_id)
    services.revoke_api_token(actor=actor_of(request), token=token)
    message = _("Token %(name)s (%(prefix)s…) revoked.") % {"name": token.name, "prefix": token.prefix}
    if not wants_fragment(request):
        messages.success(request, message)
        return redirect("accounts:token_list", org_slug=member.organisation.slug)
    return toast(render(request, "accounts/token_list.html#tokens", _context(member, TokenForm())), message)
