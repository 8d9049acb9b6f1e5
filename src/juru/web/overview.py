"""What the organisation overview shows: counts, and what the member may do on each brand account."""

from __future__ import annotations

from typing import Any

from juru.accounts import access
from juru.accounts.models import AccountType, BrandAccount, Member, Permission, Team
from juru.governance.queries import member_todos

OVERVIEW_ACCOUNTS = 20


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
    }


SPEAK = (Permission.PUBLISH, Permission.REPLY)
