"""What the organisation overview shows: what needs the member, counts, and where they may speak."""

from __future__ import annotations

from typing import Any

from juru.accounts import access
from juru.accounts.models import AccountType, BrandAccount, Member, Permission, Team
from juru.governance.queries import member_todos
from juru.listening.models import Alert, AlertStatus
from juru.publishing.models import Draft, DraftState
from juru.publishing.queries import drafts_awaiting

OVERVIEW_ACCOUNTS = 20
NEEDS_YOU_ROWS = 5  # per kind; each list links to the page with all of them


def overview_context(member: Member) -> dict[str, Any]:
    """Counts for the cards and the member's own standing per brand account."""
    org = member.organisation
    accounts = list(
        BrandAccount.objects.filter(organisation=org, is_active=True, account_type=AccountType.BRAND)[
            :OVERVIEW_ACCOUNTS
        ]
    )
    standing = [
        {
            "account": account,
            "checks": [(Permission(p).label, access.eligibility(member, Permission(p), account)) for p in SPEAK],
        }
        for account in accounts
    ]
    return {
        "member": member,
        "section": "home",
        "member_count": Member.objects.filter(organisation=org, is_active=True).count(),
        "team_count": Team.objects.filter(organisation=org).count(),
        "account_count": BrandAccount.objects.filter(organisation=org, is_active=True).count(),
        "standing": standing,
        "todos": member_todos(member),
        **needs_you(member),
    }


def needs_you(member: Member) -> dict[str, Any]:
    """Work waiting for this member: approvals, drafts sent back to them, open alerts."""
    awaiting = drafts_awaiting(member)
    returned = Draft.objects.filter(author=member, state=DraftState.CHANGES_REQUESTED).order_by("-updated_at")
    alerts = (
        Alert.objects.filter(organisation=member.organisation, status=AlertStatus.OPEN)
        .select_related("query", "account")
        .order_by("-opened_at")
    )
    return {
        "awaiting": awaiting[:NEEDS_YOU_ROWS],
        "awaiting_count": len(awaiting),
        "returned": list(returned[:NEEDS_YOU_ROWS]),
        "open_alerts": list(alerts[:NEEDS_YOU_ROWS]),
        "open_alert_count": alerts.count(),
    }


SPEAK = (Permission.PUBLISH, Permission.REPLY)
