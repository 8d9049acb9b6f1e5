"""The KPI registry: each KPI is one small function over Juru's own data, registered with its label.

A KPI reads a ``Scope`` (organisation, half-open period ``[start, end)``, and optionally one business
function and/or a group of members) and returns a number, or ``None`` when there is nothing to measure.
KPIs that cannot be narrowed to a function or to members say so (``narrows``) and measure the whole
organisation. Adding a KPI is one decorated function here, as the inbox's (first response time in
business minutes, missed response targets, resolved conversations) are.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import Organisation
from juru.governance.models import ViolationCase
from juru.governance.queries import organisation_status
from juru.inbox import sla
from juru.inbox.models import Conversation
from juru.listening.models import Mention, Sentiment
from juru.publishing.models import BusinessFunction, Draft, Post, PostState

FLAGGED_VERDICTS = ("warn", "require_approval", "block")


@dataclass(frozen=True)
class Scope:
    """What a KPI measures: one organisation over ``[start, end)``, optionally one function or members."""

    organisation: Organisation
    start: datetime
    end: datetime
    function: str = ""
    members: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Kpi:
    """A registered KPI: its stable name, translated label and unit, and which way is better."""

    name: str
    label: str | Promise
    unit: str | Promise
    description: str | Promise
    higher_is_better: bool
    compute: Callable[[Scope], float | None]
    narrows: frozenset[str] = field(default_factory=frozenset)  # "function", "members"


REGISTRY: dict[str, Kpi] = {}


def kpi(
    name: str,
    *,
    label: str | Promise,
    unit: str | Promise,
    description: str | Promise,
    higher_is_better: bool = True,
    narrows: tuple[str, ...] = (),
) -> Callable[[Callable[[Scope], float | None]], Callable[[Scope], float | None]]:
    """Register the decorated function as a KPI."""

    def register(compute: Callable[[Scope], float | None]) -> Callable[[Scope], float | None]:
        REGISTRY[name] = Kpi(name, label, unit, description, higher_is_better, compute, frozenset(narrows))
        return compute

    return register


def measure(name: str, scope: Scope) -> float | None:
    """The value of the KPI called ``name`` over ``scope``."""
    return REGISTRY[name].compute(scope)


def choices() -> list[tuple[str, str | Promise]]:
    """The KPIs as form choices, in registry order."""
    return [(k.name, k.label) for k in REGISTRY.values()]


# --------------------------------------------------------------------------- data each KPI reads


def drafts(scope: Scope) -> QuerySet[Draft]:
    """The drafts in scope (any time), by function and author when the scope narrows them."""
    qs = Draft.objects.filter(organisation=scope.organisation)
    if scope.function:
        qs = qs.filter(business_function=scope.function)
    if scope.members is not None:
        qs = qs.filter(author_id__in=scope.members)
    return qs


def published_posts(scope: Scope) -> QuerySet[Post]:
    """Posts that went out in the period (a draft for three accounts is three posts)."""
    return Post.objects.filter(
        draft__in=drafts(scope),
        state=PostState.PUBLISHED,
        published_at__gte=scope.start,
        published_at__lt=scope.end,
        reply_to="",
    )


def turnaround_hours(scope: Scope) -> list[float]:
    """Hours from submission to final approval of the drafts approved in the period, shortest first."""
    rows = (
        drafts(scope)
        .filter(approved_at__gte=scope.start, approved_at__lt=scope.end, submitted_at__isnull=False)
        .values_list("submitted_at", "approved_at")
    )
    return sorted(max((end - begin).total_seconds(), 0) / 3600 for begin, end in rows if begin and end)


def violation_cases(scope: Scope) -> QuerySet[ViolationCase]:
    """Violation cases opened in the period: the one place goals reads violations from."""
    qs = ViolationCase.objects.filter(
        organisation=scope.organisation, created_at__gte=scope.start, created_at__lt=scope.end
    )
    if scope.members is not None:
        qs = qs.filter(member_id__in=scope.members)
    if scope.function:
        qs = qs.filter(draft__business_function=scope.function)
    return qs


def mentions(scope: Scope) -> QuerySet[Mention]:
    return Mention.objects.filter(
        organisation=scope.organisation, created_at__gte=scope.start, created_at__lt=scope.end
    )


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile of sorted ``values`` (``share`` 0.5 is the median), to one decimal."""
    if not values:
        return None
    return round(values[max(math.ceil(share * len(values)) - 1, 0)], 1)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def sentiment_share(scope: Scope, sentiment: str) -> float | None:
    """Share (%) of the period's mentions classified with ``sentiment``."""
    found = mentions(scope)
    return _share(found.filter(sentiment=sentiment).count(), found.count())


# --------------------------------------------------------------------------- the KPIs


@kpi(
    "posts_published",
    label=_("Posts published"),
    unit=_("posts"),
    description=_("Posts that went out on a brand or personal account (replies not counted)."),
    narrows=("function", "members"),
)
def posts_published(scope: Scope) -> float | None:
    return published_posts(scope).count()


