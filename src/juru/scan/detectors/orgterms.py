"""Organisation terms: brand and competitor mentions, disparagement, confidential material.

Names come from the organisation config (``brand_names``, ``competitor_names``,
``confidential_terms``); ``allowed_terms`` suppress matches inside them. Disparagement is a
competitor reference (a configured name or "merek sebelah", "the other brand"...) within a few
words of negative wording or a comparison (Etika Pariwara Indonesia; rulepacks.md ID-EPI-02).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from juru.rules.config import OrgConfig
from juru.scan.findings import Finding, ScanContext
from juru.scan.lexicon import PhraseHit, PhraseMatcher, PhraseSet, phrase_pattern
from juru.scan.licensing import noncommercial_enabled
from juru.scan.registry import DetectorSpec
from juru.scan.text import PreparedText

NEAR = 60  # characters either side of a competitor reference (about eight words)

GENERIC_COMPETITORS = (
    "merek sebelah", "merk sebelah", "brand sebelah", "yang sebelah", "toko sebelah", "provider sebelah",
    "aplikasi sebelah", "kompetitor", "kompetitor kami", "brand lain", "merek lain", "produk sebelah",
    "the other brand", "other brands", "our competitors", "our competitor", "the competition",
)  # fmt: skip
NEGATIVE = (
    "jelek", "payah", "basi", "beracun", "penipu", "tipu", "menipu", "bohong", "pembohong", "abal-abal", "abal abal",
    "kw", "palsu", "lemot", "lelet", "zonk", "boncos", "cuma janji", "berbahaya", "bikin sakit", "murahan", "busuk",
    "kemahalan", "mengecewakan", "parah", "ampas", "sampah", "rugi", "jangan pakai", "jangan beli", "hindari",
    "worse", "worst", "terrible", "awful", "fake", "scam", "slow", "dangerous", "toxic", "inferior", "lies",
    "garbage", "trash", "sucks", "rip-off", "ripoff", "overpriced", "don't buy", "avoid",
)  # fmt: skip
_COMPARISON = re.compile(
    r"(?<!\w)(?:lebih\s+\w+\s+(?:dari|daripada|dibanding|dibandingkan)|kalah\s+(?:jauh\s+)?(?:dari|sama|dengan)"
    r"|dibanding(?:kan)?|ketimbang|vs\.?|versus|(?:better|cheaper|faster|safer|tastier|worse|slower)\s+than"
    r"|unlike|compared\s+(?:to|with))(?!\w)"
)
CONFIDENTIAL_MARKERS = (
    "internal only", "internal use only", "for internal use", "confidential", "strictly confidential",
    "do not distribute", "do not share", "do not forward", "not for publication", "not for distribution",
    "under embargo", "embargoed", "under nda", "leaked", "not yet announced", "unreleased",
    "hanya untuk internal", "khusus internal", "untuk internal saja", "jangan disebar", "jangan disebarkan",
    "jangan disebarluaskan", "dilarang disebarluaskan", "jangan diforward", "jangan bilang siapa-siapa",
    "rahasia perusahaan", "dokumen rahasia", "data rahasia", "info rahasia", "informasi rahasia",
    "bersifat rahasia", "sifatnya rahasia", "sangat rahasia", "rahasia internal", "masih rahasia", "bocoran",
    "belum diumumkan", "belum boleh diumumkan", "belum boleh dipublikasikan",
)  # fmt: skip
# Unreleased wording counts only with a figure nearby ("belum dirilis, omzet Q3 Rp 12 M").
UNRELEASED_WITH_FIGURE = ("belum dirilis", "belum rilis", "belum launching", "not yet released", "before release")
_FIGURE = re.compile(r"\d")


@lru_cache(maxsize=2)
def _negative(slang: bool) -> PhraseMatcher | None:
    """The negative wording, with slang forms only while non-commercial data is on."""
    return phrase_pattern(NEGATIVE, slang=slang)


@lru_cache(maxsize=64)
def _cues(config: OrgConfig, slang: bool) -> PhraseSet:
    """Every phrase list of the four detectors, found in one pass per text (shared by them)."""
    return PhraseSet(
        {
            "brand": config.brand_names,
            "competitor": config.competitor_names,
            "confidential": config.confidential_terms,
            "allowed": config.allowed_terms,
            "generic": GENERIC_COMPETITORS,
            "marker": CONFIDENTIAL_MARKERS,
            "unreleased": UNRELEASED_WITH_FIGURE,
        },
        slang=slang,
    )


def _spans(hits: Mapping[str, list[PhraseHit]], group: str) -> list[PhraseHit]:
    """The hits of one list, minus those inside an allowed term."""
    found = hits.get(group)
    if not found:
        return []
    allowed = [m.span() for m in hits.get("allowed", ())]
    if not allowed:
        return found
    return [m for m in found if not any(a <= m.start() and m.end() <= b for a, b in allowed)]


def _finding(name: str, entity: str, text: PreparedText, match: PhraseHit, score: float, **extra: object) -> Finding:
    start, end = text.to_original(*match.span())
    return Finding(name, entity, start, end, score, {"term": match.group(), **extra})


KIND_NAMES = {
    "brand": "orgterms.brand",
    "competitor": "orgterms.competitor",
    "disparagement": "orgterms.disparagement",
    "confidential": "orgterms.confidential",
}


class OrgTermsGroup:
    """The four detectors' findings from one phrase pass (``DetectorGroup``), kept on the text."""

    def __init__(self, config: OrgConfig, slang: bool) -> None:
        self._cues = _cues(config, slang)
        self.word_lists = (self._cues,)  # searched in the scanner's shared pass
        self._negative = _negative(slang)

    def detect_group(self, text: PreparedText, context: ScanContext) -> Mapping[str, list[Finding]]:
        """Findings by detector id."""
        return text.memo(self, self._all)

    def _all(self, text: PreparedText) -> dict[str, list[Finding]]:
        hits = self._cues.hits(text)
        if not hits:
            return {}
        found = {}
        for kind, name in KIND_NAMES.items():
            findings = self.findings(kind, name, text, hits)
            if findings:
                found[name] = findings
        return found

    def findings(
        self, kind: str, name: str, text: PreparedText, hits: Mapping[str, list[PhraseHit]] | None = None
    ) -> list[Finding]:
        """The findings of one kind, reported under ``name``."""
        if hits is None:
            hits = self._cues.hits(text)
        if not hits:
            return []
        if kind == "brand":
            return [_finding(name, "BRAND_MENTION", text, m, 0.95) for m in _spans(hits, "brand")]
        if kind == "competitor":
            return [_finding(name, "COMPETITOR_MENTION", text, m, 0.95) for m in _spans(hits, "competitor")]
        if kind == "disparagement":
            return self._disparagement(name, text, hits)
        return _confidential_findings(name, text, hits)

    def _disparagement(self, name: str, text: PreparedText, hits: Mapping[str, list[PhraseHit]]) -> list[Finding]:
        norm = text.normalised
        refs = [(m, False) for m in _spans(hits, "competitor")]
        refs += [(m, True) for m in _spans(hits, "generic")]
        findings = []
        for ref, generic in refs:
            lo, hi = max(0, ref.start() - NEAR), min(len(norm), ref.end() + NEAR)
            window = norm[lo : ref.start()] + " " + norm[ref.end() : hi]
            negative = self._negative.search(window) if self._negative else None
            comparison = _COMPARISON.search(window)
            if negative is None and comparison is None:
                continue
            signals = {"negative": negative.group() if negative else None}
            signals["comparison"] = comparison.group() if comparison else None
            score = 0.85 if negative else 0.7
            if generic:
                score -= 0.1
            findings.append(_finding(name, "COMPETITOR_DISPARAGEMENT", text, ref, score, generic=generic, **signals))
        return findings


