"""Request and response shapes of the violations API (cases, their workflow, the ladder, repeat offenders)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from juru.governance.models import Severity, ViolationSource, ViolationState


class CaseFiltersIn(Schema):
    """What ``GET /violations`` is narrowed to; every filter is optional."""

    state: ViolationState | None = None
    member: UUID | None = None
    rule: str = Field("", max_length=100)
    severity: Severity | None = None
    source: ViolationSource | None = None


class CaseIn(Schema):
    """A violation report; ``draft`` or ``post`` links it (and fills what is left out) as the page does."""

    member: UUID | None = None
    reason: str = Field(..., max_length=10_000)
    rules: list[str] = Field(default_factory=list, max_length=50)
    severity: Severity | None = None
    content: str | None = Field(None, max_length=10_000)
    draft: UUID | None = None
    post: UUID | None = None


class ReasonIn(Schema):
    reason: str = Field(..., max_length=10_000)


class NoteIn(Schema):
    text: str = Field(..., max_length=10_000)


class DecisionIn(Schema):
    """A rung of the ladder (``null``: no action) and the reasons the member reads."""

    step: UUID | None
    note: str = Field(..., max_length=10_000)


class CaseOut(Schema):
    id: UUID
    member: str
    member_id: UUID
    opened_by: str
    opened_at: datetime
    source: ViolationSource
    state: ViolationState
    rules: list[str]
    severity: str
    consequence: str
    decided_at: datetime | None
    seen_at: datetime | None


class NoteOut(Schema):
    author: str
    text: str
    written_at: datetime


class DecisionOut(Schema):
    """The decision as the member concerned reads it."""

    consequence: str
    label: str
    note: str
    decided_by: str | None
    decided_at: datetime
    suspended_until: datetime | None
    retraining_module: str | None
    grants_removed: list[dict[str, str]]


class StepOut(Schema):
    id: UUID
    position: int
    consequence: str
    label: str
    days: int | None
    module: str | None


class CaseDetailOut(CaseOut):
    """One case; ``notes``, ``earlier_offences`` and ``suggested_step`` only for those who handle cases."""

    content: str
    reason: str
    draft: UUID | None
    post: UUID | None
    decision: DecisionOut | None
    next_states: list[ViolationState]
    can_decide: bool
    notes: list[NoteOut] | None
    earlier_offences: int | None
    suggested_step: StepOut | None


class OffenderOut(Schema):
    member: str
    member_id: UUID
    cases: int
    with_consequence: int
    last_at: datetime | None
    rules: list[str]


class RuleCountOut(Schema):
    rule: str
    cases: int
    people: int
    last_at: datetime | None


class RepeatOffendersOut(Schema):
    days: int | None
    people: list[OffenderOut]
    rules: list[RuleCountOut]
