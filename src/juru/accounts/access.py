"""The one place that answers "may this member do X (on this account)?".

- ``member_for_request`` / ``get_object_for_member`` answer 404 for both "missing" and "not yours".
- ``eligibility`` says whether a member may use a permission on a brand account now, and why not:
  a grant (direct or through a team), then for publish/reply/approve also 2FA, the policy signed
  (the version due by now or a later one: a material version leaves a grace period), the training
  required of their role passed and not expired, and no active suspension (DESIGN.md F4).
- ``eligibility_matrix`` answers the same for many members and accounts in a fixed number of
  queries (the access review). ``eligibility`` for one member and one account needs two queries
  when the answer is yes (a refusal may load the missing modules or the suspension to name them):
  it runs at publish time for every post.
- ``role_can`` covers organisation-wide actions, which follow the role.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.exceptions import ActionNotAllowed, NotEligible
from juru.accounts.models import (
    BrandAccount,
    Grant,
    Member,
    OrgAction,
    Organisation,
    Permission,
    Role,
    Team,
    TeamKind,
    TeamMembership,
)

__all__ = [
    "OrgAction",
    "Eligibility",
    "Reason",
    "eligibility",
    "eligibility_matrix",
    "get_object_for_member",
    "member_for_request",
    "require_eligible",
    "require_role",
    "role_can",
]

M = TypeVar("M", bound=Model)

# Permissions that speak for the organisation (or decide what it says) need the full set of checks.
SPEAKING_PERMISSIONS = frozenset({Permission.PUBLISH, Permission.REPLY, Permission.APPROVE})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(OrgAction.values),
    Role.ADMIN: frozenset(OrgAction.values) - {OrgAction.OVERRIDE_BLOCK},
    Role.APPROVER: frozenset({OrgAction.VIEW_AUDIT, OrgAction.DECLARE_CRISIS}),
    Role.SPOKESPERSON: frozenset(),
    Role.RESPONDER: frozenset(),
    Role.CONTRIBUTOR: frozenset(),
    Role.VIEWER: frozenset(),
}


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


# --------------------------------------------------------------------------- tenancy


def member_for_request(request: HttpRequest, org_slug: str) -> Member:
    """The request user's active membership of the organisation in the URL; 404 otherwise."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    cache: dict[str, Member] = request.__dict__.setdefault("_juru_members", {})
    if org_slug not in cache:
        member = (
            Member.objects.select_related("organisation", "user")
            .filter(user_id=user.pk, organisation__slug=org_slug, is_active=True)
            .first()
        )
        if member is None:
            raise Http404
        cache[org_slug] = member
    return cache[org_slug]


def get_object_for_member(model_or_qs: type[M] | QuerySet[M], member: Member, public_id: Any) -> M:
    """The object with this public id in the member's organisation; 404 if missing or another org's."""
    queryset = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    try:
        wanted = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    obj = queryset.filter(organisation_id=member.organisation_id, public_id=wanted).first()
    if obj is None:
        raise Http404
    return obj


# --------------------------------------------------------------------------- roles


def role_can(member: Member, action: OrgAction | str) -> bool:
    """True if the member's role allows this organisation-wide action (leads of the crisis team may
    also declare a crisis)."""
    if not member.is_active:
        return False
    if action in ROLE_ACTIONS.get(member.role, frozenset()):
        return True
    if action == OrgAction.DECLARE_CRISIS:
        return TeamMembership.objects.filter(member=member, is_lead=True, team__kind=TeamKind.CRISIS).exists()
    return False


def require_role(member: Member, action: OrgAction | str) -> None:
    """Raise ``ActionNotAllowed`` (HTTP 403) unless ``role_can``."""
    if not role_can(member, action):
        raise ActionNotAllowed(_("Your role does not allow this action."))


# --------------------------------------------------------------------------- eligibility

REASON_MESSAGES: dict[str, Promise] = {
    "inactive_member": _("This person is no longer an active member of the organisation."),
    "other_organisation": _("This account belongs to another organisation."),
    "account_inactive": _("This account is switched off."),
    "no_grant": _("No grant for this permission on this account, directly or through a team."),
    "no_2fa": _("Two-factor authentication is not set up."),
    "no_policy": _("The organisation has not published a policy yet."),
    "policy_not_signed": _("The current policy version has not been signed."),
    "training_missing": _("Required training not passed: %(modules)s."),
    "suspended": _("Suspended until %(until)s."),
    "suspended_indefinitely": _("Suspended until further notice."),
}


def _reason(code: str, **params: str) -> Reason:
    message = REASON_MESSAGES[code]
    return Reason(code, message % params if params else message)


