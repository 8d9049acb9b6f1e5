"""Whether governance lets members speak: the policy signed, the training their role needs, no suspension.

The one home of that rule (DESIGN.md F2, F4, F12). ``accounts.access`` adds grants and 2FA on top and
asks ``standing`` for one member (at publish time, for every post: one query when the answer is yes)
or ``standings`` for many (the access review and the status page: a fixed number of queries).

A signature counts on the version the member must have signed by now (the latest material version
whose time to sign has run out, else the current one) or any later version, and only while the
text it was given for is still the text of that version.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Exists, Max, OuterRef
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import Member, Organisation
from juru.governance.models import (
    PolicySignoff,
    PolicyVersion,
    Suspension,
    TrainingCompletion,
    TrainingModule,
    ViolationCase,
)

REASON_MESSAGES: dict[str, Promise] = {
    "no_policy": _("The organisation has not published a policy yet."),
    "policy_not_signed": _("The current policy version has not been signed."),
    "training_missing": _("Required training not passed: %(modules)s."),
    "suspended": _("Suspended until %(until)s."),
    "suspended_indefinitely": _("Suspended until further notice."),
}


@dataclass(frozen=True)
class Standing:
    """One member's governance standing at a moment: what lets them speak, and what is missing."""

    has_policy: bool
    signed: bool  # their signature counts now
    missing_modules: tuple[TrainingModule, ...]
    suspension: Suspension | None  # the suspension in force, if any

    @property
    def may_speak(self) -> bool:
        """True if nothing in governance stops the member from speaking for the organisation."""
        return self.has_policy and self.signed and not self.missing_modules and self.suspension is None

    def reasons(self, lang: str) -> list[tuple[str, str | Promise]]:
        """Why the member may not speak, as (code, translated message), in a stable order."""
        reasons: list[tuple[str, str | Promise]] = []
        if not self.has_policy:
            reasons.append(("no_policy", REASON_MESSAGES["no_policy"]))
        elif not self.signed:
            reasons.append(("policy_not_signed", REASON_MESSAGES["policy_not_signed"]))
        if self.missing_modules:
            titles = ", ".join(module.title_for(lang) for module in self.missing_modules)
            reasons.append(("training_missing", REASON_MESSAGES["training_missing"] % {"modules": titles}))
        if self.suspension is not None:
            reasons.append(suspension_reason(self.suspension))
        return reasons


def suspension_reason(suspension: Suspension) -> tuple[str, str | Promise]:
    """The (code, message) naming a suspension and when it ends."""
    if suspension.ends_at is None:
        return ("suspended_indefinitely", REASON_MESSAGES["suspended_indefinitely"])
    until = formats.date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")
    return ("suspended", REASON_MESSAGES["suspended"] % {"until": until})


# --------------------------------------------------------------------------- many members


def standings(
    organisation: Organisation, members: Iterable[Member], when: datetime | None = None
) -> dict[int, Standing]:
    """The standing of each member (by member id) in a fixed number of queries."""
    moment = when or timezone.now()
    member_list = list(members)
    member_ids = [m.pk for m in member_list]
    current = _current_policy(organisation)
    signed = _members_whose_signature_counts(organisation, member_ids, current, moment)
    modules = list(TrainingModule.objects.filter(organisation=organisation, required=True).prefetch_related("roles"))
    passed: dict[int, set[int]] = defaultdict(set)
    done = TrainingCompletion.objects.filter(
        TrainingCompletion.valid_q(moment), member__in=member_ids, module__in=modules
    )
    for member_id, module_id in done.values_list("member_id", "module_id"):
        passed[member_id].add(module_id)
    suspended: dict[int, list[Suspension]] = defaultdict(list)
    for suspension in Suspension.objects.filter(Suspension.active_q(moment), member__in=member_ids):
        suspended[suspension.member_id].append(suspension)
    retraining = retraining_due(member_ids)
    return {
        member.pk: Standing(
            has_policy=current is not None,
            signed=member.pk in signed,
            missing_modules=_with_retraining(
                [m for m in modules if m.applies_to(member.role) and m.pk not in passed.get(member.pk, set())],
                retraining.get(member.pk, []),
            ),
            suspension=_longest(suspended.get(member.pk, [])),
        )
        for member in member_list
    }


def retraining_due(member_ids: Sequence[int]) -> dict[int, list[TrainingModule]]:
    """Modules a violation decision assigned to each member and not passed since (by member id)."""
    passed_since = TrainingCompletion.objects.filter(
        member_id=OuterRef("member_id"), module_id=OuterRef("retraining_module_id"), passed=True,
        completed_at__gte=OuterRef("decided_at"),
    )  # fmt: skip
    cases = (
        ViolationCase.objects.filter(member__in=member_ids, retraining_module__isnull=False)
        .exclude(Exists(passed_since))
        .select_related("retraining_module")
    )
    due: dict[int, list[TrainingModule]] = defaultdict(list)
    for case in cases:
        if case.retraining_module is not None:
            due[case.member_id].append(case.retraining_module)
    return due


