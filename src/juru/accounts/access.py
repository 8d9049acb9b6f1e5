"""The one place that answers "may this member do X (on this account)?".

- ``eligibility`` says whether a member may use a permission on a brand account now, and why not:
  a grant (direct or through a team), then for publish/reply/approve also 2FA and the governance
  standing (policy signed, training passed, not suspended: ``juru.governance.eligibility``, the one
  home of that rule); a suspension also stops drafting.
- ``eligibility_matrix`` answers the same for many members and accounts in a fixed number of
  queries (the access review). ``eligibility`` for one member and one account needs two queries
  when the answer is yes (a refusal may load the missing modules or the suspension to name them):
  it runs at publish time for every post.
- ``role_can`` (``juru.accounts.roles``) covers organisation-wide actions, which follow the role;
  ``member_for_request`` / ``get_object_for_member`` (``juru.accounts.tenancy``) answer 404 for both
  "missing" and "not yours". Both live in their own small modules so governance can use them
  without importing this one (an import-linter contract); they are re-exported here.
- ``moderated_networks`` / ``can_moderate`` say where a member may hide comments and ban authors:
  owners and administrators everywhere; anyone else on the networks of the active accounts where
  they hold an eligible ``moderate`` grant (a grant, directly or through a team, and no suspension;
  moderating does not speak for the organisation, so it needs no 2FA, sign-off or training).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.exceptions import NotEligible
from juru.accounts.models import (
    SPEAKING_PERMISSIONS,
    BrandAccount,
    Grant,
    Member,
    OrgAction,
    Organisation,
    Permission,
    Role,
    Team,
    TeamMembership,
)
from juru.accounts.roles import ROLE_ACTIONS, require_role, role_can
from juru.accounts.tenancy import get_object_for_member, member_for_request
from juru.governance import eligibility as governance

__all__ = [
    "ROLE_ACTIONS",
    "SPEAKING_PERMISSIONS",
    "OrgAction",
    "Eligibility",
    "can_moderate",
    "moderated_networks",
    "Reason",
    "eligibility",
    "eligibility_matrix",
    "get_object_for_member",
    "member_for_request",
    "require_eligible",
    "require_role",
    "role_can",
]

# Roles that may moderate on every account of the organisation, without a grant.
MODERATING_ROLES = frozenset({Role.OWNER, Role.ADMIN})
ALL_NETWORKS = None


@dataclass(frozen=True)
class Reason:
    """Why a member is not eligible: a stable code for programs and a translated message for people."""

    code: str
    message: str | Promise


@dataclass(frozen=True)
class Eligibility:
    """The answer to "may this member use this permission on this account now?"."""

    allowed: bool
    reasons: list[Reason] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # "direct" and/or "team:<name>"

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def codes(self) -> list[str]:
        """The reason codes, for tests and the API."""
        return [reason.code for reason in self.reasons]


# --------------------------------------------------------------------------- eligibility

REASON_MESSAGES: dict[str, Promise] = {
    "inactive_member": _("This person is no longer an active member of the organisation."),
    "other_organisation": _("This account belongs to another organisation."),
    "account_inactive": _("This account is switched off."),
    "no_grant": _("No grant for this permission on this account, directly or through a team."),
    "no_2fa": _("Two-factor authentication is not set up."),
}


def _reason(code: str) -> Reason:
    return Reason(code, REASON_MESSAGES[code])


@dataclass
class _Facts:
    """What eligibility needs beyond governance for a set of members and accounts: grants and 2FA."""

    grants: dict[tuple[int, str], list[Grant]]  # (account id, permission) -> grants
    teams_of: dict[int, set[int]]  # member id -> team ids
    with_2fa: set[int]  # user ids
    standing: dict[int, governance.Standing]  # member id -> governance standing


def _load_facts(organisation: Organisation, members: Sequence[Member], accounts: Sequence[BrandAccount]) -> _Facts:
    member_ids = [m.pk for m in members]
    grants: dict[tuple[int, str], list[Grant]] = defaultdict(list)
    for grant in Grant.objects.filter(account__in=[a.pk for a in accounts]).select_related("team"):
        grants[(grant.account_id, grant.permission)].append(grant)
    teams_of: dict[int, set[int]] = defaultdict(set)
    for member_id, team_id in TeamMembership.objects.filter(member__in=member_ids).values_list("member", "team"):
        teams_of[member_id].add(team_id)
    user_ids = [m.user_id for m in members]
    with_2fa = set(TOTPDevice.objects.filter(user__in=user_ids, confirmed=True).values_list("user_id", flat=True))
    return _Facts(grants, teams_of, with_2fa, governance.standings(organisation, members))


def _decide(facts: _Facts, member: Member, permission: str, account: BrandAccount, lang: str) -> Eligibility:
    reasons: list[Reason] = []
    if not member.is_active:
        reasons.append(_reason("inactive_member"))
    if account.organisation_id != member.organisation_id:
        return Eligibility(False, [*reasons, _reason("other_organisation")], [])
    if not account.is_active:
        reasons.append(_reason("account_inactive"))
    via = _grant_routes(facts, member, permission, account)
    if not via:
        reasons.append(_reason("no_grant"))
    standing = facts.standing[member.pk]
    if permission in SPEAKING_PERMISSIONS:
        if member.user_id not in facts.with_2fa:
            reasons.append(_reason("no_2fa"))
        reasons += [Reason(code, message) for code, message in standing.reasons(lang)]
    elif standing.suspension is not None:
        reasons.append(Reason(*governance.suspension_reason(standing.suspension)))
    return Eligibility(not reasons, reasons, via)


def _grant_routes(facts: _Facts, member: Member, permission: str, account: BrandAccount) -> list[str]:
    via = []
    for grant in facts.grants.get((account.pk, permission), []):
        if grant.member_id == member.pk:
            via.append("direct")
        elif grant.team_id in facts.teams_of.get(member.pk, set()) and grant.team is not None:
            via.append(f"team:{grant.team.name}")
    return sorted(set(via))


def _lang() -> str:
    return get_language() or "id"


# One query for the grants that can route to this member (direct, or through a team they belong to)
# and whether they have a second factor; the one-row LEFT JOIN keeps the answer when no grant exists.
_GRANTS_SQL = """
SELECT
    EXISTS (SELECT 1 FROM otp_totp_totpdevice d WHERE d.user_id = %s AND d.confirmed = %s),
    g.member_id, g.team_id, t.name
