"""Disclosure, disclaimer and promotion cues; rules combine them with the account type.

- ``disclosure.tag``: a paid-promotion disclosure (#iklan, #ad, #sponsored, "paid partnership",
  plus the organisation's ``disclosure_tags``) is present (EPI endorser amendment; 16 CFR 255.5).
- ``disclosure.disclaimer``: a personal-opinion disclaimer ("pendapat pribadi", "views are my
  own", plus ``personal_disclaimers``) is present.
- ``disclosure.promotional``: the text promotes an offer (diskon, kode voucher, link di bio...),
  which on a personal account needs a disclosure.
- ``disclosure.employment``: the writer discloses working for the company ("saya karyawan",
  "#karyawan", "I work for"), the material connection an employee's share must state (EPI;
  16 CFR 255.5).
- ``disclosure.shared``: the text is an employee's share of company content (channel ``share``),
  one finding over the whole text, so rules can ask what such a share lacks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from juru.rules.config import OrgConfig
from juru.scan.findings import Finding, ScanContext
from juru.scan.lexicon import PhraseSet
from juru.scan.licensing import noncommercial_enabled
from juru.scan.registry import DetectorSpec
from juru.scan.text import PreparedText

DISCLOSURE_TAGS = (
    "#iklan", "#ad", "#ads", "#sponsored", "#sponsor", "#disponsori", "#paidpromote", "#paidpartnership",
    "#kerjasama", "#kerjasamaberbayar", "#advertisement", "#promosiberbayar", "paid partnership", "sponsored by",
    "disponsori oleh", "konten bersponsor", "iklan berbayar", "kerja sama berbayar", "promosi berbayar",
    "advertisement", "ad:",
)  # fmt: skip
DISCLAIMERS = (
    "pendapat pribadi", "opini pribadi", "pandangan pribadi", "tidak mewakili perusahaan", "tidak mewakili kantor",
    "tidak mewakili instansi", "bukan mewakili perusahaan", "views are my own", "views my own", "my views are my own",
    "opinions are my own", "opinions my own", "my own views", "my own opinion", "personal opinion",
    "do not represent my employer", "does not represent my employer", "not the views of my employer",
)  # fmt: skip
EMPLOYMENT_PHRASES = (
    "saya karyawan", "aku karyawan", "sebagai karyawan", "saya pegawai", "aku pegawai", "sebagai pegawai",
    "saya bekerja di", "saya bekerja untuk", "aku kerja di", "saya kerja di", "tempat saya bekerja",
    "tempat aku kerja", "kantor saya", "#karyawan", "#pegawai", "#employee", "#proudemployee", "#iwork",
    "i work at", "i work for", "as an employee", "my employer", "where i work", "employee of",
)  # fmt: skip
PROMO_PHRASES = (
    "diskon", "promo", "kode voucher", "kode promo", "kode diskon", "voucher", "cashback", "beli sekarang",
    "pesan sekarang", "order sekarang", "checkout sekarang", "buruan", "link di bio", "cek link di bio", "flash sale",
    "gratis ongkir", "potongan harga", "harga spesial", "harga promo", "beli 1 gratis 1", "buy 1 get 1",
    "klik link", "swipe up", "giveaway", "kode referral", "pakai kodeku", "pakai kode", "use my code", "use code",
    "promo code", "discount code", "link in bio", "shop now", "buy now", "order now", "limited offer",
    "limited time offer", "affiliate link", "get yours", "sale ends", "free shipping",
)  # fmt: skip
_PERCENT_OFF = re.compile(
    r"\d{1,2}\s?%\s?(?:off|disc|discount)\b|\b(?:diskon|disc|off|hemat|potongan)\s+(?:s/?d\s+)?\d"
)
# Each alternative of _PERCENT_OFF contains one of these: without them the regex cannot match.
_PERCENT_OFF_NEEDS = ("%", "diskon", "disc", "off", "hemat", "potongan")
_KIND_GROUP = {"tag": "tag", "disclaimer": "disclaimer", "employment": "employment", "promotional": "promo"}


def _percent_off_start(norm: str) -> int | None:
    """Where ``_PERCENT_OFF`` could first match (None: nowhere), so the regex skips the text before it.

    A match starts at one of its keywords, or at most three characters (two digits and a space) before
    its ``%``; word boundaries and lookbehinds still see the characters before the start position.
    """
    first: int | None = None
    for needed in _PERCENT_OFF_NEEDS:
        index = norm.find(needed)
        if index != -1:
            if needed == "%":
                index = max(0, index - 3)
            if first is None or index < first:
                first = index
    return first


@lru_cache(maxsize=64)
def _cues(disclosure_tags: tuple[str, ...], personal_disclaimers: tuple[str, ...], slang: bool) -> PhraseSet:
    """The phrase detectors' lists, found in one pass per text (shared by them)."""
    return PhraseSet(
        {
            "tag": (*DISCLOSURE_TAGS, *disclosure_tags),
            "disclaimer": (*DISCLAIMERS, *personal_disclaimers),
            "employment": EMPLOYMENT_PHRASES,
            "promo": PROMO_PHRASES,
        },
        slang=slang,
    )


