"""Violation cases: open, investigate, decide a consequence from the organisation's ladder, close, reopen.

A decision changes eligibility at once (``juru.governance.eligibility`` reads suspensions and
retraining assignments live) and ends on time; every write is audited and the member is told in
the app (the overview lists decisions they have not seen) and by e-mail. Each service collects its
audit events and appends them once, last; ``case_opening`` returns its events instead, for a caller
that runs it inside its own transaction (the owner's override of a block in publishing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from juru.accounts.models import Grant, Member
from juru.audit.services import PendingEvent, append, prepare
from juru.governance.exceptions import InvalidCaseError
from juru.governance.models import (
    CaseNote,
    Consequence,
    ConsequenceStep,
    Severity,
    Suspension,
    ViolationCase,
    ViolationSource,
    ViolationState,
)
from juru.governance.services.suspensions import lifting, suspending

MAX_TEXT = 10_000


def _event(action: str, actor: Member, case: ViolationCase, **fields: Any) -> PendingEvent:
    return prepare(action=action, actor=actor.user, organisation=case.organisation, obj=case, **fields)


def _snapshot(case: ViolationCase) -> dict[str, Any]:
    return {
        "member": case.member.user.get_username(), "state": case.state, "consequence": case.consequence,
        "rules": case.rules, "severity": case.severity,
    }  # fmt: skip


def case_opening(
    *, actor: Member, member: Member, source: str, reason: str, rules: Sequence[str] = (), severity: str = "",
    content: str = "", draft: Any = None, post: Any = None, scan_decision: Any = None,
) -> tuple[ViolationCase, list[PendingEvent]]:  # fmt: skip
    """Create a case and return it with its audit events, which the caller appends in its transaction."""
    if member.organisation_id != actor.organisation_id:
        raise InvalidCaseError(_("The member belongs to another organisation."))
    if source not in ViolationSource.values:
        raise InvalidCaseError(_("Choose where the case comes from."))
    if severity and severity not in Severity.values:
        raise InvalidCaseError(_("Choose a severity from the list."))
    if not reason.strip():
        raise InvalidCaseError(_("Say why the case is opened."))
    if len(reason) > MAX_TEXT or len(content) > MAX_TEXT:
        raise InvalidCaseError(_("The text is too long (at most %(count)s characters).") % {"count": MAX_TEXT})
    case = ViolationCase.objects.create(
        organisation=member.organisation, member=member, opened_by=actor, source=source, draft=draft, post=post,
        scan_decision=scan_decision, rules=sorted({r.strip() for r in rules if r.strip()}), severity=severity,
        content=content, reason=reason.strip(),
    )  # fmt: skip
    return case, [_event("violation.open", actor, case, after=_snapshot(case) | {"source": source},
                         summary=reason.strip()[:200])]  # fmt: skip


@transaction.atomic
def open_case(**fields: Any) -> ViolationCase:
    """Open a case (arguments as for ``case_opening``) and record it."""
    case, events = case_opening(**fields)
    append(events)
    return case


def _locked(case: ViolationCase) -> ViolationCase:
    return ViolationCase.objects.select_for_update().select_related("member__user", "organisation").get(pk=case.pk)


def _move(actor: Member, case: ViolationCase, state: str, summary: str = "") -> PendingEvent:
    if not case.can_move_to(state):
        raise InvalidCaseError(
            _("A case that is %(state)s cannot move to %(target)s.")
            % {"state": case.get_state_display(), "target": ViolationState(state).label}
        )
    before = case.state
    case.state = state
    case.save(update_fields=["state", "updated_at"])
    return _event(f"violation.{state}", actor, case, before={"state": before}, after={"state": state}, summary=summary)


@transaction.atomic
def start_investigation(*, actor: Member, case: ViolationCase) -> ViolationCase:
    """Mark the case as being investigated."""
    case = _locked(case)
    append([_move(actor, case, ViolationState.INVESTIGATING)])
    return case


@transaction.atomic
def close_case(*, actor: Member, case: ViolationCase) -> ViolationCase:
    """Close the case (decided, or dismissed without a decision); its consequence keeps running."""
    case = _locked(case)
    append([_move(actor, case, ViolationState.CLOSED)])
    return case


@transaction.atomic
def reopen_case(*, actor: Member, case: ViolationCase, reason: str) -> ViolationCase:
    """Reopen a decided or closed case; its consequence stays until a new decision replaces it."""
    if not reason.strip():
        raise InvalidCaseError(_("Say why the case is reopened."))
    case = _locked(case)
    append([_move(actor, case, ViolationState.REOPENED, summary=reason.strip()[:200])])
    CaseNote.objects.create(case=case, author=actor, text=reason.strip())
    return case


@transaction.atomic
def add_note(*, actor: Member, case: ViolationCase, text: str) -> CaseNote:
    """Add an investigation note."""
    if not text.strip():
        raise InvalidCaseError(_("Write the note first."))
    if len(text) > MAX_TEXT:
        raise InvalidCaseError(_("The text is too long (at most %(count)s characters).") % {"count": MAX_TEXT})
    case = _locked(case)
    note = CaseNote.objects.create(case=case, author=actor, text=text.strip())
    append([_event("violation.note", actor, case, summary=text.strip()[:200])])
    return note


DECIDABLE = frozenset({ViolationState.OPEN, ViolationState.INVESTIGATING, ViolationState.REOPENED})


@transaction.atomic
def decide_case(
    *, actor: Member, case: ViolationCase, step: ConsequenceStep | None, note: str, when: datetime | None = None
) -> ViolationCase:
    """Decide the case with a rung of the ladder (None: no action) and apply its consequence at once.

    Deciding a reopened case again first undoes what its earlier decision still holds (a running
    suspension ends, a retraining assignment is replaced); grants already removed stay removed.
    """
    case = _locked(case)
    if case.state not in DECIDABLE:
        raise InvalidCaseError(_("Only an open case can be decided; reopen it first."))
    if step is not None and step.organisation_id != case.organisation_id:
        raise InvalidCaseError(_("Choose a consequence from this organisation's ladder."))
    if actor.pk == case.member_id:
        raise InvalidCaseError(_("You cannot decide a case about yourself."))
    if not note.strip():
        raise InvalidCaseError(_("Explain the decision; the member reads it."))
    moment = when or timezone.now()
    events = _undo_earlier(actor, case, moment)
    consequence = step.consequence if step is not None else Consequence.NONE
    before = _snapshot(case)
    case.consequence, case.decision_note, case.decided_at, case.decided_by = consequence, note.strip(), moment, actor
    case.state, case.seen_at, case.retraining_module, case.suspension = ViolationState.DECIDED, None, None, None
    if consequence == Consequence.SUSPENSION and step is not None:
        case.suspension, suspended = _suspend(actor, case, step, moment)
        events.append(suspended)
    elif consequence == Consequence.RETRAINING and step is not None:
        case.retraining_module = step.module
    elif consequence == Consequence.REMOVE_GRANTS:
        removed, revoked = _remove_grants(actor, case)
        case.removed_grants = case.removed_grants + removed
        events += revoked
    case.save()
    events.append(_event("violation.decided", actor, case, before=before, after=_snapshot(case) | _details(case),
                         summary=note.strip()[:200]))  # fmt: skip
    append(events)
    transaction.on_commit(lambda: tell_member(case))
    return case


def _details(case: ViolationCase) -> dict[str, Any]:
    return {
        "suspended_until": case.suspension.ends_at if case.suspension else None,
        "module": case.retraining_module.code if case.retraining_module else None,
        "grants_removed": case.removed_grants,
    }


def _undo_earlier(actor: Member, case: ViolationCase, moment: datetime) -> list[PendingEvent]:
    suspension = case.suspension
    if suspension is not None and suspension.is_active_at(moment):
        return [lifting(actor=actor.user, suspension=suspension, when=moment)]
    return []


def _suspend(
    actor: Member, case: ViolationCase, step: ConsequenceStep, moment: datetime
) -> tuple[Suspension, PendingEvent]:
    days = step.days or 1
    reason = _("Violation case decided on %(date)s") % {"date": moment.date().isoformat()}
    return suspending(actor=actor.user, member=case.member, reason=reason, starts_at=moment,
                      ends_at=moment + timedelta(days=days))  # fmt: skip


def _remove_grants(actor: Member, case: ViolationCase) -> tuple[list[dict[str, str]], list[PendingEvent]]:
    grants = list(Grant.objects.filter(member=case.member).select_related("account"))
    removed = [{"account": g.account.handle, "permission": g.permission} for g in grants]
    events = [
        prepare(action="grant.revoke", actor=actor.user, organisation=case.organisation, obj=g,
                before={"account": g.account.handle, "permission": g.permission,
                        "member": case.member.user.get_username(), "team": None})
        for g in grants
    ]  # fmt: skip
    Grant.objects.filter(pk__in=[g.pk for g in grants]).delete()
    return removed, events


@transaction.atomic
def mark_seen(*, member: Member, case: ViolationCase) -> ViolationCase:
    """The member read the decision on their case (it leaves their overview)."""
    if case.member_id != member.pk:
        raise InvalidCaseError(_("Only the member concerned can confirm reading a decision."))
    if case.seen_at is None and case.decided_at is not None:
        case.seen_at = timezone.now()
        case.save(update_fields=["seen_at", "updated_at"])
        append([_event("violation.seen", member, case)])
    return case


def tell_member(case: ViolationCase) -> None:
    """E-mail the member the decision on their case, in Indonesian and English."""
    member = case.member
    if not member.user.email:
        return
    parts = []
    for lang in ("id", "en"):
        with translation.override(lang):
            parts.append(render_to_string("governance/violation_email.txt", {"member": member, "case": case}).strip())
    subject = parts[0].splitlines()[0]
    send_mail(subject, "\n\n---\n\n".join(parts), None, [member.user.email])


# --------------------------------------------------------------------------- the ladder

SUGGESTED_LADDER: tuple[tuple[str, int | None], ...] = (
    (Consequence.WARNING, None),
    (Consequence.RETRAINING, None),
    (Consequence.SUSPENSION, 7),
    (Consequence.SUSPENSION, 30),
    (Consequence.REMOVE_GRANTS, None),
)
MAX_SUSPENSION_DAYS = 365


def _ladder_step(
    actor: Member, consequence: str, days: int | None, module: Any, position: int | None
) -> tuple[ConsequenceStep, PendingEvent]:
    organisation = actor.organisation
    if consequence not in Consequence.values:
        raise InvalidCaseError(_("Choose a consequence from the list."))
    if consequence == Consequence.SUSPENSION and not (days and 1 <= days <= MAX_SUSPENSION_DAYS):
        raise InvalidCaseError(_("A suspension needs a number of days between 1 and 365."))
    if consequence == Consequence.RETRAINING and (module is None or module.organisation_id != organisation.pk):
        raise InvalidCaseError(_("Retraining needs one of the organisation's training modules."))
    last = ConsequenceStep.objects.filter(organisation=organisation).aggregate(n=Max("position"))["n"] or 0
    step = ConsequenceStep.objects.create(
        organisation=organisation, consequence=consequence, position=position or last + 1,
        days=days if consequence == Consequence.SUSPENSION else None,
        module=module if consequence == Consequence.RETRAINING else None,
    )  # fmt: skip
    event = prepare(action="violation.ladder_add", actor=actor.user, organisation=organisation, obj=step,
                    after={"position": step.position, "consequence": consequence, "days": step.days,
                           "module": step.module.code if step.module else None})  # fmt: skip
    return step, event


@transaction.atomic
def add_ladder_step(
    *, actor: Member, consequence: str, days: int | None = None, module: Any = None, position: int | None = None
) -> ConsequenceStep:
    """Add a rung to the organisation's ladder (at the end unless ``position`` is given)."""
    step, event = _ladder_step(actor, consequence, days, module, position)
    append([event])
    return step


@transaction.atomic
def remove_ladder_step(*, actor: Member, step: ConsequenceStep) -> None:
    """Take a rung off the ladder (decisions already taken keep their consequence)."""
    before = {"position": step.position, "consequence": step.consequence, "days": step.days}
    append([prepare(action="violation.ladder_remove", actor=actor.user, organisation=step.organisation, obj=step,
                    before=before)])  # fmt: skip
    step.delete()


@transaction.atomic
def install_suggested_ladder(*, actor: Member, module: Any = None) -> list[ConsequenceStep]:
    """Give an organisation without a ladder the suggested one (retraining only with a module)."""
    if ConsequenceStep.objects.filter(organisation=actor.organisation).exists():
        raise InvalidCaseError(_("The organisation already has a ladder."))
    made = [
        _ladder_step(actor, consequence, days, module, None)
        for consequence, days in SUGGESTED_LADDER
        if consequence != Consequence.RETRAINING or module is not None
    ]
    append([event for _step, event in made])
    return [step for step, _event in made]