def _confidential_findings(name: str, text: PreparedText, hits: Mapping[str, list[PhraseHit]]) -> list[Finding]:
    findings = [_finding(name, "CONFIDENTIAL", text, m, 0.9, kind="codename") for m in _spans(hits, "confidential")]
    findings += [_finding(name, "CONFIDENTIAL", text, m, 0.8, kind="marker") for m in _spans(hits, "marker")]
    norm = text.normalised
    for match in _spans(hits, "unreleased"):
        window = norm[max(0, match.start() - NEAR) : match.end() + NEAR]
        if _FIGURE.search(window):
            findings.append(_finding(name, "CONFIDENTIAL", text, match, 0.75, kind="unreleased_figure"))
    return findings


@lru_cache(maxsize=64)
def _group(config: OrgConfig, slang: bool) -> OrgTermsGroup:
    return OrgTermsGroup(config, slang)


@dataclass
class OrgTermsDetector:
    """One of the four organisation-term detectors (``kind`` picks which)."""

    name: str
    kind: str
    config: OrgConfig
    # Slang forms of the phrases come from non-commercial data (read when the detector is built).
    noncommercial: bool = field(default_factory=noncommercial_enabled)

    def __post_init__(self) -> None:
        self._group = _group(self.config, self.noncommercial)
        # The scanner calls the shared group once per text when this detector carries its usual id.
        self.group = self._group if KIND_NAMES.get(self.kind) == self.name else None

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """Findings of this detector's kind, mapped to the original text."""
        if self.group is not None:
            return list(self.group.detect_group(text, context).get(self.name, ()))
        return self._group.findings(self.kind, self.name, text)


def _factory(name: str, kind: str) -> Callable[[OrgConfig], OrgTermsDetector]:
    def build(config: OrgConfig) -> OrgTermsDetector:
        return OrgTermsDetector(name, kind, config)

    return build


SPECS: list[DetectorSpec] = [
    DetectorSpec("orgterms.brand", _factory("orgterms.brand", "brand"), ("BRAND_MENTION",)),
    DetectorSpec("orgterms.competitor", _factory("orgterms.competitor", "competitor"), ("COMPETITOR_MENTION",)),
    DetectorSpec(
        "orgterms.disparagement", _factory("orgterms.disparagement", "disparagement"), ("COMPETITOR_DISPARAGEMENT",)
    ),
    DetectorSpec("orgterms.confidential", _factory("orgterms.confidential", "confidential"), ("CONFIDENTIAL",)),
]