FROM (SELECT 1 AS one) AS one LEFT JOIN (
    accounts_grant g LEFT JOIN accounts_team t ON t.id = g.team_id
) ON g.account_id = %s AND g.permission = %s AND (
    g.member_id = %s OR g.team_id IN (SELECT tm.team_id FROM accounts_teammembership tm WHERE tm.member_id = %s)
)
"""


def _load_facts_for_one(member: Member, permission: str, account: BrandAccount, when: datetime | None) -> _Facts:
    """The facts ``_load_facts`` gathers, for one member, account and permission, in two queries."""
    with connection.cursor() as cursor:
        cursor.execute(_GRANTS_SQL, [member.user_id, True, account.pk, permission, member.pk, member.pk])
        rows = cursor.fetchall()
    has_2fa = bool(rows[0][0])
    grants = [
        Grant(member_id=m, team=Team(pk=t, name=name) if t is not None else None)
        for _two_factor, m, t, name in rows
        if m is not None or t is not None
    ]
    return _Facts(
        grants={(account.pk, permission): grants},
        teams_of={member.pk: {grant.team_id for grant in grants if grant.team_id is not None}},
        with_2fa={member.user_id} if has_2fa else set(),
        standing={member.pk: governance.standing(member, when)},
    )


def eligibility(
    member: Member, permission: Permission | str, account: BrandAccount, when: datetime | None = None
) -> Eligibility:
    """Whether the member may use ``permission`` on ``account`` at ``when`` (now), with every reason why not."""
    facts = _load_facts_for_one(member, str(permission), account, when)
    return _decide(facts, member, str(permission), account, _lang())


def require_eligible(member: Member, permission: Permission | str, account: BrandAccount) -> Eligibility:
    """Raise ``NotEligible`` unless the member may use ``permission`` on ``account`` now."""
    answer = eligibility(member, permission, account)
    if not answer.allowed:
        raise NotEligible(answer, account)
    return answer


def eligibility_matrix(
    organisation: Organisation,
    members: Iterable[Member] | None = None,
    accounts: Iterable[BrandAccount] | None = None,
    permissions: Iterable[Permission | str] = tuple(Permission.values),
) -> dict[tuple[Member, BrandAccount, str], Eligibility]:
    """Eligibility for every (member, account, permission) of the organisation in a fixed number of queries.

    Defaults to all active members and active accounts; keys use the given objects.
    """
    member_list = list(members if members is not None else organisation.members.filter(is_active=True))
    account_list = list(accounts if accounts is not None else organisation.brand_accounts.filter(is_active=True))
    facts = _load_facts(organisation, member_list, account_list)
    lang = _lang()
    return {
        (member, account, str(permission)): _decide(facts, member, str(permission), account, lang)
        for member in member_list
        for account in account_list
        for permission in permissions
    }


# --------------------------------------------------------------------------- moderation


def moderated_networks(member: Member) -> frozenset[str] | None:
    """The networks on which the member may moderate (``None``: all of them, by role)."""
    if not member.is_active:
        return frozenset()
    if member.role in MODERATING_ROLES:
        return ALL_NETWORKS
    accounts = list(BrandAccount.objects.filter(organisation_id=member.organisation_id, is_active=True))
    matrix = eligibility_matrix(member.organisation, [member], accounts, [Permission.MODERATE])
    return frozenset(account.network for (_m, account, _p), answer in matrix.items() if answer.allowed)


def can_moderate(member: Member, network: str | None = None) -> bool:
    """True if the member may moderate on ``network`` (or, without one, on any network at all)."""
    networks = moderated_networks(member)
    if networks is ALL_NETWORKS:
        return True
    return bool(networks) if network is None else network in networks
