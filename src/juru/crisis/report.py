"""The timeline report of a crisis: alert, declaration, pause, first statement, volumes, response times, end.

Everything is read from what the other apps recorded (listening's alert and mentions, publishing's
posts and approvals), so the report of an ended crisis is the same whenever it is opened, in the
reader's language. ``response_time_rows`` is the one place that lists the response-time section:
each source (approvals today; the inbox's first responses later) adds its rows there.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncHour
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.crisis.models import Crisis, HeldPost, HeldState
from juru.inbox.models import Conversation
from juru.listening.models import Mention, Sentiment
from juru.listening.queries import Bucket
from juru.publishing.models import Draft, Post, PostState, ReviewStep, StepKind, StepState
from juru.web.charts import Chart, volume_chart

MAX_HOURS = 24 * 14  # the volume table covers at most two weeks around the crisis
LEAD_IN = timedelta(hours=2)  # hours before the alert (or declaration) shown for comparison


@dataclass(frozen=True)
class Moment:
    """One line of the timeline."""

    kind: str  # alert, declared, paused, statement, ended
    at: datetime
    title: str
    detail: str = ""


@dataclass(frozen=True)
class ResponseRow:
    """One line of the response-time section: how long something took, over how many cases."""

    label: str
    count: int
    median: timedelta | None
    longest: timedelta | None


@dataclass
class Report:
    crisis: Crisis
    timeline: list[Moment]
    hours: list[Bucket]
    chart: Chart
    responses: list[ResponseRow]
    held: dict[str, int] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, int]:
        return {s: sum(getattr(b, s) for b in self.hours) for s in Sentiment.values}


def window(crisis: Crisis) -> tuple[datetime, datetime]:
    """The period the report covers: from a little before the alert (or declaration) to the end (or now)."""
    start = crisis.declared_at
    if crisis.alert is not None:
        start = min(start, crisis.alert.opened_at)
    start = (start - LEAD_IN).replace(minute=0, second=0, microsecond=0)
    end = crisis.ended_at or timezone.now()
    return start, min(end, start + timedelta(hours=MAX_HOURS))


def first_statement(crisis: Crisis) -> Post | None:
    """The first post or reply the organisation published after the declaration."""
    return (
        Post.objects.filter(
            organisation_id=crisis.organisation_id, state=PostState.PUBLISHED, published_at__gte=crisis.declared_at
        )
        .select_related("account", "draft")
        .order_by("published_at", "pk")
        .first()
    )


def timeline(crisis: Crisis) -> list[Moment]:
    """The crisis's key moments in time order."""
    moments = []
    if crisis.alert is not None:
        alert = crisis.alert
        moments.append(
            Moment(
                "alert",
                alert.opened_at,
                _("Alert: %(sentiment)s mentions of %(subject)s") % {
                    "sentiment": alert.get_sentiment_display().lower(), "subject": alert.subject,
                },
                _("%(observed)d mentions where about %(expected).1f were expected; severity %(severity)d/10.")
                % {"observed": alert.observed, "expected": alert.expected, "severity": alert.severity},
            )
        )  # fmt: skip
    declared_detail = _("Declared by %(name)s, severity %(severity)d/10: %(description)s") % {
        "name": crisis.declared_by.display_name, "severity": crisis.severity, "description": crisis.description,
    }  # fmt: skip
    moments.append(Moment("declared", crisis.declared_at, _("Crisis declared"), declared_detail))
    moments.append(
        Moment(
            "paused",
            crisis.declared_at,
            _("Scheduled queue paused"),
            _("%(count)d posts were waiting in the queue; new posts and replies need a crisis lead's approval.")
            % {"count": crisis.paused_posts},
        )
    )
    statement = first_statement(crisis)
    if statement is not None and statement.published_at is not None:
        kind = _("reply") if statement.reply_to else _("post")
        moments.append(
            Moment(
                "statement",
                statement.published_at,
                _("First public statement (%(kind)s on %(handle)s)")
                % {"kind": kind, "handle": statement.account.handle},
                statement.body,
            )
        )
    if crisis.ended_at is not None:
        ended_by = crisis.ended_by.display_name if crisis.ended_by else ""
        moments.append(
            Moment("ended", crisis.ended_at, _("Crisis ended by %(name)s") % {"name": ended_by}, crisis.summary)
        )
    return sorted(moments, key=lambda m: m.at)


