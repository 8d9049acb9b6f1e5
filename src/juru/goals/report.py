"""The monthly report of one organisation: the data behind the dashboard, the report page and the PDF.

``build`` gathers everything for one calendar month (KPIs, daily charts, objectives and their
progress, pilot programmes); templates only lay it out. The same builder serves the page, the
e-mail, ``juru report`` and the dashboard, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDay
from django.utils import formats, timezone

from juru.accounts.models import Member, Organisation
from juru.goals import kpis, queries
from juru.goals.kpis import Kpi, Scope
from juru.goals.models import Objective, Pilot
from juru.listening.queries import Bucket
from juru.publishing.models import BusinessFunction
from juru.web import charts

ACTIVITY_KPIS = ("posts_published", "mention_volume", "flagged_drafts", "violations")


@dataclass(frozen=True)
class PilotRow:
    """One week, or one member, of a pilot programme."""

    label: str
    posts: int
    turnaround: float | None
    flagged: int
    violations: int


@dataclass(frozen=True)
class PilotView:
    """A pilot programme: its team's volumes, turnaround, flags and violations, week by week and per person."""

    pilot: Pilot
    weeks: list[PilotRow]
    people: list[PilotRow]
    first_pass_share: float | None  # drafts approved without a request for changes: what worked
    best_campaigns: list[str]


@dataclass(frozen=True)
class ObjectiveView:
    objective: Objective
    function_name: str
    progress: list[queries.Progress]


@dataclass
class MonthlyReport:
    organisation: Organisation
    month: date
    generated_at: datetime
    kpis: list[tuple[Kpi, float | None]]
    posts_chart: charts.Chart
    mentions_chart: charts.Chart
    objectives: list[ObjectiveView]
    pilots: list[PilotView] = field(default_factory=list)
    function_totals: list[tuple[str, int, str]] = field(default_factory=list)  # name, posts, chart colour

    @property
    def empty(self) -> bool:
        """Nothing happened this month: no posts, mentions, flags or violations."""
        values = dict((k.name, v) for k, v in self.kpis)
        return not any(values.get(name) for name in ACTIVITY_KPIS)


def _days(month: date) -> list[date]:
    last = queries.next_month(month)
    return [month + timedelta(days=i) for i in range((last - month).days)]


def _per_day(qs: object, field_name: str, group: str) -> dict[tuple[date, str], int]:
    rows = qs.order_by().annotate(day=TruncDay(field_name)).values("day", group).annotate(n=Count("pk"))  # type: ignore[attr-defined]
    return {(timezone.localtime(r["day"]).date(), r[group] or ""): r["n"] for r in rows}


def posts_chart(scope: Scope, month: date) -> charts.Chart:
    """Posts published per day, stacked by business function."""
    counts = _per_day(kpis.published_posts(scope), "published_at", "draft__business_function")
    order = ["", *BusinessFunction.values]
    columns = [
        charts.Column(formats.date_format(day, "d M"), tuple((f or "none", counts.get((day, f), 0)) for f in order))
        for day in _days(month)
    ]
    return charts.column_chart(columns)


def mentions_chart(scope: Scope, month: date) -> charts.Chart:
    """Mentions per day by sentiment, with the negative share as a line."""
    counts = _per_day(kpis.mentions(scope), "created_at", "sentiment")
    buckets = [
        Bucket(queries.day_start(day), **{s: counts.get((day, s), 0) for s in charts.SENTIMENT_ORDER})
        for day in _days(month)
    ]
    return charts.volume_chart(buckets, hourly=False)


def _row(label: str, scope: Scope) -> PilotRow:
    return PilotRow(
        label,
        int(kpis.posts_published(scope) or 0),
        kpis.approval_turnaround_median(scope),
        int(kpis.flagged_drafts(scope) or 0),
        int(kpis.violations(scope) or 0),
    )


def pilot_view(pilot: Pilot) -> PilotView:
    """Week-by-week and per-person figures of a pilot's team over the pilot's weeks."""
    people = list(Member.objects.filter(team_memberships__team=pilot.team).select_related("user").order_by("pk"))
    ids = tuple(m.pk for m in people)
    end = min(queries.day_start(pilot.end + timedelta(days=1)), timezone.now())
    weeks: list[PilotRow] = []
    start = queries.day_start(pilot.start)
    while start < end:
        stop = min(start + timedelta(days=7), end)
        label = formats.date_format(timezone.localtime(start).date(), "d M")
        weeks.append(_row(label, Scope(pilot.organisation, start, stop, members=ids)))
        start = stop
    whole = Scope(
        pilot.organisation, queries.day_start(pilot.start), max(end, queries.day_start(pilot.start)), members=ids
    )
    rows = [
        _row(
            m.user.get_full_name() or m.user.get_username(),
            Scope(whole.organisation, whole.start, whole.end, members=(m.pk,)),
        )
        for m in people
    ]
    approved = kpis.drafts(whole).filter(approved_at__gte=whole.start, approved_at__lt=whole.end)
    total = approved.count()
    first_pass = approved.filter(review_round__lte=1).count()
    campaigns = (
        kpis.published_posts(whole).exclude(draft__campaign="").values("draft__campaign")
        .annotate(n=Count("pk")).order_by("-n", "draft__campaign")[:3]
    )  # fmt: skip
    return PilotView(
        pilot,
        weeks,
        rows,
        round(100 * first_pass / total, 1) if total else None,
        [row["draft__campaign"] for row in campaigns],
    )


def _posts_of(scope: Scope, function: str) -> int:
    return int(kpis.posts_published(Scope(scope.organisation, scope.start, scope.end, function=function)) or 0)


def build(organisation: Organisation, month: date) -> MonthlyReport:
    """Everything the monthly report of ``organisation`` for ``month`` shows."""
    scope = queries.month_scope(organisation, month)
    last_day = queries.next_month(month) - timedelta(days=1)
    names = queries.function_names(organisation)
    objectives = [
        ObjectiveView(
            o, names.get(o.function, o.function), [queries.progress(t, o, until=scope.end) for t in o.targets.all()]
        )
        for o in queries.objectives_during(organisation, month, last_day)
    ]
    totals = [(names[f], _posts_of(scope, f), charts.COLOURS[f]) for f in BusinessFunction.values]
    return MonthlyReport(
        organisation=organisation,
        month=month,
        generated_at=timezone.now(),
        kpis=queries.kpi_values(scope),
        posts_chart=posts_chart(scope, month),
        mentions_chart=mentions_chart(scope, month),
        objectives=objectives,
        pilots=[pilot_view(p) for p in queries.pilots_during(organisation, month, last_day)],
        function_totals=totals,
    )