@dataclass
class _Facts:
    """Everything eligibility needs for a set of members and accounts, loaded in a few queries."""

    grants: dict[tuple[int, str], list[Grant]]  # (account id, permission) -> grants
    teams_of: dict[int, set[int]]  # member id -> team ids
    with_2fa: set[int]  # user ids
    policy_id: int | None
    signed: set[int]  # member ids that signed the current policy
    required_modules: list[Any]
    passed: dict[int, set[int]]  # member id -> module ids passed
    suspended: dict[int, Any]  # member id -> the active suspension


def _load_facts(organisation: Organisation, members: Sequence[Member], accounts: Sequence[BrandAccount]) -> _Facts:
    from juru.governance.models import PolicySignoff, Suspension, TrainingCompletion, TrainingModule
    from juru.governance.queries import current_policy, required_policy_number

    member_ids = [m.pk for m in members]
    grants: dict[tuple[int, str], list[Grant]] = defaultdict(list)
    for grant in Grant.objects.filter(account__in=[a.pk for a in accounts]).select_related("team"):
        grants[(grant.account_id, grant.permission)].append(grant)
    teams_of: dict[int, set[int]] = defaultdict(set)
    for member_id, team_id in TeamMembership.objects.filter(member__in=member_ids).values_list("member", "team"):
        teams_of[member_id].add(team_id)
    user_ids = [m.user_id for m in members]
    with_2fa = set(TOTPDevice.objects.filter(user__in=user_ids, confirmed=True).values_list("user_id", flat=True))
    policy = current_policy(organisation)
    signed: set[int] = set()
    if policy is not None:
        # A signature counts on the version a member must have signed by now, or any later one.
        wanted = required_policy_number(organisation) or policy.number
        signoffs = PolicySignoff.objects.filter(
            member__in=member_ids, policy_version__organisation=organisation, policy_version__number__gte=wanted
        ).select_related("policy_version")
        hashes: dict[int, str] = {}
        for signoff in signoffs:
            version = signoff.policy_version
            hashes.setdefault(version.pk, version.content_hash())
            if signoff.version_hash == hashes[version.pk]:
                signed.add(signoff.member_id)
    modules = list(TrainingModule.objects.filter(organisation=organisation, required=True).prefetch_related("roles"))
    passed: dict[int, set[int]] = defaultdict(set)
    done = TrainingCompletion.objects.filter(TrainingCompletion.valid_q(), member__in=member_ids, module__in=modules)
    for member_id, module_id in done.values_list("member_id", "module_id"):
        passed[member_id].add(module_id)
    suspended = {s.member_id: s for s in Suspension.objects.filter(Suspension.active_q(), member__in=member_ids)}
    return _Facts(grants, teams_of, with_2fa, policy.pk if policy else None, signed, modules, passed, suspended)


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
    if permission in SPEAKING_PERMISSIONS:
        reasons += _speaking_reasons(facts, member, lang)
    elif member.pk in facts.suspended:
        reasons.append(_suspension_reason(facts.suspended[member.pk]))
    return Eligibility(not reasons, reasons, via)


def _grant_routes(facts: _Facts, member: Member, permission: str, account: BrandAccount) -> list[str]:
    via = []
    for grant in facts.grants.get((account.pk, permission), []):
        if grant.member_id == member.pk:
            via.append("direct")
        elif grant.team_id in facts.teams_of.get(member.pk, set()) and grant.team is not None:
            via.append(f"team:{grant.team.name}")
    return sorted(set(via))


def _speaking_reasons(facts: _Facts, member: Member, lang: str) -> list[Reason]:
    reasons = []
    if member.user_id not in facts.with_2fa:
        reasons.append(_reason("no_2fa"))
    if facts.policy_id is None:
        reasons.append(_reason("no_policy"))
    elif member.pk not in facts.signed:
        reasons.append(_reason("policy_not_signed"))
    passed = facts.passed.get(member.pk, set())
    missing = [m for m in facts.required_modules if m.applies_to(member.role) and m.pk not in passed]
    if missing:
        reasons.append(_reason("training_missing", modules=", ".join(m.title_for(lang) for m in missing)))
    if member.pk in facts.suspended:
        reasons.append(_suspension_reason(facts.suspended[member.pk]))
    return reasons


