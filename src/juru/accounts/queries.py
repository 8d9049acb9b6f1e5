"""Reads of the accounts app shared by views and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from juru.accounts.access import Eligibility, eligibility_matrix
from juru.accounts.models import (
    ApiToken,
    BrandAccount,
    Grant,
    Member,
    Organisation,
    Permission,
    Team,
    TeamMembership,
    UserPreference,
)
from juru.connectors import registry


def organisations_of(user: AbstractBaseUser) -> QuerySet[Organisation]:
    """Organisations where the user is an active member."""
    return Organisation.objects.filter(members__user_id=user.pk, members__is_active=True).order_by("name")


def members_of(organisation: Organisation) -> QuerySet[Member]:
    """Active members with their users and teams, by username."""
    memberships = Prefetch("team_memberships", queryset=TeamMembership.objects.select_related("team"))
    return (
        Member.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .prefetch_related(memberships)
        .order_by("user__username")
    )


def teams_of(organisation: Organisation) -> QuerySet[Team]:
    """Teams with their memberships (and members' users)."""
    memberships = Prefetch("memberships", queryset=TeamMembership.objects.select_related("member__user"))
    return Team.objects.filter(organisation=organisation).prefetch_related(memberships).order_by("name")


def accounts_of(organisation: Organisation, *, active_only: bool = False) -> QuerySet[BrandAccount]:
    """Brand and personal accounts of the organisation."""
    accounts = BrandAccount.objects.filter(organisation=organisation).select_related("owner_member__user")
    return accounts.filter(is_active=True) if active_only else accounts


def accounts_to_draft_for(member: Member) -> QuerySet[BrandAccount]:
    """Active accounts that take posts where ``member`` holds a draft or publish grant, directly or through a team."""
    speaking = Grant.objects.filter(
        Q(member=member) | Q(team__memberships__member=member),
        account=OuterRef("pk"),
        permission__in=[Permission.DRAFT, Permission.PUBLISH],
    )
    return BrandAccount.objects.filter(
        Exists(speaking), organisation=member.organisation_id, is_active=True, network__in=registry.posting_networks()
    )


def grants_on(account: BrandAccount) -> QuerySet[Grant]:
    """Grants on one account, with holders loaded."""
    return Grant.objects.filter(account=account).select_related("member__user", "team").order_by("permission")


def tokens_of(member: Member) -> QuerySet[ApiToken]:
    """The member's API tokens, newest first."""
    return ApiToken.objects.filter(member=member).order_by("-created_at")


@dataclass(frozen=True)
class AccessRow:
    """One line of the access review: may this member use this permission on this account, and why not."""

    member: Member
    account: BrandAccount
    permission: str
    eligibility: Eligibility


def access_review(
    organisation: Organisation,
    *,
    permissions: tuple[str, ...] = (Permission.PUBLISH, Permission.REPLY, Permission.APPROVE),
) -> list[AccessRow]:
    """Who can speak where and why (or why not), for rows where the member holds a grant or could."""
    members = list(members_of(organisation))
    accounts = list(accounts_of(organisation, active_only=True))
    matrix = eligibility_matrix(organisation, members, accounts, permissions)
    return [
        AccessRow(member, account, permission, answer)
        for (member, account, permission), answer in matrix.items()
        if answer.via or answer.allowed
    ]


def chosen_language(user: AbstractBaseUser) -> str:
    """The language the person chose for themselves ("" when they have not chosen)."""
    return UserPreference.objects.filter(user_id=user.pk).values_list("language", flat=True).first() or ""


def organisation_languages(user: AbstractBaseUser) -> list[tuple[str, str]]:
    """The slug and default language of each of the person's organisations, in the order they are listed."""
    return list(organisations_of(user).values_list("slug", "language"))
