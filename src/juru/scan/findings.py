"""The shared vocabulary of the pure core: findings and the context a text is checked in.

Detectors *find* (they return ``Finding`` objects); rules *decide* (``juru.rules`` maps
findings plus ``ScanContext`` to hits and a verdict). This module imports nothing from the
rest of Juru so both sides can depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

AccountType = Literal["brand", "personal", "government"]
Channel = Literal["post", "reply", "comment", "share"]
ACCOUNT_TYPES: tuple[str, ...] = ("brand", "personal", "government")
CHANNELS: tuple[str, ...] = ("post", "reply", "comment", "share")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a detector saw in a text, with offsets into the *original* text.

    ``detector`` is the registered detector id (``pii.nik``), ``entity`` the kind of thing found
    (``NIK``, ``PHONE``, ``PROFANITY``...), ``start``/``end`` Python code-point offsets into the
    original text, ``score`` a confidence in [0, 1], and ``explanation`` what made the detector
    fire (pattern, validation result, context words seen, lexicon term, severity...).
    """

    detector: str
    entity: str
    start: int
    end: int
    score: float
    explanation: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The finding as it appears in ``juru scan`` output."""
        return {
            "detector": self.detector,
            "entity": self.entity,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class ScanContext:
    """Where a text is going: the conditions rules may depend on (DESIGN.md §5.1)."""

    account: str = "brand"
    channel: str = "post"
    network: str | None = None
    role: str | None = None
    crisis: bool = False
    lang: str | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ScanContext:
        """Build a context from a ``juru scan`` input record, applying the documented defaults."""
        account = record.get("account") or "brand"
        channel = record.get("channel") or "post"
        if account not in ACCOUNT_TYPES:
            raise ValueError(f"account must be one of {', '.join(ACCOUNT_TYPES)}")
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(CHANNELS)}")
        network = record.get("network")
        role = record.get("role")
        lang = record.get("lang")
        return cls(
            account=account,
            channel=channel,
            network=str(network) if network else None,
            role=str(role) if role else None,
            crisis=bool(record.get("crisis", False)),
            lang=str(lang) if lang else None,
        )
