"""Personal data detectors (``pii.*``): Indonesian identifiers, contact details, cards and accounts.

Identifier patterns run on the original text, so offsets are code-point indices into what the
author typed. Only a *person's* data is reported: organisation contacts and allow-listed values
produce no finding (see ``engine``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from juru.scan.detectors.pii.engine import PiiEngine
from juru.scan.findings import Finding, ScanContext
from juru.scan.registry import DetectorSpec

if TYPE_CHECKING:
    from juru.rules.config import OrgConfig
    from juru.scan.text import PreparedText

DETECTORS: tuple[tuple[str, str], ...] = (
    ("pii.nik", "NIK"),
    ("pii.kk", "KK"),
    ("pii.npwp", "NPWP"),
    ("pii.phone", "PHONE"),
    ("pii.email", "EMAIL"),
    ("pii.card", "CARD"),
    ("pii.bank_account", "BANK_ACCOUNT"),
    ("pii.passport", "PASSPORT"),
    ("pii.address", "ADDRESS"),
    ("pii.dob", "DATE_OF_BIRTH"),
)


class PiiDetector:
    """One ``pii.*`` detector: the findings of the shared engine (its ``group``) for its own id."""

    def __init__(self, name: str, engine: PiiEngine) -> None:
        self.name = name
        self.engine = engine
        self.group = engine

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """Findings of this detector's entity, with offsets into ``text.original``."""
        return list(self.engine.detect_group(text, context).get(self.name, ()))


@lru_cache(maxsize=32)
def _engine_for(config: OrgConfig) -> PiiEngine:
    return PiiEngine(config)


def engine_for(config: OrgConfig | None) -> PiiEngine:
    """The engine shared by the ten detectors built for the same organisation config."""
    if config is None:
        return _default_engine()
    try:
        return _engine_for(config)
    except TypeError:  # a config built by hand with lists is not hashable: no sharing, same results
        return PiiEngine(config)


@lru_cache(maxsize=1)
def _default_engine() -> PiiEngine:
    return PiiEngine(None)


def _factory(name: str):  # noqa: ANN202 - returns a DetectorFactory
    def build(config: OrgConfig) -> PiiDetector:
        return PiiDetector(name, engine_for(config))

    return build


def scan_pii(text: str, config: OrgConfig | None = None) -> list[Finding]:
    """All personal-data findings in ``text`` (convenience for benchmarks and the CLI)."""
    return list(engine_for(config).findings(text))


SPECS: list[DetectorSpec] = [
    DetectorSpec(name=name, factory=_factory(name), entities=(entity,)) for name, entity in DETECTORS
]
