"""The online spike detector: per query and sentiment, a seasonal baseline and a count test over several windows.

For each new event of an alerting sentiment (negative by default) the detector compares the
events seen in the last 5, 10, 30, 60 and 180 minutes with what the baseline expects, using a
negative-binomial tail (a Poisson test that knows how uncertain a thin baseline is). A campaign
lifts the expectation: when positive mentions run above their own baseline, negative ones are
expected to rise in proportion, so a successful launch is not a crisis. An episode opens at the
event whose tail probability falls below ``Settings.max_log10_p`` (with at least ``min_count``
events and ``min_ratio`` times the expected count) and closes after ``close_after`` seconds
without such evidence; while it is open, later events may update it, and the baseline does not
learn the burst as the new normal.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from juru.spikes.baseline import HOUR, Baseline
from juru.spikes.evidence import top_terms
from juru.spikes.stats import log10_tail

SENTIMENTS = ("positive", "neutral", "negative")
CAMPAIGN_WINDOW = 3600.0  # a campaign's lift is read over at least an hour, so a few posts do not move it


@dataclass(frozen=True, slots=True)
class Settings:
    """How sensitive the detector is; the defaults meet the targets measured by ``bench/spikes.py``."""

    windows: tuple[int, ...] = (300, 600, 1800, 3600, 10800)  # seconds
    max_log10_p: float = -4.5
    min_count: int = 5
    min_ratio: float = 2.5
    close_after: float = 3600.0  # seconds without evidence before an episode ends
    warmup_hours: int = 72  # a young baseline has not learnt its rhythm yet: ask for a larger excess
    cold_hours: int = 24  # before a first day is learnt, compare with the query's other mentions too
    cold_odds: float = 0.5  # ... expecting one such mention for every two others
    alert_sentiments: tuple[str, ...] = ("negative",)
    campaign_sentiment: str = "positive"
    campaign_pseudo_count: float = 5.0  # keeps a handful of extra positive mentions from masking a burst
    examples: int = 3


@dataclass(frozen=True, slots=True)
class Event:
    """One mention: when, for which query, with which sentiment (text is optional evidence)."""

    id: str
    time: datetime
    query: str
    sentiment: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    """An episode opened (``update`` false) or a later, stronger reading of the same episode."""

    episode: str
    query: str
    sentiment: str
    opened_at: datetime
    time: datetime
    severity: int
    observed: int
    expected: float
    window: int  # seconds
    update: bool
    top_terms: tuple[str, ...] = ()
    examples: tuple[tuple[str, str], ...] = ()  # (event id, text)

    def as_json(self) -> dict[str, object]:
        """The ``juru spikes`` output object (DESIGN.md section 5.5), with evidence fields appended."""
        out: dict[str, object] = {
            "episode": self.episode,
            "query": self.query,
            "sentiment": self.sentiment,
            "opened_at": self.opened_at.isoformat(),
            "severity": self.severity,
            "observed": self.observed,
            "expected": round(self.expected, 1),
            "update": self.update,
            "time": self.time.isoformat(),
            "window_minutes": self.window // 60,
        }
        if self.top_terms:
            out["top_terms"] = list(self.top_terms)
        if self.examples:
            out["examples"] = [{"id": event_id, "text": text} for event_id, text in self.examples]
        return out


@dataclass(slots=True)
class _Reading:
    observed: int
    expected: float
    log10_p: float
    window: int


@dataclass(slots=True)
class _Episode:
    id: str
    opened_at: datetime
    last_hot: float
    severity: int
    observed: int


@dataclass(slots=True)
class _Stream:
    baseline: Baseline = field(default_factory=Baseline)
    times: list[float] = field(default_factory=list)  # local seconds, ascending
    head: int = 0  # times before ``head`` are older than the longest window
    quiet_since: float = float("-inf")  # an ended episode's events never open the next one
    recent: deque[tuple[float, str, str]] = field(default_factory=lambda: deque(maxlen=200))

    def count_since(self, moment: float) -> int:
        return len(self.times) - bisect.bisect_right(self.times, moment, lo=self.head)

    def prune(self, moment: float) -> None:
        self.head = bisect.bisect_right(self.times, moment, lo=self.head)
        if self.head > 4096:
            del self.times[: self.head]
            self.head = 0


def severity(observed: int, expected: float, log10_p: float) -> int:
    """1-10: grows with how many times the expected count arrived and how improbable that was."""
    ratio = max(observed / max(expected, 1e-9), 1.0)
    score = 1.0 + math.log2(ratio) + min(-log10_p, 30.0) / 10.0
    return max(1, min(10, int(score + 0.5)))


class Detector:
    """Feed time-ordered events with ``observe``; it returns the alerts they raise, as they happen."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._streams: dict[tuple[str, str], _Stream] = {}
        self._episodes: dict[tuple[str, str], _Episode] = {}
        self._episode_count = 0
        self._horizon = max(self.settings.windows)

    def snapshot(self) -> dict[str, Any]:
        """The detector's state as JSON-ready data (a worker saves it between batches)."""
        return {
            "version": 1,
            "episode_count": self._episode_count,
            "streams": [
                [query, sentiment, _stream_state(stream)] for (query, sentiment), stream in self._streams.items()
            ],
            "episodes": [
                [query, sentiment, e.id, e.opened_at.isoformat(), e.last_hot, e.severity, e.observed]
                for (query, sentiment), e in self._episodes.items()
            ],
        }

    @classmethod
    def restore(cls, state: dict[str, Any] | None, settings: Settings | None = None) -> Detector:
        """A detector continuing from ``snapshot()`` data (a fresh one for None or an unknown version)."""
        detector = cls(settings)
        if not state or state.get("version") != 1:
            return detector
        detector._episode_count = int(state["episode_count"])
        for query, sentiment, stream_state in state["streams"]:
            detector._streams[(query, sentiment)] = _restore_stream(stream_state)
        for query, sentiment, episode_id, opened_at, last_hot, level, observed in state["episodes"]:
            detector._episodes[(query, sentiment)] = _Episode(
                episode_id, datetime.fromisoformat(opened_at), float(last_hot), int(level), int(observed)
            )
        return detector

    def forget(self, query: str) -> None:
        """Drop everything known about a query (it was deleted)."""
        for key in [key for key in self._streams if key[0] == query]:
            del self._streams[key]
        for key in [key for key in self._episodes if key[0] == query]:
            del self._episodes[key]

    def _stream(self, query: str, sentiment: str) -> _Stream:
        key = (query, sentiment)
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = _Stream()
        return stream

    def observe(self, event: Event) -> Alert | None:
        """Count one event; return the alert it opens or updates, if any."""
        if event.time.tzinfo is None:
            raise ValueError("event times need a UTC offset")
        offset = event.time.utcoffset() or timedelta(0)
        now = event.time.timestamp() + offset.total_seconds()
        stream = self._stream(event.query, event.sentiment)
        hour_index = math.floor(now / HOUR)
        stream.baseline.add(hour_index)
        if stream.times and now < stream.times[-1]:
            now = stream.times[-1]  # slightly out of order: count it as arriving now
        stream.times.append(now)
        stream.prune(now - self._horizon)
        if event.text:
            stream.recent.append((now, event.id, event.text))
        if event.sentiment not in self.settings.alert_sentiments:
            return None
        return self._judge(event, stream, now, hour_index)

    def _judge(self, event: Event, stream: _Stream, now: float, hour_index: int) -> Alert | None:
        key = (event.query, event.sentiment)
        episode = self._episodes.get(key)
        if episode is not None and now - episode.last_hot > self.settings.close_after:
            del self._episodes[key]
            stream.baseline.damp = False
            stream.quiet_since = now
            episode = None
        reading = self._strongest(event.query, stream, now, hour_index)
        if reading is None or reading.log10_p > self.settings.max_log10_p:
            return None
        level = severity(reading.observed, reading.expected, reading.log10_p)
        if episode is None:
            self._episode_count += 1
            episode = _Episode(f"e{self._episode_count}", event.time, now, level, reading.observed)
            self._episodes[key] = episode
            stream.baseline.damp = True
            return self._alert(event, stream, episode, reading, now, update=False)
        episode.last_hot = now
        if level > episode.severity or reading.observed >= 1.5 * episode.observed:
            episode.severity = max(level, episode.severity)
            episode.observed = reading.observed
            return self._alert(event, stream, episode, reading, now, update=True)
        return None

    def _strongest(self, query: str, stream: _Stream, now: float, hour_index: int) -> _Reading | None:
        settings = self.settings
        campaign = self._streams.get((query, settings.campaign_sentiment))
        if campaign is not None:
            campaign.baseline.advance(hour_index)  # its quiet hours count too
        shape = stream.baseline.shape()
        min_ratio = settings.min_ratio * (2.0 if stream.baseline.hours < settings.warmup_hours else 1.0)
        best: _Reading | None = None
        for window in settings.windows:
            start = max(now - window, stream.quiet_since)
            observed = stream.count_since(start)
            if observed < settings.min_count:
                continue
            lift = self._campaign_lift(campaign, min(start, now - CAMPAIGN_WINDOW), now)
            expected = stream.baseline.expected(start, now) * lift
            certainty = shape
            if stream.baseline.hours < settings.cold_hours:
                # No day learnt yet: the query's other mentions say what is normal, as sure as they are many.
                others = self._others(query, stream, start)
                if settings.cold_odds * others > expected:
                    expected, certainty = settings.cold_odds * others, max(shape, others + 1.0)
            if observed < min_ratio * expected:
                continue
            log10_p = log10_tail(observed, expected, certainty)
            if best is None or log10_p < best.log10_p:
                best = _Reading(observed, expected, log10_p, window)
        return best

    def _others(self, query: str, stream: _Stream, start: float) -> int:
        """Mentions of the query's other sentiments since ``start``."""
        return sum(
            self._streams[(query, sentiment)].count_since(start)
            for sentiment in SENTIMENTS
            if (query, sentiment) in self._streams and self._streams[(query, sentiment)] is not stream
        )

    def _campaign_lift(self, campaign: _Stream | None, start: float, now: float) -> float:
        """How far the campaign sentiment runs above its own baseline (1.0 when it does not)."""
        if campaign is None:
            return 1.0
        pseudo = self.settings.campaign_pseudo_count
        observed = campaign.count_since(start)
        expected = campaign.baseline.expected(start, now)
        return max(1.0, (observed + pseudo) / (expected + pseudo))

    def _alert(
        self, event: Event, stream: _Stream, episode: _Episode, reading: _Reading, now: float, *, update: bool
    ) -> Alert:
        since = now - reading.window
        texts = [(event_id, text) for moment, event_id, text in stream.recent if moment > since]
        return Alert(
            episode=episode.id,
            query=event.query,
            sentiment=event.sentiment,
            opened_at=episode.opened_at,
            time=event.time,
            severity=max(episode.severity, severity(reading.observed, reading.expected, reading.log10_p)),
            observed=reading.observed,
            expected=reading.expected,
            window=reading.window,
            update=update,
            top_terms=tuple(top_terms(text for _, text in texts)),
            examples=tuple(texts[-self.settings.examples :][::-1]),
        )


