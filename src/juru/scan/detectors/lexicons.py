"""Lexicon detectors: one detector id per distinct ``detector`` in the shipped term lists.

All of them share one automaton (``juru.scan.lexicon.matcher_for``) and one pass per text;
each detector keeps the matches for its own id. Lists derived from non-commercial data are
used only while ``JURU_NONCOMMERCIAL_MODELS`` is on (read when the detector is built).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from juru.rules.config import OrgConfig
from juru.scan.findings import Finding, ScanContext
from juru.scan.lexicon import SEVERITY_SCORE, allowed_spans, keep_longest, lexicon_files, matcher_for
from juru.scan.licensing import noncommercial_enabled
from juru.scan.registry import DetectorSpec
from juru.scan.text import PreparedText

MASKED_FACTOR = 0.9  # a masked spelling is a little less certain than the word itself


@dataclass
class LexiconDetector:
    """Findings for one lexicon detector id."""

    name: str
    include_noncommercial: bool
    allowed_terms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._matcher = matcher_for(self.include_noncommercial)

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """Whole-word lexicon matches for this detector id, mapped to the original text."""
        matches = self._matcher.matches_for(text, self.name)
        if not matches:
            return []
        allowed = allowed_spans(text, self.allowed_terms, slang=self.include_noncommercial) if self.allowed_terms else []
        findings = []
        for match in keep_longest(matches):
            if any(a <= match.nstart and match.nend <= b for a, b in allowed):
                continue
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
            findings.append(Finding(self.name, term.entity, match.start, match.end, score, explanation))
        return findings


def _factory(name: str) -> Callable[[OrgConfig], LexiconDetector]:
    def build(config: OrgConfig) -> LexiconDetector:
        return LexiconDetector(name, noncommercial_enabled(), tuple(config.allowed_terms))

    return build


def _specs() -> list[DetectorSpec]:
    """One spec per detector id; a spec is non-commercial only if all of its lists are."""
    entities: dict[str, set[str]] = {}
    commercial: dict[str, bool] = {}
    for lexicon in lexicon_files(True):
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
