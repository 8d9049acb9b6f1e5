"""Month-long synthetic mention streams with planted bursts, for the benchmark and the tests.

Each query has its own volume, a daily rhythm (quiet nights, busy evenings, livelier weekends),
steady growth over the month and a sentiment mix. Planted on top: sudden negative bursts (some
in the middle of the night), slow evening build-ups of negative mentions, and positive campaign
surges that also bring some extra negative and neutral chatter (which must not raise alerts).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np

JAKARTA = timezone(timedelta(hours=7))
HOURLY = (  # the everyday rhythm of an Indonesian brand's mentions, local time
    0.15, 0.08, 0.05, 0.05, 0.08, 0.2, 0.45, 0.7, 0.9, 1.0, 1.0, 1.05,
    1.1, 1.0, 0.95, 0.95, 1.0, 1.15, 1.4, 1.7, 1.8, 1.6, 1.0, 0.45,
)  # fmt: skip
WEEKDAY = (1.0, 0.95, 0.95, 1.0, 1.05, 1.25, 1.2)
SHARES = {"positive": 0.35, "neutral": 0.45, "negative": 0.2}


@dataclass(frozen=True, slots=True)
class Burst:
    """Extra negative mentions: ``sudden`` at full strength at once; ``ramp`` grows linearly for two
    thirds of its time, then holds its peak."""

    query: str
    start: datetime
    minutes: int
    multiplier: float
    floor_per_hour: float = 60.0  # a burst adds at least this many mentions an hour at its peak
    kind: str = "sudden"

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def onset(self, plan: Plan) -> datetime:
        """When the negative rate first reaches three times its normal level (a ramp's start is no burst yet)."""
        for minute in range(self.minutes):
            moment = self.start + timedelta(minutes=minute)
            if rate(plan, self.query, "negative", moment) >= 3.0 * base_rate(plan, self.query, "negative", moment):
                return moment
        return self.start


@dataclass(frozen=True, slots=True)
class Campaign:
    """A positive surge: positive mentions times ``multiplier``, neutral and negative ones less so."""

    query: str
    start: datetime
    hours: int
    multiplier: float

    @property
    def end(self) -> datetime:
        return self.start + timedelta(hours=self.hours)


@dataclass(slots=True)
class Plan:
    """Queries with their hourly volume, growth over the period, and what is planted."""

    start: datetime
    days: int
    volumes: dict[str, float]  # mentions per average hour at the start
    growth: dict[str, float]  # volume multiplier reached at the end of the period
    bursts: list[Burst] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)


def base_rate(plan: Plan, query: str, sentiment: str, moment: datetime) -> float:
    """Expected mentions per hour without anything planted."""
    progress = (moment - plan.start) / timedelta(days=plan.days)
    growth = 1.0 + (plan.growth.get(query, 1.0) - 1.0) * progress
    local = moment.astimezone(JAKARTA)
    return plan.volumes[query] * growth * HOURLY[local.hour] * WEEKDAY[local.weekday()] * SHARES[sentiment]


def rate(plan: Plan, query: str, sentiment: str, moment: datetime) -> float:
    """Mentions per hour at ``moment``, with the planted bursts and campaigns."""
    normal = base_rate(plan, query, sentiment, moment)
    value = normal
    for campaign in plan.campaigns:
        if campaign.query == query and campaign.start <= moment < campaign.end:
            lift = {"positive": 1.0, "neutral": 0.5, "negative": 0.35}[sentiment]
            value += normal * (campaign.multiplier - 1.0) * lift
    if sentiment == "negative":
        for burst in plan.bursts:
            if burst.query == query and burst.start <= moment < burst.end:
                peak = max(normal * (burst.multiplier - 1.0), burst.floor_per_hour)
                share = (
                    1.0
                    if burst.kind == "sudden"
                    else min(1.0, 1.5 * (moment - burst.start) / (burst.end - burst.start))
                )
                value += peak * share
    return value


