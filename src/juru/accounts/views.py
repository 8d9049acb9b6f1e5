"""Organisation pages: members, teams, brand accounts, grants and the access review.

One function view per URL serves the page and its HTMX fragment. Writes go through
``juru.accounts.services``; objects are looked up through ``juru.accounts.access`` (404 for
another organisation's); organisation-wide rights follow ``access.role_can``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts import access, invitations, services
from juru.accounts.exceptions import AccountsError
from juru.accounts.forms import (
    BrandAccountEditForm,
    BrandAccountForm,
    GrantForm,
    MemberAddForm,
    RoleForm,
    TeamForm,
    TeamMemberForm,
)
from juru.accounts.models import BrandAccount, Grant, Member, OrgAction, Permission, Role, Team, TeamMembership
from juru.web.decorators import actor_of, member_view
from juru.web.htmx import render_page_or_partial, toast, wants_fragment


def _require(member: Member, action: OrgAction) -> None:
    """Writes the role does not allow answer 404, like everything the member may not touch."""
    if not access.role_can(member, action):
        raise Http404


def _base(member: Member, section: str, action: OrgAction) -> dict[str, Any]:
    return {
        "member": member,
        "slug": member.organisation.slug,
        "section": section,
        "can_manage": access.role_can(member, action),
    }


def _done(request: HttpRequest, response: HttpResponse, message: str) -> HttpResponse:
    """A toast for HTMX requests, a flash message for full-page ones."""
    if wants_fragment(request):
        return toast(response, message)
    messages.success(request, message)
    return response


# --------------------------------------------------------------------------- members


def _members(member: Member) -> Any:
    teams = Prefetch("team_memberships", queryset=TeamMembership.objects.select_related("team"))
    return (
        Member.objects.filter(organisation=member.organisation, is_active=True)
        .select_related("user")
        .prefetch_related(teams)
    )


def _member_context(member: Member) -> dict[str, Any]:
    context = _base(member, "members", OrgAction.MANAGE_MEMBERS)
    users = Member.objects.filter(organisation=member.organisation).values("user_id")
    context["two_factor_users"] = set(
        TOTPDevice.objects.filter(confirmed=True, user_id__in=users).values_list("user_id", flat=True)
    )
    context["roles"] = Role.choices
    return context


@member_view
@require_GET
def member_list(request: HttpRequest, member: Member) -> HttpResponse:
    """Members with role, 2FA and teams; filter by name or role."""
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    members = _members(member)
    if q:
        members = members.filter(
            Q(user__username__icontains=q) | Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q)
        )
    if role in Role.values:
        members = members.filter(role=role)
    context = _member_context(member) | {"members": members, "q": q, "role": role}
    return render_page_or_partial(request, "accounts/member_list.html", context, partial="table")


@member_view
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, member: Member) -> HttpResponse:
    """Add a person with a role (creating their user when the username is new)."""
    _require(member, OrgAction.MANAGE_MEMBERS)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        first, _sep, last = data["full_name"].strip().partition(" ")
        try:
            added = services.create_member(
                actor=actor_of(request),
                organisation=member.organisation,
                username=data["username"],
                role=data["role"],
                email=data["email"],
                first_name=first,
                last_name=last,
            )
        except AccountsError as exc:
            form.add_error(None, str(exc))
        else:
            if not added.user.has_usable_password():
                return _invited(request, member, added)
            messages.success(request, _("%(name)s is now a member.") % {"name": added.display_name})
            return redirect("accounts:member_list", org_slug=member.organisation.slug)
    context = _base(member, "members", OrgAction.MANAGE_MEMBERS) | {"form": form}
    return render(request, "accounts/member_add.html", context)


def _invited(request: HttpRequest, member: Member, added: Member) -> HttpResponse:
    """Show the new member's invitation link once (and say whether it was e-mailed)."""
    key = invitations.make_key(added.user)
    link = request.build_absolute_uri(reverse("web:invitation", args=[key.uidb64, key.token]))
    emailed = services.send_invitation(actor=actor_of(request), member=added, link=link)
    context = _base(member, "members", OrgAction.MANAGE_MEMBERS) | {
        "added": added,
        "link": link,
        "emailed": emailed,
        "days": invitations.valid_days(),
    }
    response = render(request, "accounts/member_invited.html", context)
    add_never_cache_headers(response)  # the link is shown once and must not linger in caches
    return response


def _member_row(request: HttpRequest, member: Member, target: Member) -> HttpResponse:
    fresh = _members(member).get(pk=target.pk)
    return render(request, "accounts/member_list.html#row", _member_context(member) | {"m": fresh})


