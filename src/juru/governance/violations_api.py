"""JSON API of violation cases (mounted under ``/api/v1/``): the same services, queries and checks as the pages.

Handling cases follows ``OrgAction.MANAGE_POLICY`` (404 otherwise, like the pages); any member may
report a violation; the member a case is about reads its decision (without the investigation notes)
and confirms reading it. A refusal carries the service's translated message: 409 when the case's
state does not allow the step, 403 when the person may not take it, 422 for everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts.api_auth import api_member
from juru.accounts.models import Member, OrgAction
from juru.accounts.roles import role_can
from juru.governance import queries, services
from juru.governance.exceptions import GovernanceError
from juru.governance.forms import CaseForm, step_label
from juru.governance.models import CaseNote, ConsequenceStep, ViolationCase, ViolationState
from juru.governance.services.violations import DECIDABLE
from juru.governance.violation_schemas import (
    CaseDetailOut,
    CaseFiltersIn,
    CaseIn,
    CaseOut,
    DecisionIn,
    DecisionOut,
    NoteIn,
    NoteOut,
    OffenderOut,
    ReasonIn,
    RepeatOffendersOut,
    RuleCountOut,
    StepOut,
)
from juru.governance.violation_views import PAGE, WINDOWS, case_prefill, visible_case

router = Router(tags=["violations"])
MOVES = (ViolationState.INVESTIGATING, ViolationState.CLOSED, ViolationState.REOPENED)


def _manager(request: HttpRequest) -> Member:
    """The member, if they handle cases; 404 otherwise, like the pages."""
    member = api_member(request)
    if not role_can(member, OrgAction.MANAGE_POLICY):
        raise Http404
    return member


def _run(action: Callable[[], Any], *, conflict: bool = False, forbidden: bool = False) -> Any:
    """Call a service; its refusal becomes 409 (``conflict``), 403 (``forbidden``) or 422 with its message."""
    try:
        return action()
    except GovernanceError as exc:
        raise HttpError(409 if conflict else 403 if forbidden else 422, str(exc)) from None


def _username(member: Member | None) -> str | None:
    return member.user.get_username() if member is not None else None


def _case_out(case: ViolationCase) -> dict[str, Any]:
    return {
        "id": case.public_id, "member": case.member.user.get_username(), "member_id": case.member.public_id,
        "opened_by": case.opened_by.user.get_username(), "opened_at": case.created_at, "source": case.source,
        "state": case.state, "rules": list(case.rules or []), "severity": case.severity,
        "consequence": case.consequence, "decided_at": case.decided_at, "seen_at": case.seen_at,
    }  # fmt: skip


def _step_out(step: ConsequenceStep) -> StepOut:
    return StepOut(
        id=step.public_id, position=step.position, consequence=step.consequence, label=step_label(step),
        days=step.days, module=step.module.code if step.module else None,
    )  # fmt: skip


def _decision_out(case: ViolationCase) -> DecisionOut | None:
    if case.decided_at is None:
        return None
    return DecisionOut(
        consequence=case.consequence, label=str(case.get_consequence_display()), note=case.decision_note,
        decided_by=_username(case.decided_by), decided_at=case.decided_at,
        suspended_until=case.suspension.ends_at if case.suspension else None,
        retraining_module=case.retraining_module.code if case.retraining_module else None,
        grants_removed=list(case.removed_grants or []),
    )  # fmt: skip


def _note_out(note: CaseNote) -> NoteOut:
    return NoteOut(author=note.author.user.get_username(), text=note.text, written_at=note.created_at)


def _detail_out(member: Member, case: ViolationCase) -> dict[str, Any]:
    """The case as its page shows it to ``member``: notes and the suggested rung only for those who handle cases."""
    manages = role_can(member, OrgAction.MANAGE_POLICY)
    suggested = queries.suggested_step(case, queries.ladder(member.organisation)) if manages else None
    notes = [_note_out(n) for n in case.notes.select_related("author__user")] if manages else None
    return _case_out(case) | {
        "content": case.content, "reason": case.reason,
        "draft": case.draft.public_id if case.draft else None, "post": case.post.public_id if case.post else None,
        "decision": _decision_out(case), "next_states": [s for s in MOVES if case.can_move_to(s)],
        "can_decide": case.state in DECIDABLE, "notes": notes,
        "earlier_offences": queries.earlier_offences(case) if manages else None,
        "suggested_step": _step_out(suggested) if suggested else None,
    }  # fmt: skip


def _reread(member: Member, case: ViolationCase) -> dict[str, Any]:
    return _detail_out(member, visible_case(member, case.public_id))


@router.get("/violations", response=list[CaseOut], summary="Violation cases, newest first (for those who handle them)")
def list_cases(request: HttpRequest, filters: Query[CaseFiltersIn]) -> list[dict[str, Any]]:
    member = _manager(request)
    wanted = queries.CaseFilters(
        state=filters.state or "", member=str(filters.member or ""), rule=filters.rule.strip(),
        severity=filters.severity or "", source=filters.source or "",
    )  # fmt: skip
    return [_case_out(c) for c in queries.violation_cases(member.organisation, wanted)[:PAGE]]


def _form_data(member: Member, body: CaseIn) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report as the page's form would receive it: what was sent, else what the draft or post gives."""
    initial, links = case_prefill(member, body.draft, body.post)
    data = {
        "member": str(body.member or initial.get("member", "")),
        "rules": ", ".join(body.rules) if body.rules else initial.get("rules", ""),
        "severity": body.severity or initial.get("severity", ""),
        "content": body.content if body.content is not None else initial.get("content", ""),
        "reason": body.reason,
    }
    return data, links