def _suspension_reason(suspension: Any) -> Reason:
    if suspension.ends_at is None:
        return _reason("suspended_indefinitely")
    from django.utils import formats, timezone

    return _reason("suspended", until=formats.date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT"))


def _lang() -> str:
    from django.utils.translation import get_language

    return get_language() or "id"


# The publish path asks this for every post, so the one-member form is plain SQL (building the
# equivalent ORM queries cost more than running them). Standard Django table and column names;
# the tests run it on SQLite and PostgreSQL against the same cases as ``eligibility_matrix``.
_GRANTS_SQL = """
SELECT g.member_id, g.team_id, t.name
FROM accounts_grant g LEFT JOIN accounts_team t ON t.id = g.team_id
WHERE g.account_id = %s AND g.permission = %s AND (
    g.member_id = %s OR g.team_id IN (SELECT tm.team_id FROM accounts_teammembership tm WHERE tm.member_id = %s)
)
"""
_FACTS_SQL = """
SELECT
    EXISTS (SELECT 1 FROM otp_totp_totpdevice d WHERE d.user_id = %s AND d.confirmed = %s),
    EXISTS (
        SELECT 1 FROM governance_suspension s WHERE s.member_id = %s AND s.lifted_at IS NULL
        AND s.starts_at <= %s AND (s.ends_at IS NULL OR s.ends_at > %s)
    ),
    EXISTS (
        SELECT 1 FROM governance_trainingmodule m WHERE m.organisation_id = %s AND m.required = %s
        AND (
            NOT EXISTS (SELECT 1 FROM governance_modulerole r WHERE r.module_id = m.id)
            OR EXISTS (SELECT 1 FROM governance_modulerole r WHERE r.module_id = m.id AND r.role = %s)
        )
        AND NOT EXISTS (
            SELECT 1 FROM governance_trainingcompletion c
            WHERE c.module_id = m.id AND c.member_id = %s AND c.passed = %s
            AND (c.expires_at IS NULL OR c.expires_at > %s)
        )
    ),
    (
        SELECT MAX(w.number) FROM governance_policyversion w WHERE w.organisation_id = %s
        AND w.published_at IS NOT NULL AND w.material = %s AND w.sign_by <= %s
    ),
    p.id, p.number, s.number, s.title, s.body_id, s.body_en, s.config, s.version_hash
FROM (SELECT 1 AS one) AS one LEFT JOIN (
    SELECT v.id, v.number FROM governance_policyversion v
    WHERE v.organisation_id = %s AND v.published_at IS NOT NULL ORDER BY v.number DESC LIMIT 1
) AS p ON 1 = 1 LEFT JOIN (
    SELECT sv.number, sv.title, sv.body_id, sv.body_en, sv.config, so.version_hash
    FROM governance_policysignoff so JOIN governance_policyversion sv ON sv.id = so.policy_version_id
    WHERE so.member_id = %s ORDER BY sv.number DESC LIMIT 1
) AS s ON 1 = 1
"""


def _load_facts_for_one(member: Member, permission: str, account: BrandAccount) -> _Facts:
    """The facts ``_load_facts`` gathers, for one member, account and permission, in two queries."""
    from django.db import connection
    from django.utils import timezone

    from juru.governance.models import Suspension, TrainingCompletion, TrainingModule

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        # Only the grants that can route to this member: direct, or through a team they belong to.
        cursor.execute(_GRANTS_SQL, [account.pk, permission, member.pk, member.pk])
        grants = [
            Grant(member_id=m, team=Team(pk=t, name=name) if t is not None else None)
            for m, t, name in cursor.fetchall()
        ]
        org = member.organisation_id
        cursor.execute(
            _FACTS_SQL,
            [
                member.user_id, True, member.pk, now, now, org, True, member.role, member.pk, True, now,
                org, True, now, org, member.pk,
            ],
        )  # fmt: skip
        has_2fa, suspended, training_missing, wanted, policy_id, current_number, *signed_row = cursor.fetchone()
    modules: list[Any] = []
    if training_missing:  # name the missing modules (a refusal, so one more query is fine)
        passed = TrainingCompletion.objects.filter(
            TrainingCompletion.valid_q(), module=OuterRef("pk"), member_id=member.pk
        )
        candidates = TrainingModule.objects.filter(organisation_id=org, required=True).exclude(Exists(passed))
        modules = [m for m in candidates.prefetch_related("roles") if m.applies_to(member.role)]
    active: dict[int, Any] = {}
    if suspended:
        active[member.pk] = Suspension.objects.filter(Suspension.active_q(), member_id=member.pk).first()
    signed = {member.pk} if policy_id is not None and _signature_counts(signed_row, wanted or current_number) else set()
    return _Facts(
        grants={(account.pk, permission): grants},
        teams_of={member.pk: {grant.team_id for grant in grants if grant.team_id is not None}},
        with_2fa={member.user_id} if has_2fa else set(),
        policy_id=policy_id,
        signed=signed,
        required_modules=modules,
        passed={},
        suspended=active,
    )


def _signature_counts(row: Sequence[Any], wanted: int) -> bool:
    """True if the member's latest signature is on the version they must have signed by now (or later)
    and matches that version's text."""
    from juru.governance.models import PolicyVersion

    number, title, body_id, body_en, config, version_hash = row
    if number is None or number < wanted:
        return False
    config = json.loads(config) if isinstance(config, str) else config  # JSON text on both backends
    signed = PolicyVersion(number=number, title=title, body_id=body_id, body_en=body_en, config=config)
    return bool(version_hash == signed.content_hash())


def eligibility(member: Member, permission: Permission | str, account: BrandAccount) -> Eligibility:
    """Whether the member may use ``permission`` on ``account`` now, with every reason why not."""
    facts = _load_facts_for_one(member, str(permission), account)
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
