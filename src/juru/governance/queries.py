"""Reads of policy, sign-off, training and suspension state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import Member, Organisation
from juru.governance import render
from juru.governance.eligibility import required_policy_number, retraining_due, standing, standings
from juru.governance.models import (
    Consequence,
    ConsequenceStep,
    PolicySignoff,
    PolicyVersion,
    Suspension,
    TrainingCompletion,
    TrainingModule,
    ViolationCase,
)
from juru.rules.config import SCALAR_KEYS, OrgConfig


def current_policy(organisation: Organisation) -> PolicyVersion | None:
    """The latest published policy version, or None before the first is published."""
    return (
        PolicyVersion.objects.filter(organisation=organisation, published_at__isnull=False).order_by("-number").first()
    )


def current_org_config(organisation: Organisation) -> OrgConfig:
    """The rule configuration of the current policy (defaults with the organisation's name before any)."""
    policy = current_policy(organisation)
    if policy is None:
        return OrgConfig(name=organisation.name)
    data = {"name": organisation.name, **(policy.config or {}), "document": policy.text_digest()}
    return OrgConfig.from_mapping(data)


def policy_versions(organisation: Organisation) -> QuerySet[PolicyVersion]:
    """All versions of the organisation's policy, newest first."""
    return PolicyVersion.objects.filter(organisation=organisation).order_by("-number")


def signoff_for(member: Member, policy: PolicyVersion) -> PolicySignoff | None:
    """The member's signature on this version, if any."""
    return PolicySignoff.objects.filter(member=member, policy_version=policy).first()


def required_modules(organisation: Organisation) -> QuerySet[TrainingModule]:
    """Training modules every speaking member must pass."""
    return TrainingModule.objects.filter(organisation=organisation, required=True)


def passed_module_ids(member: Member) -> set[int]:
    """Ids of the modules the member has passed and whose pass has not expired."""
    completions = TrainingCompletion.objects.filter(TrainingCompletion.valid_q(), member=member)
    return set(completions.values_list("module_id", flat=True))


def active_suspension(member: Member) -> Suspension | None:
    """The suspension in force for the member now, if any."""
    return Suspension.objects.filter(Suspension.active_q(), member=member).order_by("-starts_at").first()


def members_missing_signoff(organisation: Organisation) -> QuerySet[Member]:
    """Active members who have not signed the current policy (for reminders)."""
    policy = current_policy(organisation)
    members = Member.objects.filter(organisation=organisation, is_active=True).select_related("user")
    if policy is None:
        return members.none()
    return members.exclude(policy_signoffs__policy_version=policy)


# --------------------------------------------------------------------------- policy versions

EXPIRY_NOTICE_DAYS = 30  # training that expires within this many days is shown as a reminder


def policy_draft(organisation: Organisation) -> PolicyVersion | None:
    """The unpublished version being edited, if any."""
    drafts = PolicyVersion.objects.filter(organisation=organisation, published_at__isnull=True)
    return drafts.order_by("-number").first()


def draft_seed(organisation: Organisation) -> PolicyVersion:
    """What a new draft starts from (not stored): the current version, or the template before the first."""
    from juru.governance import starter

    current = current_policy(organisation)
    last = PolicyVersion.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0
    return PolicyVersion(
        organisation=organisation,
        number=last + 1,
        title=current.title if current else str(_("Social media policy")),
        body_id=current.body_id if current else starter.policy_text(organisation.name, "id"),
        body_en=current.body_en if current else starter.policy_text(organisation.name, "en"),
        config=dict(current.config) if current else {},
    )


def previous_version(version: PolicyVersion) -> PolicyVersion | None:
    """The published version before this one (for a draft: the current one)."""
    earlier = PolicyVersion.objects.filter(
        organisation_id=version.organisation_id, published_at__isnull=False, number__lt=version.number
    )
    return earlier.order_by("-number").first()


def effective_config(config: Mapping[str, Any], organisation: Organisation) -> dict[str, list[str]]:
    """The rule configuration with defaults filled in, as lists (for forms and diffs)."""
    parsed = OrgConfig.from_mapping({"name": organisation.name, **config})
    return {key: list(value) for key, value in asdict(parsed).items() if key not in SCALAR_KEYS}


@dataclass(frozen=True)
class VersionDiff:
    """What changed between two versions: each language's text and the rule configuration."""

    old: PolicyVersion | None
    new: PolicyVersion
    title_changed: bool
    body_id: list[render.DiffLine | None]
    body_en: list[render.DiffLine | None]
    config: list[render.ConfigChange]

    @property
    def is_empty(self) -> bool:
        """True when nothing changed at all."""
        return not (self.title_changed or self.body_id or self.body_en or self.config)


def version_diff(new: PolicyVersion, old: PolicyVersion | None = None) -> VersionDiff:
    """The diff of ``new`` against ``old`` (by default the published version before it)."""
    base = old if old is not None else previous_version(new)
    organisation = new.organisation
    return VersionDiff(
        old=base,
        new=new,
        title_changed=base is None or base.title != new.title,
        body_id=render.text_diff(base.body_id if base else "", new.body_id),
        body_en=render.text_diff(base.body_en if base else "", new.body_en),
        config=render.config_diff(
            effective_config(base.config if base else {}, organisation), effective_config(new.config, organisation)
        ),
    )


# --------------------------------------------------------------------------- a member's standing


@dataclass(frozen=True)
class SignState:
    """Where a member stands with the policy: what is current, what they signed, by when they must sign."""

    current: PolicyVersion | None
    signoff: PolicySignoff | None  # on the current version
    counts: bool  # their signature satisfies eligibility now
    due_by: datetime | None  # set while a material version waits for their signature within its grace period

    @property
    def needs_signature(self) -> bool:
        """True if the current version is published and not signed by them."""
        return self.current is not None and self.signoff is None


def sign_state(member: Member, when: datetime | None = None) -> SignState:
    """The member's standing with the current policy version."""
    moment = when or timezone.now()
    current = current_policy(member.organisation)
    if current is None:
        return SignState(None, None, False, None)
    signoff = signoff_for(member, current)
    wanted = required_policy_number(member.organisation, moment) or current.number
    counts = standing(member, moment).signed
    due_by = None
    if signoff is None and counts:
        pending = PolicyVersion.objects.filter(
            organisation=member.organisation, material=True, sign_by__gt=moment, number__gt=wanted
        )
        due_by = pending.order_by("sign_by").values_list("sign_by", flat=True).first()
    return SignState(current, signoff, counts, due_by)


@dataclass(frozen=True)
class ModuleState:
    """A member's standing with one training module."""

    module: TrainingModule
    required: bool  # required of their role
    valid: TrainingCompletion | None  # the passed attempt that still counts
    attempts: int
    expiring_soon: bool

    @property
    def done(self) -> bool:
        """True while a passed attempt counts."""
        return self.valid is not None


def training_state(member: Member, when: datetime | None = None) -> list[ModuleState]:
    """Every module of the organisation with the member's standing, required ones first."""
    moment = when or timezone.now()
    modules = TrainingModule.objects.filter(organisation=member.organisation).prefetch_related("roles")
    attempts = dict(TrainingCompletion.objects.filter(member=member).values_list("module_id").annotate(n=Count("id")))
    valid: dict[int, TrainingCompletion] = {}
    for completion in TrainingCompletion.objects.filter(TrainingCompletion.valid_q(moment), member=member):
        best = valid.get(completion.module_id)
        if best is None or _expires_later(completion, best):
            valid[completion.module_id] = completion
    soon = moment + timedelta(days=EXPIRY_NOTICE_DAYS)
    states = [
        ModuleState(
            module=module,
            required=module.applies_to(member.role),
            valid=valid.get(module.pk),
            attempts=attempts.get(module.pk, 0),
            expiring_soon=_expires_before(valid.get(module.pk), soon),
        )
        for module in modules
    ]
    return sorted(states, key=lambda s: (not s.required, s.module.code))


def _expires_later(a: TrainingCompletion, b: TrainingCompletion) -> bool:
    if a.expires_at is None:
        return True
    return b.expires_at is not None and a.expires_at > b.expires_at


def _expires_before(completion: TrainingCompletion | None, moment: datetime) -> bool:
    return completion is not None and completion.expires_at is not None and completion.expires_at <= moment


@dataclass(frozen=True)
class MemberStatus:
    """One row of the organisation's governance status: a member, their signature and training."""

    member: Member
    signed: bool
    missing_modules: list[TrainingModule]


def organisation_status(organisation: Organisation) -> list[MemberStatus]:
    """Every active member with whether their signature counts and which required modules they lack."""
    members = list(Member.objects.filter(organisation=organisation, is_active=True).select_related("user"))
    found = standings(organisation, members)
    return [
        MemberStatus(member=m, signed=found[m.pk].signed, missing_modules=list(found[m.pk].missing_modules))
        for m in members
    ]


def attempts_on(member: Member, module: TrainingModule) -> int:
    """How many times the member has taken the module's quiz."""
    return TrainingCompletion.objects.filter(member=member, module=module).count()


def last_attempt(member: Member, module: TrainingModule) -> TrainingCompletion | None:
    """The member's latest attempt at the module."""
    return TrainingCompletion.objects.filter(member=member, module=module).order_by("-completed_at").first()


@dataclass(frozen=True)
class Todo:
    """Something the member should do: ``sign`` (the policy), ``train`` (a required module) or
    ``renew`` (a pass about to expire); ``due`` is when it starts to matter, if known."""

    kind: str
    due: datetime | None = None
    module: TrainingModule | None = None
    case: ViolationCase | None = None


def member_todos(member: Member) -> list[Todo]:
    """The member's open governance tasks, for reminders on the overview."""
    todos = []
    state = sign_state(member)
    if state.needs_signature:
        todos.append(Todo("sign", due=state.due_by))
    for module_state in training_state(member):
        if module_state.required and not module_state.done:
            todos.append(Todo("train", module=module_state.module))
        elif module_state.required and module_state.expiring_soon and module_state.valid is not None:
            todos.append(Todo("renew", due=module_state.valid.expires_at, module=module_state.module))
    listed = {todo.module.pk for todo in todos if todo.module is not None}
    for module in retraining_due([member.pk]).get(member.pk, []):
        if module.pk not in listed:
            todos.append(Todo("retrain", module=module))
    todos += [Todo("case", due=case.decided_at, case=case) for case in unseen_decisions(member)]
    return todos


# --------------------------------------------------------------------------- violations


@dataclass(frozen=True)
class CaseFilters:
    """What the case list is narrowed to (empty strings: everything)."""

    state: str = ""
    member: str = ""  # a member's public id
    rule: str = ""
    severity: str = ""
    source: str = ""


def violation_cases(organisation: Organisation, filters: CaseFilters = CaseFilters()) -> QuerySet[ViolationCase]:
    """The organisation's cases, newest first, narrowed by ``filters``."""
    cases = ViolationCase.objects.filter(organisation=organisation).select_related("member__user", "opened_by__user")
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.member:
        cases = cases.filter(member__public_id=filters.member)
    if filters.severity:
        cases = cases.filter(severity=filters.severity)
    if filters.source:
        cases = cases.filter(source=filters.source)
    if filters.rule:
        # JSON containment is not portable across SQLite and PostgreSQL; the rule list is short.
        wanted = [pk for pk, rules in cases.values_list("pk", "rules") if filters.rule in (rules or [])]
        cases = cases.filter(pk__in=wanted)
    return cases.order_by("-created_at", "-pk")


def ladder(organisation: Organisation) -> list[ConsequenceStep]:
    """The organisation's consequence ladder, lowest rung first."""
    steps = ConsequenceStep.objects.filter(organisation=organisation).select_related("module")
    return list(steps.order_by("position", "pk"))


COUNTED_CONSEQUENCES = frozenset(Consequence.values) - {Consequence.NONE}


def earlier_offences(case: ViolationCase) -> int:
    """How many earlier cases of the same member ended in a consequence (no action does not count)."""
    earlier = ViolationCase.objects.filter(member_id=case.member_id, consequence__in=COUNTED_CONSEQUENCES)
    return earlier.exclude(pk=case.pk).filter(decided_at__isnull=False).count()


def suggested_step(case: ViolationCase, steps: list[ConsequenceStep]) -> ConsequenceStep | None:
    """The rung a decision starts from: one higher for each earlier offence, the top rung at most."""
    if not steps:
        return None
    return steps[min(earlier_offences(case), len(steps) - 1)]


@dataclass(frozen=True)
class OffenderRow:
    """One member's (or rule's) record: cases, those with a consequence, and the latest."""

    key: str
    member: Member | None
    cases: int
    with_consequence: int
    last_at: datetime | None
    rules: list[str]


def repeat_offenders(organisation: Organisation, since: datetime | None = None, minimum: int = 1) -> list[OffenderRow]:
    """Members by number of cases (most first), with the rules they broke."""
    cases = ViolationCase.objects.filter(organisation=organisation).select_related("member__user")
    if since is not None:
        cases = cases.filter(created_at__gte=since)
    grouped: dict[int, list[ViolationCase]] = {}
    for case in cases:
        grouped.setdefault(case.member_id, []).append(case)
    rows = [
        OffenderRow(
            key=str(group[0].member.public_id),
            member=group[0].member,
            cases=len(group),
            with_consequence=sum(1 for c in group if c.consequence in COUNTED_CONSEQUENCES),
            last_at=max(c.created_at for c in group),
            rules=sorted({rule for c in group for rule in c.rules or []}),
        )
        for group in grouped.values()
        if len(group) >= minimum
    ]
    return sorted(rows, key=lambda r: (-r.cases, -r.with_consequence, r.key))


def cases_per_rule(organisation: Organisation, since: datetime | None = None) -> list[OffenderRow]:
    """Rules by number of cases (most first), with how many people broke each."""
    cases = ViolationCase.objects.filter(organisation=organisation)
    if since is not None:
        cases = cases.filter(created_at__gte=since)
    grouped: dict[str, list[ViolationCase]] = {}
    for case in cases:
        for rule in case.rules or []:
            grouped.setdefault(rule, []).append(case)
    rows = [
        OffenderRow(
            key=rule,
            member=None,
            cases=len(group),
            with_consequence=len({c.member_id for c in group}),  # for a rule: how many people
            last_at=max(c.created_at for c in group),
            rules=[rule],
        )
        for rule, group in grouped.items()
    ]
    return sorted(rows, key=lambda r: (-r.cases, r.key))


def unseen_decisions(member: Member) -> list[ViolationCase]:
    """Decisions on the member's own cases they have not confirmed reading yet."""
    cases = ViolationCase.objects.filter(member=member, decided_at__isnull=False, seen_at__isnull=True)
    return list(cases.select_related("suspension", "retraining_module").order_by("-decided_at"))
