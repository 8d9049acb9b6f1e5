"""Spike detection over mention streams: a seasonal baseline per query and sentiment, and a count test.

Pure core: no Django, no database. The listening app and ``juru spikes`` run the same detector.
"""

from __future__ import annotations

from juru.spikes.detector import Alert, Detector, Event, Settings

__all__ = ["Alert", "Detector", "Event", "Settings"]