@kpi(
    "approval_turnaround_median",
    label=_("Approval turnaround (median)"),
    unit=_("hours"),
    description=_("Median time from submitting a draft to its final approval."),
    higher_is_better=False,
    narrows=("function", "members"),
)
def approval_turnaround_median(scope: Scope) -> float | None:
    return percentile(turnaround_hours(scope), 0.5)


@kpi(
    "approval_turnaround_p90",
    label=_("Approval turnaround (90th percentile)"),
    unit=_("hours"),
    description=_("Nine drafts in ten are approved within this time after submission."),
    higher_is_better=False,
    narrows=("function", "members"),
)
def approval_turnaround_p90(scope: Scope) -> float | None:
    return percentile(turnaround_hours(scope), 0.9)


@kpi(
    "mention_volume",
    label=_("Mention volume"),
    unit=_("mentions"),
    description=_("Mentions of the organisation that listening stored."),
)
def mention_volume(scope: Scope) -> float | None:
    return mentions(scope).count()


@kpi(
    "negative_share",
    label=_("Negative share"),
    unit="%",
    description=_("Share of mentions classified as negative."),
    higher_is_better=False,
)
def negative_share(scope: Scope) -> float | None:
    return sentiment_share(scope, Sentiment.NEGATIVE)


@kpi(
    "positive_share",
    label=_("Positive share"),
    unit="%",
    description=_("Share of mentions classified as positive."),
)
def positive_share(scope: Scope) -> float | None:
    return sentiment_share(scope, Sentiment.POSITIVE)


@kpi(
    "leads_tagged",
    label=_("Leads tagged"),
    unit=_("posts"),
    description=_(
        "Published posts of drafts marked as lead generation that name a campaign (the campaign tags the lead source)."
    ),
    narrows=("function", "members"),
)
def leads_tagged(scope: Scope) -> float | None:
    posts = published_posts(scope).filter(draft__business_function=BusinessFunction.LEAD_GENERATION)
    return posts.exclude(draft__campaign="").count()


@kpi(
    "flagged_drafts",
    label=_("Flagged drafts"),
    unit=_("drafts"),
    description=_("Drafts written in the period that the check warned about, sent for approval or blocked."),
    higher_is_better=False,
    narrows=("function", "members"),
)
def flagged_drafts(scope: Scope) -> float | None:
    written = drafts(scope).filter(created_at__gte=scope.start, created_at__lt=scope.end)
    return written.filter(verdict__in=FLAGGED_VERDICTS).count()


@kpi(
    "violations",
    label=_("Violations"),
    unit=_("cases"),
    description=_("Violation cases opened in the period."),
    higher_is_better=False,
    narrows=("function", "members"),
)
def violations(scope: Scope) -> float | None:
    return violation_cases(scope).count()


@kpi(
    "training_coverage",
    label=_("Training coverage"),
    unit="%",
    description=_("Share of members who hold every training module their role requires, today."),
    narrows=("members",),
)
def training_coverage(scope: Scope) -> float | None:
    rows = organisation_status(scope.organisation)
    if scope.members is not None:
        rows = [row for row in rows if row.member.pk in scope.members]
    return _share(sum(1 for row in rows if not row.missing_modules), len(rows))


def conversations(scope: Scope) -> QuerySet[Conversation]:
    """Inbox conversations opened in the period: the one place goals reads conversations from."""
    return Conversation.objects.filter(
        organisation=scope.organisation, opened_at__gte=scope.start, opened_at__lt=scope.end
    )


def first_response_minutes(scope: Scope) -> list[float]:
    """Business minutes from each conversation's first message to the team's first reply (sorted)."""
    rows = conversations(scope).filter(first_responded_at__isnull=False).values_list("opened_at", "first_responded_at")
    calendar = sla.clock_for(scope.organisation, scope.end).calendar
    return sorted(calendar.minutes_between(begin, end) for begin, end in rows if begin and end and end >= begin)


@kpi(
    "first_response_median",
    label=_("First response time (median)"),
    unit=_("business minutes"),
    description=_("Median time, within business hours, from a customer's message to the team's first reply."),
    higher_is_better=False,
)
def first_response_median(scope: Scope) -> float | None:
    return percentile(first_response_minutes(scope), 0.5)


@kpi(
    "first_response_p90",
    label=_("First response time (90th percentile)"),
    unit=_("business minutes"),
    description=_("Nine conversations in ten get a first reply within this time (business hours)."),
    higher_is_better=False,
)
def first_response_p90(scope: Scope) -> float | None:
    return percentile(first_response_minutes(scope), 0.9)


@kpi(
    "response_targets_missed",
    label=_("Missed response targets"),
    unit=_("conversations"),
    description=_("Conversations opened in the period that missed their first-response or resolution target."),
    higher_is_better=False,
)
def response_targets_missed(scope: Scope) -> float | None:
    return conversations(scope).filter(Q(first_response_breached=True) | Q(resolution_breached=True)).count()


@kpi(
    "conversations_resolved",
    label=_("Resolved conversations"),
    unit=_("conversations"),
    description=_("Inbox conversations resolved in the period."),
)
def conversations_resolved(scope: Scope) -> float | None:
    return Conversation.objects.filter(
        organisation=scope.organisation, resolved_at__gte=scope.start, resolved_at__lt=scope.end
    ).count()
