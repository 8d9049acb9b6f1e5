"""Lexicon detectors: one detector id per distinct ``detector`` in the shipped term lists.

All of them share one automaton (``juru.scan.lexicon.matcher_for``) and one pass per text;
each detector keeps the matches for its own id. Lists derived from non-commercial data are
used only while ``JURU_NONCOMMERCIAL_MODELS`` is on (read when the detector is built).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from juru.rules.config import OrgConfig
from juru.scan.findings import Finding, ScanContext
from juru.scan.lexicon import (
    SEVERITY_SCORE,
    LexiconMatch,
    allowed_spans,
    keep_longest,
    lexicon_headers,
    matcher_for,
)
from juru.scan.licensing import noncommercial_enabled
from juru.scan.registry import DetectorSpec
from juru.scan.text import PreparedText

MASKED_FACTOR = 0.9  # a masked spelling is a little less certain than the word itself


class LexiconGroup:
    """Every lexicon detector's findings from one shared pass (``DetectorGroup``), kept on the text."""

    def __init__(self, include_noncommercial: bool, allowed_terms: tuple[str, ...]) -> None:
        self.include_noncommercial = include_noncommercial
        self.allowed_terms = allowed_terms
        self._matcher = matcher_for(include_noncommercial)
        self.word_lists = (self._matcher,)  # searched in the scanner's shared pass

    def detect_group(self, text: PreparedText, context: ScanContext) -> Mapping[str, list[Finding]]:
        """Findings by lexicon detector id."""
        return text.memo(self, self._findings)

    def _findings(self, text: PreparedText) -> dict[str, list[Finding]]:
        grouped = self._matcher.grouped(text)
        if not grouped:
            return {}
        allowed = (
            allowed_spans(text, self.allowed_terms, slang=self.include_noncommercial) if self.allowed_terms else []
        )
        found: dict[str, list[Finding]] = {}
        for name, matches in grouped.items():
            findings = []
            for match in keep_longest(matches) if len(matches) > 1 else matches:
                if allowed and any(a <= match.nstart and match.nend <= b for a, b in allowed):
                    continue
                findings.append(_finding(name, match))
            if findings:
                found[name] = findings
        return found


def _finding(name: str, match: LexiconMatch) -> Finding:
    term = match.term
    score = SEVERITY_SCORE[term.severity] * (MASKED_FACTOR if match.masked else 1.0)
    explanation: dict[str, object] = {
        "term": term.term,
        "severity": term.severity,
        "lang": term.lang,
        "list": term.list,
    }
    if match.masked:
        explanation["masked"] = True
    if term.noncommercial:
        explanation["noncommercial"] = True
    return Finding(name, term.entity, match.start, match.end, score, explanation)


@lru_cache(maxsize=64)
def _group(include_noncommercial: bool, allowed_terms: tuple[str, ...]) -> LexiconGroup:
    return LexiconGroup(include_noncommercial, allowed_terms)


@dataclass
class LexiconDetector:
    """Findings for one lexicon detector id (its ``group`` finds those of every id in one pass)."""

    name: str
    include_noncommercial: bool
    allowed_terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.group = _group(self.include_noncommercial, tuple(self.allowed_terms))

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """Whole-word lexicon matches for this detector id, mapped to the original text."""
        return list(self.group.detect_group(text, context).get(self.name, ()))


def _factory(name: str) -> Callable[[OrgConfig], LexiconDetector]:
    def build(config: OrgConfig) -> LexiconDetector:
        return LexiconDetector(name, noncommercial_enabled(), tuple(config.allowed_terms))

    return build


def _specs() -> list[DetectorSpec]:
    """One spec per detector id; a spec is non-commercial only if all of its lists are."""
    entities: dict[str, set[str]] = {}
    commercial: dict[str, bool] = {}
    for lexicon in lexicon_headers():
        entities.setdefault(lexicon.detector, set()).add(lexicon.entity)
        commercial[lexicon.detector] = commercial.get(lexicon.detector, False) or not lexicon.noncommercial
    return [
        DetectorSpec(
            name=name,
            factory=_factory(name),
            entities=tuple(sorted(entities[name])),
            noncommercial=not commercial[name],
        )
        for name in sorted(entities)
    ]


SPECS: list[DetectorSpec] = _specs()
