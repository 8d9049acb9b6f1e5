"""The expected hourly count of one stream: a level that follows slow growth, times hour-of-day and day-of-week factors.

Counts are learnt hour by hour as the stream's clock passes each hour boundary (empty hours teach
as much as busy ones). Times are "local seconds": POSIX seconds plus the stream's UTC offset, so
hour 0 is local midnight. Early on, every estimate is a running mean; later, exponential
forgetting lets the baseline follow a query that grows over the month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

HOUR = 3600.0
LEVEL_MEMORY_HOURS = 36.0  # the level follows growth with about a day and a half of memory
HOUR_FACTOR_RATE = 0.15  # each hour-of-day slot is seen once a day: about a week of memory
DAY_FACTOR_RATE = 0.03  # each weekday is seen 24 hours a week: about a week and a half of memory
SHRINK = 1.0  # pseudo-count pulling factors of sparse streams towards 1 (no seasonality)
MIN_FACTOR = 0.05
MIN_RATE = 0.01  # events per hour: never expect less than one event in four days
WEEK_HOURS = 7 * 24
EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)


def hour_of_day(hour_index: int) -> int:
    """Local hour (0-23) of an hour counted from the epoch in local time."""
    return hour_index % 24


def day_of_week(hour_index: int) -> int:
    """Local weekday (Monday = 0) of an hour counted from the epoch in local time."""
    return (hour_index // 24 + EPOCH_WEEKDAY) % 7


@dataclass(slots=True)
class Baseline:
    """Seasonal baseline of one (query, sentiment) stream."""

    level: float = 0.0
    exposure: float = 0.0  # seasonal weight learnt so far (hours, weighted by their factors)
    hours: int = 0  # hours learnt so far
    hour_factors: list[float] = field(default_factory=lambda: [1.0] * 24)
    hour_seen: list[int] = field(default_factory=lambda: [0] * 24)
    day_factors: list[float] = field(default_factory=lambda: [1.0] * 7)
    hour: int | None = None  # the open hour (local hour index)
    count: int = 0  # events in the open hour
    damp: bool = False  # while an episode is open, the burst must not become the new normal

    def factor(self, hour_index: int) -> float:
        """Seasonal factor of an hour (1.0 = an average hour)."""
        return self.hour_factors[hour_of_day(hour_index)] * self.day_factors[day_of_week(hour_index)]

    def rate(self, hour_index: int) -> float:
        """Expected events in that hour."""
        return max(self.level * self.factor(hour_index), MIN_RATE)

    def shape(self) -> float:
        """How many events the baseline rests on (few events: an uncertain baseline)."""
        return 1.0 + self.level * min(self.exposure, LEVEL_MEMORY_HOURS)

    def advance(self, hour_index: int) -> None:
        """Close every hour before ``hour_index`` (learning from its count) and open that hour."""
        if self.hour is None:
            self.hour, self.count = hour_index, 0
            return
        # A stream silent for weeks only needs its last two weeks of empty hours replayed.
        if hour_index - self.hour > 24 * 14:
            self._learn(self.hour, self.count)
            self.hour, self.count = hour_index - 24 * 14, 0
        while self.hour < hour_index:
            self._learn(self.hour, self.count)
            self.hour += 1
            self.count = 0

    def add(self, hour_index: int) -> None:
        """Count one event in ``hour_index`` (an event from a closed hour counts in the open one)."""
        if self.hour is None or hour_index > self.hour:
            self.advance(hour_index)
        self.count += 1

    def expected(self, start: float, end: float) -> float:
        """Expected events between two local-second instants."""
        total, moment = 0.0, start
        while moment < end:
            hour_index = math.floor(moment / HOUR)
            stop = min(end, (hour_index + 1) * HOUR)
            total += self.rate(hour_index) * (stop - moment) / HOUR
            moment = stop
        return total

    def _learn(self, hour_index: int, count: int) -> None:
        if self.damp:
            count = min(count, math.ceil(1.5 * self.rate(hour_index)))
        self.hours += 1
        slot, day = hour_of_day(hour_index), day_of_week(hour_index)
        seasonal = self.hour_factors[slot] * self.day_factors[day]
        # Level: a gradient step weighted by the hour's share, a running mean until memory fills.
        self.exposure += seasonal
        rate = max(1.0 / (self.exposure + 1.0), 1.0 / LEVEL_MEMORY_HOURS)
        self.level = max(0.0, self.level + rate * (count - self.level * seasonal))
        # Factors: shrunk ratios, so a sparse stream keeps a flat profile instead of chasing noise.
        without_hour = self.level * self.day_factors[day]
        target = (count + SHRINK) / (without_hour + SHRINK)
        self.hour_seen[slot] += 1
        step = max(1.0 / self.hour_seen[slot], HOUR_FACTOR_RATE)
        self.hour_factors[slot] = max(MIN_FACTOR, self.hour_factors[slot] + step * (target - self.hour_factors[slot]))
        _normalise(self.hour_factors)
        if self.hours > WEEK_HOURS:
            # Weekdays are told apart only once the daily rhythm is known (else they absorb its errors).
            without_day = self.level * self.hour_factors[slot]
            target = (count + SHRINK) / (without_day + SHRINK)
            factor = self.day_factors[day] + DAY_FACTOR_RATE * (target - self.day_factors[day])
            self.day_factors[day] = max(MIN_FACTOR, factor)
            _normalise(self.day_factors)


def _normalise(factors: list[float]) -> None:
    mean = sum(factors) / len(factors)
    if mean > 0:
        for i, value in enumerate(factors):
            factors[i] = value / mean
