"""Destructive organisation changes, each behind a confirmation page: deleting a team, and switching a
brand account off (and on again).

GET shows what will happen; POST does it through ``juru.accounts.services`` (audited). Members whose
role does not allow the change get 404, like everything else they may not touch.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from juru.accounts import access, services
from juru.accounts.exceptions import AccountsError
from juru.accounts.models import BrandAccount, Grant, Member, OrgAction, Team
from juru.web.decorators import actor_of, member_view


def _require(member: Member, action: OrgAction) -> None:
    if not access.role_can(member, action):
        raise Http404


def _base(member: Member, section: str) -> dict[str, Any]:
    return {"member": member, "slug": member.organisation.slug, "section": section}


def _approval_steps_naming(team: Team) -> list[Any]:
    """Approval chain steps that list the team as approvers (they lose it when the team goes)."""
    # Looked up by name: accounts must not import publishing at module level (publishing imports accounts).
    step_model = apps.get_model("publishing", "ChainStep")
    return list(
        step_model.objects.filter(teams=team).select_related("chain__account").order_by("chain__account__handle")
    )


# --------------------------------------------------------------------------- teams


@member_view
@require_http_methods(["GET", "POST"])
def team_delete(request: HttpRequest, member: Member, team_id: str) -> HttpResponse:
    """Confirm, then delete a team with its memberships and the grants given to it."""
    _require(member, OrgAction.MANAGE_TEAMS)
    team = access.get_object_for_member(Team, member, team_id)
    if request.method == "POST":
        name = team.name
        try:
            services.delete_team(actor=actor_of(request), team=team)
        except AccountsError as exc:
            messages.error(request, str(exc))
            return redirect("accounts:team_detail", org_slug=member.organisation.slug, team_id=team.public_id)
        messages.success(request, _("Team %(name)s deleted.") % {"name": name})
        return redirect("accounts:team_list", org_slug=member.organisation.slug)
    context = _base(member, "teams") | {
        "team": team,
        "grants": Grant.objects.filter(team=team).select_related("account").order_by("account__handle", "permission"),
        "memberships": team.memberships.filter(member__is_active=True).select_related("member__user"),
        "steps": _approval_steps_naming(team),
    }
    return render(request, "accounts/team_delete.html", context)


# --------------------------------------------------------------------------- brand accounts


@member_view
@require_http_methods(["GET", "POST"])
def brand_account_deactivate(request: HttpRequest, member: Member, account_id: str) -> HttpResponse:
    """Confirm, then switch an account off: nobody may draft, publish or reply on it until it is back on."""
    _require(member, OrgAction.MANAGE_ACCOUNTS)
    account = access.get_object_for_member(BrandAccount, member, account_id)
    if request.method == "POST":
        if account.is_active:
            services.update_brand_account(actor=actor_of(request), account=account, is_active=False)
        messages.success(request, _("Account %(handle)s deactivated.") % {"handle": account.handle})
        return redirect("accounts:brand_account_list", org_slug=member.organisation.slug)
    context = _base(member, "accounts") | {
        "account": account,
        "grant_count": Grant.objects.filter(account=account).count(),
    }
    return render(request, "accounts/brand_account_deactivate.html", context)


@member_view
@require_POST
def brand_account_reactivate(request: HttpRequest, member: Member, account_id: str) -> HttpResponse:
    """Switch an account back on; its grants, credentials and history were kept."""
    _require(member, OrgAction.MANAGE_ACCOUNTS)
    account = access.get_object_for_member(BrandAccount, member, account_id)
    if not account.is_active:
        services.update_brand_account(actor=actor_of(request), account=account, is_active=True)
    messages.success(request, _("Account %(handle)s is active again.") % {"handle": account.handle})
    return redirect("accounts:brand_account_list", org_slug=member.organisation.slug)