@router.post("/violations", response={201: CaseDetailOut}, summary="Report a violation (any member)")
def report_case(request: HttpRequest, body: CaseIn) -> Status:
    member = api_member(request)
    data, links = _form_data(member, body)
    form = CaseForm(data, organisation=member.organisation)
    if not form.is_valid():
        raise HttpError(422, _form_errors(form))
    chosen = form.cleaned_data
    case = _run(lambda: services.open_case(
        actor=member, member=chosen["member"], reason=chosen["reason"], rules=form.rule_list(),
        severity=chosen["severity"], content=chosen["content"], **links,
    ))  # fmt: skip
    if not role_can(member, OrgAction.MANAGE_POLICY) and case.member_id != member.pk:
        return Status(201, _case_out(case) | _reported_only(case))
    return Status(201, _reread(member, case))


def _form_errors(form: CaseForm) -> str:
    """Each field's refusal after its (translated) label, as the page shows them beside the fields."""
    labels = {name: f"{field.label}: " for name, field in form.fields.items()}
    return " ".join(f"{labels.get(name, '')}{error}" for name, errors in form.errors.items() for error in errors)


def _reported_only(case: ViolationCase) -> dict[str, Any]:
    """What the reporter, who does not handle cases, gets back: what they sent, nothing of the workflow."""
    return {
        "content": case.content, "reason": case.reason, "draft": None, "post": None, "decision": None,
        "next_states": [], "can_decide": False, "notes": None, "earlier_offences": None, "suggested_step": None,
    }  # fmt: skip


# Fixed paths come before ``/violations/{case_id}`` so that they are not read as a case id.
@router.get("/violations/repeat-offenders", response=RepeatOffendersOut, summary="Cases per person and per rule")
def repeat_offenders(request: HttpRequest, days: Literal["90", "365", "all"] = "365") -> RepeatOffendersOut:
    member = _manager(request)
    window = WINDOWS[days]
    since = timezone.now() - timedelta(days=window) if window else None
    people = queries.repeat_offenders(member.organisation, since)
    rules = queries.cases_per_rule(member.organisation, since)
    return RepeatOffendersOut(
        days=window,
        people=[
            OffenderOut(member=_username(row.member) or "", member_id=UUID(row.key), cases=row.cases,
                        with_consequence=row.with_consequence, last_at=row.last_at, rules=row.rules)
            for row in people
        ],
        rules=[RuleCountOut(rule=row.key, cases=row.cases, people=row.with_consequence, last_at=row.last_at)
               for row in rules],
    )  # fmt: skip


@router.get("/violation-steps", response=list[StepOut], summary="The consequence ladder, lowest rung first")
def list_steps(request: HttpRequest) -> list[StepOut]:
    return [_step_out(step) for step in queries.ladder(_manager(request).organisation)]


@router.get("/violations/{case_id}", response=CaseDetailOut, summary="One case (its subject reads it without notes)")
def get_case(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    member = api_member(request)
    return _detail_out(member, visible_case(member, case_id))


def _move(request: HttpRequest, case_id: UUID, target: str, action: Callable[[Member, ViolationCase], Any]) -> Any:
    member = _manager(request)
    case = visible_case(member, case_id)
    _run(lambda: action(member, case), conflict=not case.can_move_to(target))
    return _reread(member, case)


@router.post("/violations/{case_id}/investigate", response=CaseDetailOut, summary="Start investigating")
def investigate(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    return _move(request, case_id, ViolationState.INVESTIGATING,
                 lambda member, case: services.start_investigation(actor=member, case=case))  # fmt: skip


@router.post("/violations/{case_id}/close", response=CaseDetailOut, summary="Close the case")
def close(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    return _move(request, case_id, ViolationState.CLOSED,
                 lambda member, case: services.close_case(actor=member, case=case))  # fmt: skip


@router.post("/violations/{case_id}/reopen", response=CaseDetailOut, summary="Reopen a decided or closed case")
def reopen(request: HttpRequest, case_id: UUID, body: ReasonIn) -> dict[str, Any]:
    return _move(request, case_id, ViolationState.REOPENED,
                 lambda member, case: services.reopen_case(actor=member, case=case, reason=body.reason))  # fmt: skip


@router.post("/violations/{case_id}/notes", response={201: NoteOut}, summary="Add an investigation note")
def add_note(request: HttpRequest, case_id: UUID, body: NoteIn) -> Status:
    member = _manager(request)
    case = visible_case(member, case_id)
    note = _run(lambda: services.add_note(actor=member, case=case, text=body.text))
    return Status(201, _note_out(note))


@router.post("/violations/{case_id}/decide", response=CaseDetailOut, summary="Decide with a rung of the ladder")
def decide(request: HttpRequest, case_id: UUID, body: DecisionIn) -> dict[str, Any]:
    """``step`` is a rung's id from ``/violation-steps`` (``null``: no action); the consequence applies at once."""
    member = _manager(request)
    case = visible_case(member, case_id)
    step = None
    if body.step is not None:
        step = next((s for s in queries.ladder(member.organisation) if s.public_id == body.step), None)
        if step is None:
            raise HttpError(422, _("Choose a consequence from this organisation's ladder."))
    _run(lambda: services.decide_case(actor=member, case=case, step=step, note=body.note),
         conflict=case.state not in DECIDABLE, forbidden=case.member_id == member.pk)  # fmt: skip
    return _reread(member, case)


@router.post("/violations/{case_id}/seen", response=CaseDetailOut, summary="The member concerned read the decision")
def seen(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    member = api_member(request)
    case = visible_case(member, case_id)
    _run(lambda: services.mark_seen(member=member, case=case), forbidden=case.member_id != member.pk)
    return _reread(member, case)
