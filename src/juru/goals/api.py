"""JSON API of goals and reports (mounted under ``/api/v1/``): the same services, queries and checks as the pages.

Every member reads objectives, KPIs and the monthly report; those who change the organisation's
settings create and change objectives and their targets (404 for others, like the pages). A month
is ``YYYY-MM``; anything else, and every refusal of a service, is a 422 with its translated message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Literal, TypeVar
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts import access
from juru.accounts.api_auth import api_member
from juru.accounts.models import Member
from juru.goals import queries, report, services
from juru.goals.exceptions import GoalsError
from juru.goals.kpis import Kpi
from juru.goals.models import Objective
from juru.goals.schemas import (
    KpiOut,
    MonthKpisOut,
    ObjectiveIn,
    ObjectiveOut,
    PilotOut,
    PilotRowOut,
    ProgressOut,
    ReportOut,
    TargetIn,
)
from juru.goals.views import can_manage

router = Router(tags=["goals"])
T = TypeVar("T")


def _manager(request: HttpRequest) -> Member:
    """The member, if they set goals; 404 otherwise, like the pages."""
    member = api_member(request)
    if not can_manage(member):
        raise Http404
    return member


def _run(action: Callable[[], T]) -> T:
    """Call a service or parser; its refusal becomes a 422 with its translated message."""
    try:
        return action()
    except GoalsError as exc:
        raise HttpError(422, exc.message) from None


def _month(text: str) -> date:
    return _run(lambda: queries.parse_month(text))


def _kpi_out(kpi: Kpi, value: float | None) -> KpiOut:
    return KpiOut(
        name=kpi.name, label=str(kpi.label), unit=str(kpi.unit), higher_is_better=kpi.higher_is_better, value=value
    )


def _progress_out(progress: queries.Progress) -> ProgressOut:
    return ProgressOut(
        id=progress.target.public_id, kpi=progress.kpi.name, label=str(progress.kpi.label),
        unit=str(progress.kpi.unit), target=progress.target.value, actual=progress.actual, reached=progress.reached,
        percent=progress.percent,
    )  # fmt: skip


def _objective_out(objective: Objective, function_name: str, progress: list[queries.Progress]) -> ObjectiveOut:
    return ObjectiveOut(
        id=objective.public_id, function=objective.function, function_name=function_name, title=objective.title,
        description=objective.description, period_start=objective.period_start, period_end=objective.period_end,
        targets=[_progress_out(p) for p in progress],
    )  # fmt: skip


def _with_progress(objective: Objective) -> ObjectiveOut:
    """An objective with its targets measured over its period so far, as its page shows them."""
    names = queries.function_names(objective.organisation)
    progress = [queries.progress(t, objective) for t in objective.targets.all()]
    return _objective_out(objective, names.get(objective.function, objective.function), progress)


def _objective(member: Member, objective_id: UUID) -> Objective:
    return access.get_object_for_member(Objective.objects.select_related("organisation"), member, objective_id)


@router.get("/goals", response=list[ObjectiveOut], summary="Objectives of the current month, with their progress")
def list_objectives(request: HttpRequest) -> list[ObjectiveOut]:
    organisation = api_member(request).organisation
    month = queries.this_month()
    found = queries.objectives_during(organisation, month, queries.next_month(month) - timedelta(days=1))
    return [_with_progress(o) for o in found.select_related("organisation")]


@router.post("/goals", response={201: ObjectiveOut}, summary="A new objective (for those who set goals)")
def create_objective(request: HttpRequest, body: ObjectiveIn) -> Status:
    member = _manager(request)
    objective = _run(lambda: services.create_objective(
        actor=member.user, organisation=member.organisation, created_by=member, **body.dict(),
    ))  # fmt: skip
    return Status(201, _with_progress(objective))


# A fixed path comes before ``/goals/{objective_id}`` so that it is not read as an objective's id.
@router.get("/goals/kpis", response=MonthKpisOut, summary="Every KPI over one month, as the dashboard shows them")
def month_kpis(request: HttpRequest, month: str = "") -> MonthKpisOut:
    """``month`` is ``YYYY-MM`` (this month when left out)."""
    wanted = _month(month) if month else queries.this_month()
    values = queries.kpi_values(queries.month_scope(api_member(request).organisation, wanted))
    return MonthKpisOut(month=f"{wanted:%Y-%m}", kpis=[_kpi_out(kpi, value) for kpi, value in values])


@router.get("/goals/{objective_id}", response=ObjectiveOut, summary="One objective with its targets and progress")
def get_objective(request: HttpRequest, objective_id: UUID) -> ObjectiveOut:
    return _with_progress(_objective(api_member(request), objective_id))


@router.put("/goals/{objective_id}", response=ObjectiveOut, summary="Change an objective (its targets stay)")
def update_objective(request: HttpRequest, objective_id: UUID, body: ObjectiveIn) -> ObjectiveOut:
    member = _manager(request)
    objective = _objective(member, objective_id)
    changed = _run(lambda: services.update_objective(actor=member.user, objective=objective, **body.dict()))
    return _with_progress(changed)


@router.post("/goals/{objective_id}/targets", response=ObjectiveOut, summary="Set (or change) a KPI target")
def set_target(request: HttpRequest, objective_id: UUID, body: TargetIn) -> ObjectiveOut:
    member = _manager(request)
    objective = _objective(member, objective_id)
    _run(lambda: services.set_target(actor=member.user, objective=objective, kpi=body.kpi, value=body.value))
    return _with_progress(objective)


def _pilot_out(view: report.PilotView) -> PilotOut:
    def rows(found: list[report.PilotRow]) -> list[PilotRowOut]:
        return [
            PilotRowOut(label=r.label, posts=r.posts, turnaround_hours=r.turnaround, flagged=r.flagged,
                        violations=r.violations)
            for r in found
        ]  # fmt: skip

    pilot = view.pilot
    return PilotOut(
        id=pilot.public_id, name=pilot.name, team=pilot.team.name, start=pilot.start, end=pilot.end,
        lessons=pilot.lessons, weeks=rows(view.weeks), people=rows(view.people),
        first_pass_share=view.first_pass_share, best_campaigns=view.best_campaigns,
    )  # fmt: skip


def _report_out(data: report.MonthlyReport) -> dict[str, Any]:
    return {
        "month": f"{data.month:%Y-%m}", "generated_at": data.generated_at, "empty": data.empty,
        "kpis": [_kpi_out(kpi, value) for kpi, value in data.kpis],
        "objectives": [_objective_out(o.objective, o.function_name, o.progress) for o in data.objectives],
        "pilots": [_pilot_out(p) for p in data.pilots],
        "function_totals": [{"name": name, "posts": posts} for name, posts, _colour in data.function_totals],
    }  # fmt: skip


@router.get("/reports/{month}", response=ReportOut, summary="The monthly report (month: YYYY-MM)")
def get_report(request: HttpRequest, month: str) -> dict[str, Any]:
    return _report_out(report.build(api_member(request).organisation, _month(month)))


@router.get(
    "/reports/{month}/pdf",
    summary="The monthly report as PDF, in Indonesian or English",
    openapi_extra={
        "responses": {
            200: {"description": "The report", "content": {"application/pdf": {"schema": {"type": "string",
                                                                                       "format": "binary"}}}},
        }
    },
)  # fmt: skip
def report_pdf(request: HttpRequest, month: str, lang: Literal["id", "en"] | None = None) -> HttpResponse:
    """``lang`` is ``id`` or ``en`` (the request's language when left out), like the page's PDF."""
    from juru.goals.pdf import report_pdf as make_pdf  # noqa: PLC0415  (WeasyPrint loads only for PDFs)

    organisation = api_member(request).organisation
    wanted = _month(month)
    lang = lang or ("en" if (get_language() or "id").startswith("en") else "id")
    response = HttpResponse(make_pdf(organisation, wanted, lang), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="juru-{organisation.slug}-{wanted:%Y-%m}-{lang}.pdf"'
    return response