def _with_retraining(required: list[TrainingModule], assigned: list[TrainingModule]) -> tuple[TrainingModule, ...]:
    """The required modules missing, then the assigned ones not among them (each module once)."""
    modules = {m.pk: m for m in required}
    for module in assigned:
        modules.setdefault(module.pk, module)
    return tuple(modules.values())


def _longest(suspensions: list[Suspension]) -> Suspension | None:
    """Of the suspensions in force, the one that ends last (one without an end outlasts all)."""
    if not suspensions:
        return None
    return max(suspensions, key=lambda s: (s.ends_at is None, s.ends_at or s.starts_at, s.pk))


def _current_policy(organisation: Organisation) -> PolicyVersion | None:
    published = PolicyVersion.objects.filter(organisation=organisation, published_at__isnull=False)
    return published.order_by("-number").first()


def required_policy_number(organisation: Organisation, when: datetime | None = None) -> int | None:
    """The number of the version every speaking member must have signed (or a later one) by ``when``.

    That is the latest material version whose time to sign has run out; a newer material version
    still in its grace period is not required yet.
    """
    moment = when or timezone.now()
    published = PolicyVersion.objects.filter(organisation=organisation, published_at__isnull=False)
    return published.filter(material=True, sign_by__lte=moment).aggregate(n=Max("number"))["n"]


def _members_whose_signature_counts(
    organisation: Organisation, member_ids: Sequence[int], current: PolicyVersion | None, moment: datetime
) -> set[int]:
    if current is None:
        return set()
    wanted = required_policy_number(organisation, moment) or current.number
    signoffs = PolicySignoff.objects.filter(
        member__in=member_ids, policy_version__organisation=organisation, policy_version__number__gte=wanted
    ).select_related("policy_version")
    hashes: dict[int, str] = {}
    signed: set[int] = set()
    for signoff in signoffs:
        version = signoff.policy_version
        hashes.setdefault(version.pk, version.content_hash())
        if signoff.version_hash == hashes[version.pk]:
            signed.add(signoff.member_id)
    return signed


# --------------------------------------------------------------------------- one member

# The publish path asks this for every post, so the one-member form is plain SQL (building the
# equivalent ORM queries cost more than running them). Standard Django table and column names;
# the tests run it on SQLite and PostgreSQL against the same cases as ``standings``.
_STANDING_SQL = """
SELECT
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
    ) OR EXISTS (
        SELECT 1 FROM governance_violationcase vc WHERE vc.member_id = %s AND vc.retraining_module_id IS NOT NULL
        AND NOT EXISTS (
            SELECT 1 FROM governance_trainingcompletion c WHERE c.module_id = vc.retraining_module_id
            AND c.member_id = %s AND c.passed = %s AND c.completed_at >= vc.decided_at
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
    WHERE so.member_id = %s AND sv.published_at IS NOT NULL ORDER BY sv.number DESC LIMIT 1
) AS s ON 1 = 1
"""


def standing(member: Member, when: datetime | None = None) -> Standing:
    """The member's standing: one query when they may speak (a refusal loads what it names)."""
    moment = when or timezone.now()
    now = connection.ops.adapt_datetimefield_value(moment)
    org, pk = member.organisation_id, member.pk
    with connection.cursor() as cursor:
        cursor.execute(
            _STANDING_SQL,
            [pk, now, now, org, True, member.role, pk, True, now, pk, pk, True, org, True, now, org, pk],
        )
        suspended, training_missing, wanted, policy_id, current_number, *signed_row = cursor.fetchone()
    modules: tuple[TrainingModule, ...] = ()
    if training_missing:  # name the missing modules (a refusal, so more queries are fine)
        passed = TrainingCompletion.objects.filter(
            TrainingCompletion.valid_q(moment), module=OuterRef("pk"), member_id=pk
        )
        candidates = TrainingModule.objects.filter(organisation_id=org, required=True).exclude(Exists(passed))
        required = [m for m in candidates.prefetch_related("roles") if m.applies_to(member.role)]
        modules = _with_retraining(required, retraining_due([pk]).get(pk, []))
    suspension = None
    if suspended:
        suspension = _longest(list(Suspension.objects.filter(Suspension.active_q(moment), member_id=pk)))
    has_policy = policy_id is not None
    signed = has_policy and _signature_counts(signed_row, wanted or current_number)
    return Standing(has_policy=has_policy, signed=signed, missing_modules=modules, suspension=suspension)


def _signature_counts(row: Sequence[Any], wanted: int) -> bool:
    """True if the member's latest signature is on the version they must have signed by now (or later)
    and matches that version's text."""
    number, title, body_id, body_en, config, version_hash = row
    if number is None or number < wanted:
        return False
    config = json.loads(config) if isinstance(config, str) else config  # JSON text on both backends
    signed = PolicyVersion(number=number, title=title, body_id=body_id, body_en=body_en, config=config)
    return bool(version_hash == signed.content_hash())
