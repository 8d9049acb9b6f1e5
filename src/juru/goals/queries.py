"""Reads of the goals app: months, business functions with their names, objectives and their progress."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import Organisation
from juru.goals.exceptions import GoalsError
from juru.goals.kpis import REGISTRY, Kpi, Scope, measure
from juru.goals.models import FunctionProfile, Objective, Pilot, Target
from juru.publishing.models import BusinessFunction

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the first day of that month; a clear error otherwise."""
    found = MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise GoalsError(_("Give the month as YYYY-MM, for example 2026-11."))
    return date(int(found.group(1)), int(found.group(2)), 1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def month_scope(organisation: Organisation, month: date) -> Scope:
    return Scope(organisation, day_start(month), day_start(next_month(month)))


@dataclass(frozen=True)
class FunctionRow:
    """A business function with the organisation's name for it."""

    function: str
    name: str
    description: str
    customised: bool


def functions(organisation: Organisation) -> list[FunctionRow]:
    """The five business functions, named as the organisation named them (or by their standard name)."""
    profiles = {p.function: p for p in FunctionProfile.objects.filter(organisation=organisation)}
    rows = []
    for value, label in BusinessFunction.choices:
        profile = profiles.get(value)
        name = profile.name if profile else str(label)
        rows.append(FunctionRow(value, name, profile.description if profile else "", profile is not None))
    return rows


def function_names(organisation: Organisation) -> dict[str, str]:
    return {row.function: row.name for row in functions(organisation)}


def objectives(organisation: Organisation) -> QuerySet[Objective]:
    return Objective.objects.filter(organisation=organisation).prefetch_related("targets")


def objectives_during(organisation: Organisation, start: date, end: date) -> QuerySet[Objective]:
    """Objectives whose period overlaps ``[start, end]``."""
    return objectives(organisation).filter(period_start__lte=end, period_end__gte=start)


def pilots_during(organisation: Organisation, start: date, end: date) -> QuerySet[Pilot]:
    return Pilot.objects.filter(organisation=organisation, start__lte=end, end__gte=start).select_related("team")


@dataclass(frozen=True)
class Progress:
    """A target against its KPI measured over the objective's period so far."""

    target: Target
    kpi: Kpi
    actual: float | None
    reached: bool | None
    percent: int  # 0-100, for the bar


def progress(target: Target, objective: Objective, *, until: datetime | None = None) -> Progress:
    """How far the objective's KPI has come towards its target (higher or lower is better, per KPI)."""
    kpi = REGISTRY.get(target.kpi)
    if kpi is None:  # a KPI that was removed from the registry: shown, never measured
        kpi = Kpi(target.kpi, target.kpi, "", "", True, lambda _scope: None)
    start = day_start(objective.period_start)
    end = min(day_start(objective.period_end + timedelta(days=1)), until or timezone.now())
    scope = Scope(objective.organisation, start, max(end, start), function=objective.function)
    actual = kpi.compute(scope)  # a KPI that cannot narrow to a function measures the organisation
    return Progress(target, kpi, actual, *_reached(kpi, actual, float(target.value)))


def _reached(kpi: Kpi, actual: float | None, goal: float) -> tuple[bool | None, int]:
    if actual is None:
        return None, 0
    if kpi.higher_is_better:
        return actual >= goal, 100 if goal <= 0 else min(round(100 * actual / goal), 100)
    if actual <= goal:
        return True, 100
    return False, round(100 * goal / actual) if actual else 0


def kpi_values(scope: Scope) -> list[tuple[Kpi, float | None]]:
    """Every registered KPI over ``scope``."""
    return [(kpi, measure(kpi.name, scope)) for kpi in REGISTRY.values()]