def _stream_state(stream: _Stream) -> dict[str, Any]:
    baseline = stream.baseline
    return {
        "baseline": {name: getattr(baseline, name) for name in _BASELINE_FIELDS},
        "times": stream.times[stream.head :],
        "quiet_since": stream.quiet_since if math.isfinite(stream.quiet_since) else None,
        "recent": [list(item) for item in list(stream.recent)[-_KEPT_TEXTS:]],
    }


def _restore_stream(state: dict[str, Any]) -> _Stream:
    baseline = Baseline(**{name: state["baseline"][name] for name in _BASELINE_FIELDS})
    quiet = state.get("quiet_since")
    stream = _Stream(baseline=baseline, times=[float(t) for t in state["times"]])
    stream.quiet_since = float("-inf") if quiet is None else float(quiet)
    stream.recent.extend((float(t), str(i), str(x)) for t, i, x in state.get("recent", []))
    return stream


_BASELINE_FIELDS = ("level", "exposure", "hours", "hour_factors", "hour_seen", "day_factors", "hour", "count", "damp")
_KEPT_TEXTS = 50


def parse_time(value: str) -> datetime:
    """An ISO 8601 time with a UTC offset ("Z" accepted); ValueError otherwise."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time {value!r} has no UTC offset")
    return moment
