"""Business-hours arithmetic on ``zoneinfo`` and the ``holidays`` package (no Django).

A working day is one of the calendar's weekdays that is not a public holiday or cuti bersama (when
those are skipped) and not an extra day off; an override can also make any day a working day. Time
counts only between the day's opening and closing, in the organisation's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

MAX_DAYS = 800  # a target that needs more working days than this is a configuration error
# As a closing time, midnight is the end of the day: 00:00 to 00:00 is around the clock.
MIDNIGHT = time(0)


@lru_cache(maxsize=16)
def indonesian_days_off(year: int) -> frozenset[date]:
    """Public holidays and cuti bersama (joint leave days) of Indonesia in ``year``."""
    found = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(found.keys())


def days_off_around(moment: datetime, years: int = 2) -> frozenset[date]:
    """Indonesian days off from the year before ``moment`` to ``years`` years after it."""
    days: set[date] = set()
    for year in range(moment.year - 1, moment.year + years + 1):
        days |= indonesian_days_off(year)
    return frozenset(days)


@dataclass(frozen=True)
class Calendar:
    """When the organisation works: opening hours, weekdays, and days that are off or on."""

    zone: ZoneInfo
    opens: time
    closes: time
    weekdays: frozenset[int]  # Monday = 0
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()  # overrides: work even on a weekend or holiday

    @classmethod
    def build(
        cls,
        zone: str,
        opens: time,
        closes: time,
        weekdays: Iterable[int],
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
    ) -> Calendar:
        if closes != MIDNIGHT and opens >= closes:
            raise ValueError("the business day must close after it opens")
        weekdays = frozenset(weekdays)
        if not weekdays and not working_days:
            raise ValueError("at least one working day is needed")
        return cls(ZoneInfo(zone), opens, closes, weekdays, frozenset(days_off), frozenset(working_days))

    def is_working(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() in self.weekdays and day not in self.days_off

    def _hours(self, day: date) -> tuple[datetime, datetime]:
        opens = datetime.combine(day, self.opens, self.zone)
        if self.closes == MIDNIGHT:
            return opens, datetime.combine(day + timedelta(days=1), MIDNIGHT, self.zone)
        return opens, datetime.combine(day, self.closes, self.zone)

    def add(self, moment: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` business minutes after ``moment`` (in UTC)."""
        left = timedelta(minutes=minutes)
        local = moment.astimezone(self.zone)
        day = local.date()
        for _ in range(MAX_DAYS):
            if self.is_working(day):
                opens, closes = self._hours(day)
                begin = max(opens, local)
                if begin < closes:
                    if left <= closes - begin:
                        return (begin + left).astimezone(UTC)
                    left -= closes - begin
            day += timedelta(days=1)
            local = datetime.combine(day, time(0), self.zone)
        raise ValueError("no working time within the calendar's range")

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Business minutes from ``start`` to ``end`` (0 when ``end`` is not later)."""
        if end <= start:
            return 0.0
        total = timedelta()
        local_start, local_end = start.astimezone(self.zone), end.astimezone(self.zone)
        day = local_start.date()
        while day <= local_end.date():
            if self.is_working(day):
                opens, closes = self._hours(day)
                begin, finish = max(opens, local_start), min(closes, local_end)
                if begin < finish:
                    total += finish - begin
            day += timedelta(days=1)
        return total.total_seconds() / 60
