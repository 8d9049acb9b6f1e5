"""Reading advocacy: who may curate, what may be shared, where, and whether sharing is paused."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from juru.accounts import access
from juru.accounts.models import AccountType, BrandAccount, Member, OrgAction, Organisation, TeamKind, TeamMembership
from juru.advocacy.models import AdvocacyItem, Share
from juru.crisis.queries import advocacy_paused

__all__ = ["advocacy_paused", "can_curate", "library", "personal_accounts", "shared_accounts", "shares_of"]

CURATING_TEAMS = (TeamKind.PR, TeamKind.MARKETING)


def can_curate(member: Member) -> bool:
    """Those who manage accounts, and PR and marketing team members, keep the library."""
    if access.role_can(member, OrgAction.MANAGE_ACCOUNTS):
        return True
    return TeamMembership.objects.filter(member=member, team__kind__in=CURATING_TEAMS).exists()


def personal_accounts(member: Member) -> QuerySet[BrandAccount]:
    """The member's own active personal accounts."""
    return BrandAccount.objects.filter(
        organisation=member.organisation, owner_member=member, account_type=AccountType.PERSONAL, is_active=True
    ).order_by("network", "handle")


def library(organisation: Organisation, *, include_withdrawn: bool = False) -> QuerySet[AdvocacyItem]:
    """The items employees may share (newest first), with how often each was shared."""
    items = AdvocacyItem.objects.filter(organisation=organisation)
    if not include_withdrawn:
        items = items.filter(is_active=True)
    return items.annotate(share_count=Count("shares")).select_related("added_by__user")


def shared_accounts(member: Member, item: AdvocacyItem) -> set[int]:
    """Ids of the member's accounts that already shared ``item``."""
    return set(Share.objects.filter(item=item, member=member).values_list("account_id", flat=True))


def shares_of(member: Member) -> QuerySet[Share]:
    """The member's shares, newest first, with the draft's state."""
    return Share.objects.filter(member=member).select_related("item", "account", "draft")
