"""Request and response shapes of the goals and reports API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema

from juru.publishing.models import BusinessFunction


class KpiOut(Schema):
    """A KPI's value over a period (``null``: nothing to measure)."""

    name: str
    label: str
    unit: str
    higher_is_better: bool
    value: float | None


class ProgressOut(Schema):
    """A target against its KPI measured over the objective's period so far."""

    id: UUID
    kpi: str
    label: str
    unit: str
    target: Decimal
    actual: float | None
    reached: bool | None
    percent: int


class ObjectiveOut(Schema):
    id: UUID
    function: str
    function_name: str
    title: str
    description: str
    period_start: date
    period_end: date
    targets: list[ProgressOut]


class ObjectiveIn(Schema):
    function: BusinessFunction
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=10_000)
    period_start: date
    period_end: date


class TargetIn(Schema):
    kpi: str = Field(..., max_length=48)
    value: Decimal = Field(..., max_digits=12, decimal_places=2)


class MonthKpisOut(Schema):
    month: str
    kpis: list[KpiOut]


class PilotRowOut(Schema):
    label: str
    posts: int
    turnaround_hours: float | None
    flagged: int
    violations: int


class PilotOut(Schema):
    id: UUID
    name: str
    team: str
    start: date
    end: date
    lessons: str
    weeks: list[PilotRowOut]
    people: list[PilotRowOut]
    first_pass_share: float | None
    best_campaigns: list[str]


class FunctionTotalOut(Schema):
    name: str
    posts: int


class ReportOut(Schema):
    """The monthly report: the same data as its page and its PDF."""

    month: str
    generated_at: datetime
    empty: bool
    kpis: list[KpiOut]
    objectives: list[ObjectiveOut]
    pilots: list[PilotOut]
    function_totals: list[FunctionTotalOut]