def events(plan: Plan, seed: int = 0) -> Iterator[dict[str, str]]:
    """Time-ordered ``juru spikes`` input records for the plan (Poisson arrivals minute by minute)."""
    rng = np.random.default_rng(seed)
    queries = list(plan.volumes)
    sentiments = list(SHARES)
    serial = 0
    for minute in range(plan.days * 24 * 60):
        moment = plan.start + timedelta(minutes=minute)
        arrivals: list[tuple[float, str, str]] = []
        for query in queries:
            for sentiment in sentiments:
                count = rng.poisson(rate(plan, query, sentiment, moment) / 60.0)
                arrivals.extend((float(second), query, sentiment) for second in rng.uniform(0, 60, count))
        for second, query, sentiment in sorted(arrivals):
            serial += 1
            at = (moment + timedelta(seconds=second)).astimezone(JAKARTA)
            yield {"id": f"m{serial}", "time": at.isoformat(timespec="seconds"), "query": query, "sentiment": sentiment}


def month_plan(seed: int = 0, queries: int = 8, days: int = 30) -> Plan:
    """A month for ``queries`` queries from quiet (1 mention an hour) to busy (150 an hour), with plantings.

    Per query: a sudden burst at night, a sudden burst in the day, a slow evening build-up, and a
    campaign surge; nothing planted overlaps anything else on the same query.
    """
    rng = np.random.default_rng(seed)
    start = datetime(2026, 10, 1, tzinfo=JAKARTA)
    volumes = {f"q{i}": float(v) for i, v in enumerate(np.geomspace(1.0, 150.0, queries).round(1))}
    plan = Plan(start=start, days=days, volumes=volumes, growth={q: float(rng.uniform(1.0, 2.0)) for q in volumes})
    for query in volumes:
        slots = rng.permutation(np.arange(7, days - 1))[:4]  # day numbers, after a week of learning
        night, day, evening, campaign = (start + timedelta(days=int(d)) for d in slots)
        multiplier = float(rng.uniform(3.0, 8.0))
        plan.bursts.append(Burst(query, night + timedelta(hours=int(rng.integers(0, 5))), 45, multiplier))
        plan.bursts.append(Burst(query, day + timedelta(hours=int(rng.integers(9, 16))), 60, multiplier))
        plan.bursts.append(Burst(query, evening + timedelta(hours=17), 180, 4.0, floor_per_hour=12.0, kind="ramp"))
        plan.campaigns.append(Campaign(query, campaign + timedelta(hours=10), 8, float(rng.uniform(4.0, 10.0))))
    return plan


@dataclass(frozen=True, slots=True)
class Score:
    """How the alerts compare with what was planted."""

    bursts: int
    detected: int
    delays: tuple[float, ...]  # minutes from each detected burst's onset (rate >= 3x normal) to its alert
    false_alerts: int
    campaign_alerts: int  # false alerts during a campaign (a subset of false_alerts)

    @property
    def detection_rate(self) -> float:
        return self.detected / self.bursts if self.bursts else 1.0

    @property
    def median_delay(self) -> float:
        return float(np.median(self.delays)) if self.delays else float("nan")


def score(plan: Plan, alerts: list[dict[str, object]], grace_minutes: int = 60) -> Score:
    """Match opening alerts to planted bursts (same query, opened between its start and end + grace).

    A burst's delay counts from its onset: the first minute its rate is three times the normal one
    (for a sudden burst, its start; for a slow build-up, when it has built up that far).
    """
    opened = [a for a in alerts if not a.get("update") and a.get("sentiment") == "negative"]
    matched: set[int] = set()
    delays = []
    for burst in plan.bursts:
        late = burst.end + timedelta(minutes=grace_minutes)
        hits = [
            (at, index)
            for index, alert in enumerate(opened)
            if alert["query"] == burst.query and burst.start <= (at := _time(alert["opened_at"])) <= late
        ]
        if hits:
            at, index = min(hits)
            matched.update(i for _, i in hits)
            delays.append(max(0.0, (at - burst.onset(plan)) / timedelta(minutes=1)))
    false = [alert for index, alert in enumerate(opened) if index not in matched]
    during = sum(
        1
        for alert in false
        for campaign in plan.campaigns
        if alert["query"] == campaign.query and campaign.start <= _time(alert["opened_at"]) <= campaign.end
    )
    return Score(len(plan.bursts), len(delays), tuple(delays), len(false), during)


def _time(value: object) -> datetime:
    return datetime.fromisoformat(str(value))