def hourly_volumes(crisis: Crisis) -> list[Bucket]:
    """Mentions per hour by sentiment over the report's window, empty hours included."""
    start, end = window(crisis)
    rows = (
        Mention.objects.filter(organisation_id=crisis.organisation_id, created_at__gte=start, created_at__lt=end)
        .order_by()
        .annotate(hour=TruncHour("created_at"))
        .values("hour", "sentiment")
        .annotate(n=Count("pk"))
    )
    counts: dict[datetime, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["hour"].astimezone(start.tzinfo), {})[row["sentiment"]] = row["n"]
    hours = []
    moment = start
    while moment < end:
        found = {k: v for k, v in counts.get(moment, {}).items() if k in Sentiment.values}
        hours.append(Bucket(timezone.localtime(moment), **found))
        moment += timedelta(hours=1)
    return hours


def _row(label: str, durations: list[timedelta]) -> ResponseRow:
    if not durations:
        return ResponseRow(label, 0, None, None)
    seconds = [d.total_seconds() for d in durations]
    return ResponseRow(label, len(seconds), timedelta(seconds=statistics.median(seconds)), max(durations))


def approval_turnaround(crisis: Crisis) -> list[timedelta]:
    """From submission to approval, for drafts submitted during the crisis."""
    end = crisis.ended_at or timezone.now()
    drafts = Draft.objects.filter(
        organisation_id=crisis.organisation_id,
        submitted_at__gte=crisis.declared_at,
        submitted_at__lt=end,
        approved_at__isnull=False,
    ).values_list("submitted_at", "approved_at")
    return _spans(drafts)


def crisis_lead_turnaround(crisis: Crisis) -> list[timedelta]:
    """From submission to the crisis lead's approval, for drafts submitted during the crisis."""
    end = crisis.ended_at or timezone.now()
    steps = ReviewStep.objects.filter(
        draft__organisation_id=crisis.organisation_id,
        draft__submitted_at__gte=crisis.declared_at,
        draft__submitted_at__lt=end,
        kind=StepKind.CRISIS,
        state=StepState.APPROVED,
        decided_at__isnull=False,
    ).values_list("draft__submitted_at", "decided_at")
    return _spans(steps)


def _spans(pairs: Iterable[tuple[datetime | None, datetime | None]]) -> list[timedelta]:
    """How long each (start, end) pair took; incomplete or backwards pairs are left out."""
    return [end - start for start, end in pairs if start is not None and end is not None and end >= start]


def response_time_rows(crisis: Crisis) -> list[ResponseRow]:
    """The response-time section, one row per source; the inbox's first responses belong here too."""
    return [
        _row(_("Approval of posts and replies (submitted → approved)"), approval_turnaround(crisis)),
        _row(_("Crisis lead's decision (submitted → crisis lead approved)"), crisis_lead_turnaround(crisis)),
        _row(_("First response in the inbox (message → first reply)"), first_responses(crisis)),
    ]


def first_responses(crisis: Crisis) -> list[timedelta]:
    """From a conversation's first message to the team's first reply, for conversations opened during the crisis."""
    end = crisis.ended_at or timezone.now()
    conversations = Conversation.objects.filter(
        organisation_id=crisis.organisation_id,
        opened_at__gte=crisis.declared_at,
        opened_at__lt=end,
        first_responded_at__isnull=False,
    ).values_list("opened_at", "first_responded_at")
    return _spans(conversations)


def held_counts(crisis: Crisis) -> dict[str, int]:
    """How many held posts ended in each state."""
    rows = HeldPost.objects.filter(crisis=crisis).values("state").annotate(n=Count("pk"))
    counts = {state: 0 for state in HeldState.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def build(crisis: Crisis) -> Report:
    """Everything the report shows."""
    hours = hourly_volumes(crisis)
    return Report(
        crisis=crisis,
        timeline=timeline(crisis),
        hours=hours,
        chart=volume_chart(hours, hourly=True),
        responses=response_time_rows(crisis),
        held=held_counts(crisis),
    )


def render_document(crisis: Crisis) -> str:
    """The report as one standalone HTML document (to save, print or send)."""
    return render_to_string("crisis/report_document.html", {"report": build(crisis)})
