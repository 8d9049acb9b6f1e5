"""Response-time clocks of a conversation: due times, warnings, breaches, pause and resume.

Two clocks run from the moment a message opens (or reopens) a conversation, counted in business
minutes of the organisation's calendar: the first response (stopped by the first reply published
through Juru) and the resolution (stopped by resolving). Both due times are stored when the message
arrives. A warning is raised ``warning_minutes`` (wall time) before a due time, the breach at it;
``next_check_at`` holds the next of these, and tasks scheduled for that moment (plus a once-a-minute
safety net reading only rows whose ``next_check_at`` has passed) raise them.

Pending means "waiting for the customer": both clocks pause, keeping the business minutes they had
left, and resume from then when the conversation is open again (by hand or because the customer
wrote). Resolving stops them; a new message after that starts fresh clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from juru.accounts.models import Organisation
from juru.inbox.business_hours import Calendar, days_off_around
from juru.inbox.models import (
    DEFAULT_TARGETS,
    Conversation,
    DayOverride,
    EventKind,
    InboxSettings,
    Priority,
    SlaTarget,
    Status,
)


@dataclass(frozen=True)
class Clock:
    """What the clocks need: the calendar, targets per priority (minutes) and the warning lead time."""

    calendar: Calendar
    targets: dict[str, tuple[int, int]]
    warning: timedelta

    def first_response(self, priority: str) -> int:
        return self.targets.get(priority, DEFAULT_TARGETS[Priority.NORMAL])[0]

    def resolution(self, priority: str) -> int:
        return self.targets.get(priority, DEFAULT_TARGETS[Priority.NORMAL])[1]


def inbox_settings(organisation: Organisation) -> InboxSettings:
    """The organisation's inbox settings (created with defaults on first use)."""
    found, _created = InboxSettings.objects.get_or_create(organisation=organisation)
    return found


def targets_for(organisation: Organisation) -> dict[str, tuple[int, int]]:
    """(first response, resolution) minutes per priority: the organisation's, else the defaults."""
    targets = {str(key): value for key, value in DEFAULT_TARGETS.items()}
    for row in SlaTarget.objects.filter(organisation=organisation):
        targets[row.priority] = (row.first_response_minutes, row.resolution_minutes)
    return targets


def clock_for(organisation: Organisation, now: datetime) -> Clock:
    """The organisation's clock: business hours, Indonesian days off (when skipped) and its overrides."""
    config = inbox_settings(organisation)
    overrides = list(DayOverride.objects.filter(organisation=organisation).values_list("date", "is_working_day"))
    days_off = set(days_off_around(now)) if config.public_holidays else set()
    days_off |= {day for day, working in overrides if not working}
    calendar = Calendar.build(
        config.time_zone, config.day_start, config.day_end, config.workday_numbers,
        days_off=days_off, working_days=[day for day, working in overrides if working],
    )  # fmt: skip
    return Clock(calendar, targets_for(organisation), timedelta(minutes=config.warning_minutes))


def start(conversation: Conversation, moment: datetime, clock: Clock) -> None:
    """Fresh clocks from ``moment`` (a new or reopened conversation); the caller saves."""
    conversation.clock_started_at = moment
    conversation.first_response_due_at = clock.calendar.add(moment, clock.first_response(conversation.priority))
    conversation.resolution_due_at = clock.calendar.add(moment, clock.resolution(conversation.priority))
    conversation.first_responded_at = None
    conversation.resolved_at = None
    conversation.paused_at = None
    conversation.first_response_left = conversation.resolution_left = None
    conversation.first_response_warned = conversation.first_response_breached = False
    conversation.resolution_warned = conversation.resolution_breached = False
    settle(conversation, clock)


def restart_for_priority(conversation: Conversation, clock: Clock) -> None:
    """New due times after the priority changed, counted from when the clocks started."""
    if conversation.status != Status.OPEN:
        return
    opened = conversation.clock_started_at or conversation.opened_at
    if conversation.first_responded_at is None and not conversation.first_response_breached:
        conversation.first_response_due_at = clock.calendar.add(opened, clock.first_response(conversation.priority))
        conversation.first_response_warned = False
    if not conversation.resolution_breached:
        conversation.resolution_due_at = clock.calendar.add(opened, clock.resolution(conversation.priority))
        conversation.resolution_warned = False
    settle(conversation, clock)


def settle(conversation: Conversation, clock: Clock) -> None:
    """Recompute the shown due time and the next moment something must be raised."""
    if conversation.status != Status.OPEN:
        conversation.due_at = conversation.next_check_at = None
        return
    waiting_first = conversation.first_responded_at is None
    conversation.due_at = conversation.first_response_due_at if waiting_first else conversation.resolution_due_at
    moments = []
    if waiting_first and conversation.first_response_due_at is not None:
        moments += _pending(conversation.first_response_due_at, clock, conversation.first_response_warned,
                            conversation.first_response_breached)  # fmt: skip
    if conversation.resolution_due_at is not None:
        moments += _pending(conversation.resolution_due_at, clock, conversation.resolution_warned,
                            conversation.resolution_breached)  # fmt: skip
    conversation.next_check_at = min(moments) if moments else None


def _pending(due: datetime, clock: Clock, warned: bool, breached: bool) -> list[datetime]:
    if breached:
        return []
    return [due] if warned else [due - clock.warning]


def pause(conversation: Conversation, now: datetime, clock: Clock) -> None:
    """Pending: keep the business minutes each running clock has left."""
    if conversation.paused_at is not None:
        return
    conversation.paused_at = now
    if conversation.first_responded_at is None and conversation.first_response_due_at is not None:
        conversation.first_response_left = round(
            clock.calendar.minutes_between(now, conversation.first_response_due_at)
        )
    if conversation.resolution_due_at is not None:
        conversation.resolution_left = round(clock.calendar.minutes_between(now, conversation.resolution_due_at))


def resume(conversation: Conversation, now: datetime, clock: Clock) -> None:
    """Open again after pending: the clocks go on with the minutes they had left."""
    if conversation.paused_at is None:
        return
    if conversation.first_response_left is not None and not conversation.first_response_breached:
        conversation.first_response_due_at = clock.calendar.add(now, conversation.first_response_left)
    if conversation.resolution_left is not None and not conversation.resolution_breached:
        conversation.resolution_due_at = clock.calendar.add(now, conversation.resolution_left)
    conversation.paused_at = None
    conversation.first_response_left = conversation.resolution_left = None


def due_now(conversation: Conversation, now: datetime, clock: Clock) -> list[tuple[str, str]]:
    """Warnings and breaches that have come due, as (event kind, target) pairs; marks them raised."""
    raised: list[tuple[str, str]] = []
    if conversation.status != Status.OPEN:
        return raised
    if conversation.first_responded_at is None and conversation.first_response_due_at is not None:
        raised += _check(conversation, "first_response", conversation.first_response_due_at, now, clock)
    if conversation.resolution_due_at is not None:
        raised += _check(conversation, "resolution", conversation.resolution_due_at, now, clock)
    settle(conversation, clock)
    return raised


def _check(
    conversation: Conversation, target: str, due: datetime, now: datetime, clock: Clock
) -> list[tuple[str, str]]:
    warned, breached = f"{target}_warned", f"{target}_breached"
    if getattr(conversation, breached):
        return []
    if now >= due:
        setattr(conversation, breached, True)
        setattr(conversation, warned, True)
        return [(EventKind.BREACH, target)]
    if now >= due - clock.warning and not getattr(conversation, warned):
        setattr(conversation, warned, True)
        return [(EventKind.WARNING, target)]
    return []