KIND_NAMES = {
    "tag": "disclosure.tag",
    "disclaimer": "disclosure.disclaimer",
    "employment": "disclosure.employment",
    "promotional": "disclosure.promotional",
}
KIND_ENTITIES = {"tag": "DISCLOSURE_PRESENT", "disclaimer": "DISCLAIMER_PRESENT", "employment": "EMPLOYMENT_DISCLOSED"}


class DisclosureGroup:
    """The phrase detectors' findings from one pass (``DetectorGroup``), kept on the text."""

    def __init__(self, disclosure_tags: tuple[str, ...], personal_disclaimers: tuple[str, ...], slang: bool) -> None:
        self._cues = _cues(disclosure_tags, personal_disclaimers, slang)
        self.word_lists = (self._cues,)  # searched in the scanner's shared pass

    def detect_group(self, text: PreparedText, context: ScanContext) -> Mapping[str, list[Finding]]:
        """Findings by detector id."""
        return text.memo(self, self._all)

    def _all(self, text: PreparedText) -> dict[str, list[Finding]]:
        found = {}
        for kind, name in KIND_NAMES.items():
            findings = self.findings(kind, name, text)
            if findings:
                found[name] = findings
        return found

    def findings(self, kind: str, name: str, text: PreparedText) -> list[Finding]:
        """The findings of one kind, reported under ``name``."""
        if kind == "promotional":
            return self._promotional(name, text)
        entity = KIND_ENTITIES[kind]
        findings = []
        for match in self._cues.hits(text).get(_KIND_GROUP.get(kind, "promo"), ()):
            start, end = text.to_original(*match.span())
            findings.append(Finding(name, entity, start, end, 0.95, {"term": match.group()}))
        return findings

    def _promotional(self, name: str, text: PreparedText) -> list[Finding]:
        norm = text.normalised
        cues = [m.span() for m in self._cues.hits(text).get("promo", ())]
        first = _percent_off_start(norm)
        if first is not None:
            cues += [m.span() for m in _PERCENT_OFF.finditer(norm, first)]
        if not cues:
            return []
        cues.sort()
        # One finding per text: its strength grows with the number of distinct cues.
        terms = sorted({norm[a:b] for a, b in cues})
        score = min(0.95, 0.6 + 0.15 * (len(terms) - 1))
        start, _ = text.to_original(*cues[0])
        _, end = text.to_original(*cues[-1])
        return [Finding(name, "PROMOTIONAL", start, end, score, {"cues": terms})]


@lru_cache(maxsize=64)
def _group(disclosure_tags: tuple[str, ...], personal_disclaimers: tuple[str, ...], slang: bool) -> DisclosureGroup:
    return DisclosureGroup(disclosure_tags, personal_disclaimers, slang)


@dataclass
class DisclosureDetector:
    """One of the disclosure detectors (``kind``: tag, disclaimer, employment, promotional)."""

    name: str
    kind: str
    config: OrgConfig
    # Slang forms of the phrases come from non-commercial data (read when the detector is built).
    noncommercial: bool = field(default_factory=noncommercial_enabled)

    def __post_init__(self) -> None:
        tags, disclaimers = tuple(self.config.disclosure_tags), tuple(self.config.personal_disclaimers)
        self._group = _group(tags, disclaimers, self.noncommercial)
        # The scanner calls the shared group once per text when this detector carries its usual id.
        self.group = self._group if KIND_NAMES.get(self.kind) == self.name else None

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """Findings of this detector's kind."""
        if self.group is not None:
            return list(self.group.detect_group(text, context).get(self.name, ()))
        return self._group.findings(self.kind, self.name, text)


@dataclass
class SharedPostDetector:
    """Marks an employee's share of company content, so rules can require what it must say."""

    name: str = "disclosure.shared"

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """One finding over the whole text when it goes out as a share from a personal account."""
        if context.channel != "share" or context.account != "personal":
            return []
        return [Finding(self.name, "SHARED_POST", 0, len(text.original), 1.0, {})]


def _factory(name: str, kind: str) -> Callable[[OrgConfig], DisclosureDetector]:
    def build(config: OrgConfig) -> DisclosureDetector:
        return DisclosureDetector(name, kind, config)

    return build


SPECS: list[DetectorSpec] = [
    DetectorSpec("disclosure.tag", _factory("disclosure.tag", "tag"), ("DISCLOSURE_PRESENT",)),
    DetectorSpec("disclosure.disclaimer", _factory("disclosure.disclaimer", "disclaimer"), ("DISCLAIMER_PRESENT",)),
    DetectorSpec("disclosure.employment", _factory("disclosure.employment", "employment"), ("EMPLOYMENT_DISCLOSED",)),
    DetectorSpec("disclosure.promotional", _factory("disclosure.promotional", "promotional"), ("PROMOTIONAL",)),
    DetectorSpec("disclosure.shared", lambda config: SharedPostDetector(), ("SHARED_POST",)),
]
