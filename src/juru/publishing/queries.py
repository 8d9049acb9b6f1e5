"""Reads of the publishing workflow, shared by views and the API."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from juru.accounts.models import Member, Organisation
from juru.publishing.models import Draft, DraftState, Post, PostState, ReviewStep, ScanDecision, StepState


def drafts_for(member: Member, *, state: str = "") -> QuerySet[Draft]:
    """The organisation's drafts, newest first (optionally in one state)."""
    drafts = Draft.objects.filter(organisation=member.organisation).select_related("author__user")
    if state:
        drafts = drafts.filter(state=state)
    return drafts.prefetch_related("posts__account").order_by("-created_at")


def drafts_awaiting(member: Member) -> list[Draft]:
    """Drafts whose current step ``member`` may decide (never their own)."""
    steps = (
        ReviewStep.objects.filter(
            draft__organisation=member.organisation, draft__state=DraftState.IN_REVIEW, state=StepState.PENDING
        )
        .exclude(draft__author=member)
        .select_related("draft")
        .order_by("draft_id", "position")
    )
    seen: set[int] = set()
    result = []
    for step in steps:
        if step.draft_id in seen or step.round != step.draft.review_round:
            continue
        seen.add(step.draft_id)  # only the first pending step of a draft is current
        if member.pk in step.approver_ids and not step.approvals.filter(member=member).exists():
            result.append(step.draft)
    return result


def current_steps(draft: Draft) -> QuerySet[ReviewStep]:
    """The steps of the draft's current review round, with their approvals."""
    return draft.steps.filter(round=draft.review_round).prefetch_related("approvals__member__user")


def decisions_for(member: Member, *, draft: Draft | None = None) -> QuerySet[ScanDecision]:
    """Recorded scan decisions of the organisation, newest first."""
    decisions = ScanDecision.objects.filter(organisation=member.organisation)
    if draft is not None:
        decisions = decisions.filter(draft=draft)
    return decisions.select_related("draft", "post__account", "actor__user")


def latest_decision(post: Post) -> ScanDecision | None:
    """The newest decision recorded for one post."""
    return post.decisions.order_by("-created_at", "-pk").first()


def queue(organisation: Organisation) -> QuerySet[Post]:
    """Posts scheduled, being published, or waiting for a person, soonest first."""
    states = [PostState.SCHEDULED, PostState.PUBLISHING, PostState.NEEDS_HUMAN]
    return (
        Post.objects.filter(organisation=organisation, state__in=states)
        .select_related("draft__author__user", "account")
        .order_by("due_at", "pk")
    )


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a month in the current time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(date(year, month, 1), time.min, tzinfo=tz)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return start, datetime.combine(nxt, time.min, tzinfo=tz)


def calendar_drafts(organisation: Organisation, year: int, month: int) -> dict[date, list[Draft]]:
    """Drafts with a target time in the month, by local day."""
    start, end = month_bounds(year, month)
    days: dict[date, list[Draft]] = {}
    drafts = (
        Draft.objects.filter(organisation=organisation, scheduled_for__gte=start, scheduled_for__lt=end)
        .exclude(state=DraftState.CANCELLED)
        .prefetch_related("posts__account")
        .order_by("scheduled_for")
    )
    for draft in drafts:
        assert draft.scheduled_for is not None
        days.setdefault(timezone.localtime(draft.scheduled_for).date(), []).append(draft)
    return days


def month_grid(year: int, month: int) -> list[list[date]]:
    """Weeks (Monday first) covering the month, as lists of 7 dates."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    weeks = []
    day = start
    while True:
        weeks.append([day + timedelta(days=i) for i in range(7)])
        day += timedelta(days=7)
        if day.month != month and day > first:
            break
    return weeks