@member_view
@require_POST
def member_role(request: HttpRequest, member: Member, member_id: str) -> HttpResponse:
    """Change a member's role; answers with the updated row."""
    _require(member, OrgAction.MANAGE_MEMBERS)
    target = access.get_object_for_member(Member.objects.filter(is_active=True), member, member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _error(request, member, _("Choose one of the roles."))
    try:
        services.change_role(actor=actor_of(request), member=target, role=form.cleaned_data["role"])
    except AccountsError as exc:
        return _error(request, member, str(exc), target)
    message = _("%(name)s is now %(role)s.") % {"name": target.display_name, "role": target.get_role_display()}
    if not wants_fragment(request):
        messages.success(request, message)
        return redirect("accounts:member_list", org_slug=member.organisation.slug)
    return toast(_member_row(request, member, target), message)


def _error(request: HttpRequest, member: Member, message: str, target: Member | None = None) -> HttpResponse:
    """A refused change: the unchanged row with an error toast, or the list with a message."""
    if wants_fragment(request) and target is not None:
        return toast(_member_row(request, member, target), message, level="error")
    messages.error(request, message)
    return redirect("accounts:member_list", org_slug=member.organisation.slug)


@member_view
@require_POST
def member_remove(request: HttpRequest, member: Member, member_id: str) -> HttpResponse:
    """Remove a member (grants, team places and API tokens go too)."""
    _require(member, OrgAction.MANAGE_MEMBERS)
    target = access.get_object_for_member(Member.objects.filter(is_active=True), member, member_id)
    try:
        services.remove_member(actor=actor_of(request), member=target)
    except AccountsError as exc:
        return _error(request, member, str(exc), target)
    message = _("%(name)s was removed.") % {"name": target.display_name}
    if wants_fragment(request):
        return toast(HttpResponse(""), message)
    messages.success(request, message)
    return redirect("accounts:member_list", org_slug=member.organisation.slug)


# --------------------------------------------------------------------------- teams


def _team_list_context(member: Member, form: TeamForm) -> dict[str, Any]:
    teams = Team.objects.filter(organisation=member.organisation).annotate(
        member_count=Count("memberships", filter=Q(memberships__member__is_active=True))
    )
    return _base(member, "teams", OrgAction.MANAGE_TEAMS) | {"teams": teams, "form": form}


@member_view
@require_GET
def team_list(request: HttpRequest, member: Member) -> HttpResponse:
    """Teams with their kind and size, and a form for a new one."""
    return render(request, "accounts/team_list.html", _team_list_context(member, TeamForm()))


@member_view
@require_POST
def team_create(request: HttpRequest, member: Member) -> HttpResponse:
    """Create a team, then open it."""
    _require(member, OrgAction.MANAGE_TEAMS)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = services.create_team(
                actor=actor_of(request), organisation=member.organisation, name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )  # fmt: skip
        except AccountsError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
            return redirect("accounts:team_detail", org_slug=member.organisation.slug, team_id=team.public_id)
    return render(request, "accounts/team_list.html", _team_list_context(member, form))


def _team_context(member: Member, team: Team, form: TeamForm, member_form: TeamMemberForm) -> dict[str, Any]:
    memberships = team.memberships.filter(member__is_active=True).select_related("member__user")
    grants = Grant.objects.filter(team=team).select_related("account")
    return _base(member, "teams", OrgAction.MANAGE_TEAMS) | {
        "team": team,
        "form": form,
        "member_form": member_form,
        "memberships": memberships.order_by("-is_lead", "member__user__username"),
        "grants": grants,
    }


@member_view
@require_http_methods(["GET", "POST"])
def team_detail(request: HttpRequest, member: Member, team_id: str) -> HttpResponse:
    """A team's members and grants; POST renames it or changes its kind."""
    team = access.get_object_for_member(Team, member, team_id)
    form = TeamForm(request.POST or None, initial={"name": team.name, "kind": team.kind})
    if request.method == "POST":
        _require(member, OrgAction.MANAGE_TEAMS)
        if form.is_valid():
            try:
                services.update_team(
                    actor=actor_of(request), team=team, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
                )
            except AccountsError as exc:
                form.add_error("name", str(exc))
            else:
                messages.success(request, _("Team saved."))
                return redirect("accounts:team_detail", org_slug=member.organisation.slug, team_id=team.public_id)
    member_form = TeamMemberForm(organisation=member.organisation, team=team)
    return render(request, "accounts/team_detail.html", _team_context(member, team, form, member_form))


def _team_members_response(
    request: HttpRequest, member: Member, team: Team, member_form: TeamMemberForm
) -> HttpResponse:
    if not wants_fragment(request):
        return redirect("accounts:team_detail", org_slug=member.organisation.slug, team_id=team.public_id)
    context = _team_context(member, team, TeamForm(initial={"name": team.name, "kind": team.kind}), member_form)
    return render(request, "accounts/team_detail.html#members", context)


@member_view
@require_POST
def team_member_add(request: HttpRequest, member: Member, team_id: str) -> HttpResponse:
    """Put a member in the team; answers with the team's member list."""
    _require(member, OrgAction.MANAGE_TEAMS)
    team = access.get_object_for_member(Team, member, team_id)
    form = TeamMemberForm(request.POST, organisation=member.organisation, team=team)
    if not form.is_valid():
        return _team_members_response(request, member, team, form)
    added = form.cleaned_data["member"]
    services.add_team_member(actor=actor_of(request), team=team, member=added, is_lead=form.cleaned_data["is_lead"])
    fresh_form = TeamMemberForm(organisation=member.organisation, team=team)
    message = _("%(name)s joined %(team)s.") % {"name": added.display_name, "team": team.name}
    return _done(request, _team_members_response(request, member, team, fresh_form), message)


@member_view
@require_POST
def team_member_remove(request: HttpRequest, member: Member, team_id: str, member_id: str) -> HttpResponse:
    """Take a member out of the team; answers with the team's member list."""
    _require(member, OrgAction.MANAGE_TEAMS)
    team = access.get_object_for_member(Team, member, team_id)
    target = access.get_object_for_member(Member, member, member_id)
    services.remove_team_member(actor=actor_of(request), team=team, member=target)
    fresh_form = TeamMemberForm(organisation=member.organisation, team=team)
    message = _("%(name)s left %(team)s.") % {"name": target.display_name, "team": team.name}
    return _done(request, _team_members_response(request, member, team, fresh_form), message)


# --------------------------------------------------------------------------- brand accounts


@member_view
@require_GET
def brand_account_list(request: HttpRequest, member: Member) -> HttpResponse:
    """The organisation's accounts with their connection and whether credentials are stored."""
    accounts = BrandAccount.objects.filter(organisation=member.organisation).select_related("owner_member__user")
    context = _base(member, "accounts", OrgAction.MANAGE_ACCOUNTS) | {"accounts": accounts}
    return render(request, "accounts/brand_account_list.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def brand_account_add(request: HttpRequest, member: Member) -> HttpResponse:
    """Register an account; credentials are encrypted and never shown again."""
    _require(member, OrgAction.MANAGE_ACCOUNTS)
    form = BrandAccountForm(request.POST or None, organisation=member.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.create_brand_account(
                actor=actor_of(request),
                organisation=member.organisation,
                network=data["network"],
                handle=data["handle"],
                display_name=data["display_name"],
                account_type=data["account_type"],
                owner_member=data["owner_member"],
                credentials=data["credentials"],
            )
        except AccountsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Account %(handle)s added.") % {"handle": account.handle})
            if not data["credentials"]:  # the usual next step: sign in to the network
                return redirect(
                    "accounts:connection_connect", org_slug=member.organisation.slug, account_id=account.public_id
                )
            return redirect("accounts:brand_account_list", org_slug=member.organisation.slug)
    context = _base(member, "accounts", OrgAction.MANAGE_ACCOUNTS) | {"form": form, "account": None}
    return render(request, "accounts/brand_account_form.html", context)


@member_view
@require_http_methods(["GET", "POST"])
def brand_account_edit(request: HttpRequest, member: Member, account_id: str) -> HttpResponse:
    """Rename, switch on or off, or replace the credentials of an account."""
    _require(member, OrgAction.MANAGE_ACCOUNTS)
    account = access.get_object_for_member(BrandAccount, member, account_id)
    initial = {"display_name": account.display_name, "is_active": account.is_active}
    form = BrandAccountEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {"display_name": data["display_name"], "is_active": data["is_active"]}
        if data["credentials"]:
            changes["credentials"] = data["credentials"]
        try:
            services.update_brand_account(actor=actor_of(request), account=account, **changes)
        except AccountsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Account %(handle)s saved.") % {"handle": account.handle})
            return redirect("accounts:brand_account_list", org_slug=member.organisation.slug)
    context = _base(member, "accounts", OrgAction.MANAGE_ACCOUNTS) | {"form": form, "account": account}
    return render(request, "accounts/brand_account_form.html", context)


# --------------------------------------------------------------------------- grants


def _grants_context(member: Member, account: BrandAccount, form: GrantForm) -> dict[str, Any]:
    grants = (
        Grant.objects.filter(account=account)
        .select_related("member__user", "team")
        .order_by("permission", "member__user__username", "team__name")
    )
    return _base(member, "accounts", OrgAction.MANAGE_GRANTS) | {"account": account, "grants": grants, "form": form}


@member_view
@require_http_methods(["GET", "POST"])
def grant_list(request: HttpRequest, member: Member, account_id: str) -> HttpResponse:
    """Grants on one account; POST gives a permission to a member or a team."""
    account = access.get_object_for_member(BrandAccount, member, account_id)
    form = GrantForm(request.POST or None, organisation=member.organisation)
    message = ""
    if request.method == "POST":
        _require(member, OrgAction.MANAGE_GRANTS)
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.set_grant(
                    actor=actor_of(request), account=account, permission=data["permission"], member=data["member"],
                    team=data["team"],
                )  # fmt: skip
            except AccountsError as exc:
                form.add_error(None, str(exc))
            else:
                holder = grant.member.display_name if grant.member else grant.team.name  # type: ignore[union-attr]
                message = _("%(holder)s may now %(permission)s on %(handle)s.") % {
                    "holder": holder,
                    "permission": Permission(grant.permission).label.lower(),
                    "handle": account.handle,
                }
                form = GrantForm(organisation=member.organisation)
                if not wants_fragment(request):
                    messages.success(request, message)
                    return redirect("accounts:grant_list", org_slug=member.organisation.slug, account_id=account_id)
    response = render_page_or_partial(
        request, "accounts/grant_list.html", _grants_context(member, account, form), partial="grants"
    )
    return toast(response, message) if message else response


@member_view
@require_POST
def grant_revoke(request: HttpRequest, member: Member, account_id: str, grant_id: str) -> HttpResponse:
    """Take a grant away; answers with the account's grants."""
    _require(member, OrgAction.MANAGE_GRANTS)
    account = access.get_object_for_member(BrandAccount, member, account_id)
    grant = access.get_object_for_member(Grant.objects.filter(account=account), member, grant_id)
    services.revoke_grant(actor=actor_of(request), grant=grant)
    message = _("Grant revoked.")
    if not wants_fragment(request):
        messages.success(request, message)
        return redirect("accounts:grant_list", org_slug=member.organisation.slug, account_id=account_id)
    context = _grants_context(member, account, GrantForm(organisation=member.organisation))
    return toast(render(request, "accounts/grant_list.html#grants", context), message)


# --------------------------------------------------------------------------- access review


def _blockers(results: Iterable[access.Eligibility]) -> list[access.Reason]:
    """The reasons other than a missing grant, once each: they concern the member, so the review names them once."""
    seen: dict[str, access.Reason] = {}
    for result in results:
        for reason in result.reasons:
            if reason.code != "no_grant":
                seen.setdefault(str(reason.message), reason)
    return list(seen.values())


@member_view
@require_GET
def access_review(request: HttpRequest, member: Member) -> HttpResponse:
    """Members × brand accounts: who can draft, publish, reply and approve, and why not."""
    permission = request.GET.get("permission", "")
    permissions = [permission] if permission in Permission.values else list(Permission.values)
    q = request.GET.get("q", "").strip()
    members = Member.objects.filter(organisation=member.organisation, is_active=True).select_related("user")
    if q:
        members = members.filter(
            Q(user__username__icontains=q) | Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q)
        )
    member_list = list(members)
    accounts = list(BrandAccount.objects.filter(organisation=member.organisation, is_active=True))
    matrix = access.eligibility_matrix(member.organisation, member_list, accounts, permissions)
    rows = []
    for m in member_list:
        cells = [
            {"account": a, "results": [(Permission(p).label, matrix[(m, a, p)]) for p in permissions]} for a in accounts
        ]
        rows.append(
            {
                "member": m,
                "cells": cells,
                "blockers": _blockers(matrix[(m, a, p)] for a in accounts for p in permissions),
            }
        )
    context = _base(member, "access", OrgAction.MANAGE_GRANTS) | {
        "rows": rows,
        "accounts": accounts,
        "permission": permission,
        "permission_choices": Permission.choices,
        "q": q,
    }
    return render_page_or_partial(request, "accounts/access_review.html", context, partial="matrix")
