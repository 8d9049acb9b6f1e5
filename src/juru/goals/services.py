"""Writes of the goals app: function names, objectives and their targets, pilot programmes.

Each write is checked here (clear, translated errors), done in one transaction and audited.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from juru.accounts.models import Organisation, Team
from juru.audit.services import record
from juru.goals.exceptions import GoalsError
from juru.goals.kpis import REGISTRY
from juru.goals.models import FunctionProfile, Objective, Pilot, Target
from juru.publishing.models import BusinessFunction

MAX_PERIOD_DAYS = 366 * 2


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    if start is None or end is None:
        raise GoalsError(_("Give the period a start and an end date."))
    if end < start:
        raise GoalsError(_("The period ends before it starts."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise GoalsError(_("A period lasts at most two years."))
    return start, end


def save_profile(
    *, actor: Any, organisation: Organisation, function: str, name: str, description: str = ""
) -> FunctionProfile:
    """Give a business function the organisation's own name and description."""
    if function not in BusinessFunction.values:
        raise GoalsError(_("Choose a business function."))
    name = name.strip()
    if not name:
        raise GoalsError(_("Give the business function a name."))
    with transaction.atomic():
        profile, created = FunctionProfile.objects.select_for_update().get_or_create(
            organisation=organisation, function=function, defaults={"name": name}
        )
        before = None if created else {"name": profile.name, "description": profile.description}
        profile.name, profile.description = name, description.strip()
        profile.save()
        record(
            action="goals.function_updated",
            actor=actor,
            organisation=organisation,
            obj=profile,
            before=before,
            after={"function": function, "name": profile.name, "description": profile.description},
        )
    return profile


def _objective_values(function: str, title: str, start: date | None, end: date | None) -> dict[str, Any]:
    if function not in BusinessFunction.values:
        raise GoalsError(_("Choose a business function."))
    title = title.strip()
    if not title:
        raise GoalsError(_("Describe the objective in a few words."))
    period_start, period_end = _period(start, end)
    return {"function": function, "title": title, "period_start": period_start, "period_end": period_end}


def _snapshot(objective: Objective) -> dict[str, Any]:
    return {
        "function": objective.function,
        "title": objective.title,
        "description": objective.description,
        "period_start": objective.period_start.isoformat(),
        "period_end": objective.period_end.isoformat(),
        "targets": {t.kpi: str(t.value) for t in objective.targets.all()},
    }


def create_objective(
    *,
    actor: Any,
    organisation: Organisation,
    function: str,
    title: str,
    period_start: date | None,
    period_end: date | None,
    description: str = "",
    created_by: Any = None,
) -> Objective:
    """A new objective for one business function over a period."""
    values = _objective_values(function, title, period_start, period_end)
    with transaction.atomic():
        objective = Objective.objects.create(
            organisation=organisation, description=description.strip(), created_by=created_by, **values
        )
        record(
            action="goals.objective_created",
            actor=actor,
            organisation=organisation,
            obj=objective,
            after=_snapshot(objective),
        )
    return objective


def update_objective(
    *,
    actor: Any,
    objective: Objective,
    function: str,
    title: str,
    period_start: date | None,
    period_end: date | None,
    description: str = "",
) -> Objective:
    """Change an objective's function, words or period (its targets stay)."""
    values = _objective_values(function, title, period_start, period_end)
    with transaction.atomic():
        objective = Objective.objects.select_for_update().get(pk=objective.pk)
        before = _snapshot(objective)
        for name, value in values.items():
            setattr(objective, name, value)
        objective.description = description.strip()
        objective.save()
        record(
            action="goals.objective_updated",
            actor=actor,
            organisation=objective.organisation,
            obj=objective,
            before=before,
            after=_snapshot(objective),
        )
    return objective


def delete_objective(*, actor: Any, objective: Objective) -> None:
    """Remove an objective and its targets."""
    with transaction.atomic():
        before = _snapshot(objective)
        record(
            action="goals.objective_deleted",
            actor=actor,
            organisation=objective.organisation,
            obj=objective,
            before=before,
        )
        objective.delete()


def set_target(*, actor: Any, objective: Objective, kpi: str, value: Decimal | None) -> Target:
    """Set (or change) the value an objective's KPI should reach."""
    if kpi not in REGISTRY:
        raise GoalsError(_("Choose a KPI from the list."))
    if value is None or value < 0:
        raise GoalsError(_("A target is a number of zero or more."))
    if REGISTRY[kpi].unit == "%" and value > 100:
        raise GoalsError(_("A share is at most 100 %."))
    with transaction.atomic():
        target, created = Target.objects.select_for_update().get_or_create(
            objective=objective, kpi=kpi, defaults={"value": value}
        )
        before = None if created else {"kpi": kpi, "value": str(target.value)}
        target.value = value
        target.save()
        record(
            action="goals.target_set",
            actor=actor,
            organisation=objective.organisation,
            obj=objective,
            before=before,
            after={"kpi": kpi, "value": str(value)},
        )
    return target


def delete_target(*, actor: Any, target: Target) -> None:
    """Remove one target of an objective."""
    objective = target.objective
    with transaction.atomic():
        record(
            action="goals.target_deleted",
            actor=actor,
            organisation=objective.organisation,
            obj=objective,
            before={"kpi": target.kpi, "value": str(target.value)},
        )
        target.delete()


def save_pilot(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    team: Team | None,
    start: date | None,
    end: date | None,
    lessons: str = "",
    pilot: Pilot | None = None,
) -> Pilot:
    """Create a pilot programme, or change one (``pilot``)."""
    name = name.strip()
    if not name:
        raise GoalsError(_("Give the pilot programme a name."))
    if team is None or team.organisation_id != organisation.pk:
        raise GoalsError(_("Choose the team that takes part in the pilot."))
    start, end = _period(start, end)
    with transaction.atomic():
        before = None
        if pilot is None:
            pilot = Pilot(organisation=organisation)
        else:
            pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
            before = {"name": pilot.name, "team": pilot.team_id, "start": str(pilot.start), "end": str(pilot.end)}
        pilot.name, pilot.team, pilot.start, pilot.end, pilot.lessons = name, team, start, end, lessons.strip()
        pilot.save()
        record(
            action="goals.pilot_saved",
            actor=actor,
            organisation=organisation,
            obj=pilot,
            before=before,
            after={"name": name, "team": team.pk, "start": str(start), "end": str(end)},
        )
    return pilot
