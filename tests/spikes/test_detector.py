"""The spike detector on generated streams: what it must catch, what it must ignore, and its contract."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

import pytest

from juru.spikes.cli import run
from juru.spikes.detector import Detector, Event, Settings
from juru.spikes.stats import log_tail
from juru.spikes.synthetic import JAKARTA, Burst, Campaign, Plan, events, score

START = datetime(2026, 10, 1, tzinfo=JAKARTA)


def _plan(volume: float = 2.0, days: int = 10, **planted: list) -> Plan:
    return Plan(start=START, days=days, volumes={"brand": volume}, growth={"brand": 1.5}, **planted)


def _alerts(plan: Plan, seed: int = 1) -> list[dict[str, object]]:
    lines = [json.dumps(record) for record in events(plan, seed=seed)]
    return list(run(lines, Detector()))


def test_poisson_tail_matches_the_closed_form_when_the_baseline_is_certain():
    expected = 1 - math.exp(-1.0) * (1 + 1 + 0.5)
    assert math.exp(log_tail(3, 1.0, shape=1e9)) == pytest.approx(expected, rel=1e-4)
    assert log_tail(0, 1.0, shape=10) == 0.0


def test_a_thin_baseline_makes_the_same_count_less_surprising():
    assert log_tail(8, 1.0, shape=2) > log_tail(8, 1.0, shape=1000)


def test_a_sudden_night_burst_on_a_quiet_query_is_caught_within_minutes():
    burst = Burst("brand", START + timedelta(days=8, hours=2), 45, 5.0)
    plan = _plan(bursts=[burst])
    result = score(plan, _alerts(plan))
    assert result.detected == 1
    assert result.delays[0] <= 10
    assert result.false_alerts == 0


def test_a_slow_evening_build_up_is_caught_before_it_peaks_out():
    ramp = Burst("brand", START + timedelta(days=8, hours=17), 180, 4.0, floor_per_hour=12.0, kind="ramp")
    plan = _plan(volume=20.0, bursts=[ramp])
    result = score(plan, _alerts(plan))
    assert result.detected == 1
    assert result.false_alerts == 0


def test_a_positive_campaign_surge_raises_nothing():
    surge = Campaign("brand", START + timedelta(days=7, hours=10), 8, 10.0)
    plan = _plan(volume=30.0, campaigns=[surge])
    alerts = _alerts(plan)
    assert [a for a in alerts if not a["update"]] == []


def test_without_the_campaign_adjustment_the_same_surge_would_alert():
    surge = Campaign("brand", START + timedelta(days=7, hours=10), 8, 10.0)
    plan = _plan(volume=30.0, campaigns=[surge])
    lines = [json.dumps(record) for record in events(plan, seed=1)]
    blind = Detector(Settings(campaign_sentiment="none"))
    assert any(not a["update"] for a in run(lines, blind))


def _burst_events(count: int, start: datetime, query: str = "brand") -> list[Event]:
    return [
        Event(f"b{i}", start + timedelta(seconds=20 * i), query, "negative", f"keracunan setelah makan nasi kotak {i}")
        for i in range(count)
    ]


def _quiet_days(days: int = 4) -> list[Event]:
    out = []
    for hour in range(days * 24):
        moment = START + timedelta(hours=hour, minutes=7)
        out.append(Event(f"n{hour}", moment, "brand", "neutral", "info promo"))
        if hour % 6 == 0:
            out.append(Event(f"x{hour}", moment + timedelta(minutes=1), "brand", "negative", "telat"))
    return out


def test_one_episode_per_burst_with_updates_and_evidence():
    detector = Detector()
    raised = [
        a
        for e in [*_quiet_days(), *_burst_events(60, START + timedelta(days=4, hours=2))]
        if (a := detector.observe(e))
    ]
    openings = [a for a in raised if not a.update]
    assert len(openings) == 1
    first = openings[0]
    assert first.episode == "e1"
    assert first.sentiment == "negative"
    assert 1 <= first.severity <= 10
    assert first.observed >= 5
    assert first.expected < first.observed
    assert "keracunan" in first.top_terms
    assert first.examples
    updates = [a for a in raised if a.update]
    assert updates
    assert all(a.episode == "e1" and a.opened_at == first.opened_at for a in updates)
    assert max(a.severity for a in updates) >= first.severity


def test_opened_at_is_the_stream_time_of_the_raising_event_and_uses_no_later_event():
    stream = [*_quiet_days(), *_burst_events(40, START + timedelta(days=4, hours=3))]
    detector = Detector()
    first = next(a for e in stream if (a := detector.observe(e)))
    cut = [e for e in stream if e.time <= first.opened_at]
    again = Detector()
    replay = [a for e in cut if (a := again.observe(e))]
    assert replay[0].opened_at == first.opened_at == cut[-1].time


def test_a_snapshot_continues_exactly_where_it_left_off():
    stream = [*_quiet_days(), *_burst_events(40, START + timedelta(days=4, hours=3))]
    whole = Detector()
    expected = [a for e in stream if (a := whole.observe(e))]
    half = len(stream) - 30
    first = Detector()
    got = [a for e in stream[:half] if (a := first.observe(e))]
    resumed = Detector.restore(json.loads(json.dumps(first.snapshot())))
    got += [a for e in stream[half:] if (a := resumed.observe(e))]
    assert got == expected


def test_a_new_query_needs_negatives_to_dominate_before_it_alerts():
    detector = Detector()
    mixed = [
        Event(str(i), START + timedelta(seconds=30 * i), "new", "negative" if i % 4 == 0 else "neutral")
        for i in range(80)
    ]
    assert not [a for e in mixed if (a := detector.observe(e))]
    wave = _burst_events(10, START + timedelta(hours=2), query="new")
    assert [a for e in wave if (a := detector.observe(e))]


def test_cli_output_follows_the_contract_and_reports_bad_lines():
    lines = [
        json.dumps({"id": e.id, "time": e.time.isoformat(), "query": e.query, "sentiment": e.sentiment})
        for e in [*_quiet_days(2), *_burst_events(30, START + timedelta(days=2, hours=1))]
    ]
    lines[3:3] = [
        "not json",
        json.dumps({"id": "z", "time": "2026-10-01T10:00:00", "query": "q", "sentiment": "negative"}),
        json.dumps({"id": "y", "time": "2026-10-01T10:00:00+07:00", "query": "q", "sentiment": "angry"}),
    ]
    out = list(run(lines, Detector()))
    errors = [o for o in out if "error" in o]
    assert [e["id"] for e in errors] == [None, "z", "y"]
    assert "UTC offset" in str(errors[1]["error"])
    assert "sentiment" in str(errors[2]["error"])
    alert = next(o for o in out if "episode" in o)
    assert {"episode", "query", "sentiment", "opened_at", "severity", "observed", "expected", "update"} <= set(alert)
    assert alert["update"] is False
    assert isinstance(alert["expected"], float)
