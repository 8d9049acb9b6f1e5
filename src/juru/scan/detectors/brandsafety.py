"""Brand-safety detectors: sensitive topics, contempt, legal threats, drafts, market-moving talk, rivals.

Each detector finds one kind of risk; rules in the packs decide by account type, channel and
crisis state. The vocabulary is data (``juru/scan/data/brandsafety.yaml``), matched in one
Aho-Corasick pass per text shared by all detectors here (plus one for the common qualifying words,
only when a text needs them). Words alone rarely decide: a tragedy
counts as a tie-in only next to a sales cue that is not paused, a group only next to a
stereotype, religion or ethnicity only next to an office or contempt, a comparison only when it
names another brand and runs it down. Hashtags and mentions are split into words
(``#PrabowoGibran2024``), so campaign tags are seen too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from juru.rules import yamlfile
from juru.rules.config import OrgConfig
from juru.scan.findings import Finding, ScanContext
from juru.scan.lexicon import PhraseHit, PhraseSet, term_key
from juru.scan.licensing import noncommercial_enabled
from juru.scan.registry import DetectorSpec
from juru.scan.text import PreparedText

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "brandsafety.yaml"
# Lists of common words that only qualify another list's hit (a sales cue next to a tragedy, an office
# next to a religion): searched only once a text has the hit they qualify.
QUALIFIERS = frozenset({"promo", "promo_paused", "endorse", "office", "gender", "forward"})
NEAR = 80  # characters between two cues that make one statement (about a dozen words)
PAUSE_NEAR = 40  # a "paused"/"closed" word this close cancels a sales cue

# Every detector of the group and the entity it emits.
DETECTORS: dict[str, str] = {
    "brand.tragedy": "TRAGEDY",
    "brand.tragedy_tiein": "TRAGEDY_PROMOTION",
    "brand.political": "POLITICAL",
    "brand.sara": "SARA_SENSITIVE",
    "brand.stereotype": "STEREOTYPE",
    "brand.sexual": "SEXUAL_CONTENT",
    "brand.violence": "VIOLENCE",
    "brand.contempt": "CONTEMPT",
    "brand.legal_threat": "LEGAL_THREAT",
    "brand.market": "MARKET_MOVING",
    "brand.rival": "COMPETITOR_DISPARAGEMENT",
    "brand.grawlix": "PROFANITY",
    "brand.draft": "DRAFT_PLACEHOLDER",
    "brand.draft_suspect": "DRAFT_SUSPECT",
}

# "1 RT = 1 meal": engagement traded for a good cause is a sales cue next to suffering.
_ENGAGEMENT_BAIT = re.compile(r"\b\d+\s*(?:rt|retweets?|likes?|shares?|follows?|komen|comments?)\s*=", re.IGNORECASE)
# An amount: a percentage, a currency figure or a figure in thousands, millions or more.
_AMOUNT = re.compile(
    r"(?:rp\.?|\$|usd|idr|€|£)\s?\d|\d[\d.,]*\s?(?:%|persen|percent|k|rb|ribu|jt|juta|m|mn|miliar|milyar|bn|t|triliun"
    r"|million|billion|trillion)(?!\w)"
)
_EXASPERATED = re.compile(r"\?[?!.]*\?")
_PERCENT = re.compile(r"\d\s?%")
_PERCENT_OFF = re.compile(r"%\s?(?:off|disc)")
_TAG = re.compile(r"[#@]([\w-]{3,})")
_TAG_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_CAMPAIGN_TAG = re.compile(r"\d|nomor|kami|pilih|dukung|menang", re.IGNORECASE)
# Placeholders a template or brief leaves behind, each with a character it cannot match without (so
# most texts skip the regex). Stars count only standing alone ("f***" is masked profanity); brackets
# only around a field name ("[NAMA]", "[insert link]", "[FIRST_NAME]"), not labels like "[INFO]".
_PLACEHOLDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("***", re.compile(r"(?<![\w*])\*{3,}(?![\w*])")),
    ("{", re.compile(r"\{\{[^{}\n]{0,60}\}\}|\{[a-z_]{2,20}\}")),
    (
        "[",
        re.compile(
            r"\[\s*(?:insert|add|link|url|nama|name|username|email|phone|nomor|harga|price|date|tanggal|kota|city|produk"
            r"|product|kode|code|hashtag|handle|brand|merek|client|klien|tbd|tba|todo|xx+|copy|caption|placeholder|image"
            r"|foto|gambar|tautan)\b[^\]\n]{0,40}\]|\[[A-Z]+_[A-Z_]+\]",
            re.IGNORECASE,
        ),
    ),
    ("<<", re.compile(r"<<[^<>\n]{1,40}>>")),
    ("(", re.compile(r"\((?:insert|add link|link here|tbd|todo|nama|caption)\b[^)\n]{0,40}\)", re.IGNORECASE)),
    ("$", re.compile(r"\$\{[A-Za-z_]{2,30}\}|\$[A-Z]+_[A-Z_]+")),  # ${name}, $FIRST_NAME; not cashtags like $AAPL
    ("%(", re.compile(r"%\([a-z_]+\)s")),
)
# Keyboard mash: six different consonants in a row ("pssngrs" is a shorthand, "xzqvbn" is not), or
# letters broken up by two or more semicolons or backslashes ("k;;jhgfds").
_MASH = re.compile(r"[bcdfghjklmnpqrstvwxz]{6,}|[a-z]*[;\\][a-z]*[;\\][a-z;\\]*", re.IGNORECASE)
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{6}")
# ``_CONSONANT_RUN``'s letters as "c", every other byte as ".".
_CONSONANT_CLASSES = bytes(ord("c") if chr(i) in "bcdfghjklmnpqrstvwxz" else ord(".") for i in range(256))
_TOKEN = re.compile(r"\S+")
# A sentence that starts as a concession and never reaches its main clause or a full stop ("because" and
# "karena" are left out: taglines and replies start with them).
_FRAGMENT = re.compile(
    r"^\s*(?:despite|although|though|whereas|meskipun|walaupun|padahal)\b[^,.!?;:]*$",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(
    r"(?<!\w)(?:@\w+|saudara|saudari|anda|kamu|kau|lu|lo|elu|you|your|bapak|ibu|pak|bu)(?!\w)", re.IGNORECASE
)
# A comparison that names another brand: a capitalised name or an @account right after the comparing word.
_RIVAL = re.compile(
    r"(?i:\b(?:dari|daripada|dibanding(?:kan)?|ketimbang|than|unlike|versus|vs\.?|compared\s+(?:to|with)))"
    r"\s+(@\w+|[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,2})"
)
_GRAWLIX = re.compile(r"(?<![\w*])[A-Za-z][*!#$%@&]{3,}'?(?![\w*])")
_GRAWLIX_SIGNS = frozenset("*#$%@&")
# The signs of a grawlix as "*", every other byte as ".".
_SIGN_CLASSES = bytes(ord("*") if chr(i) in "*!#$%@&" else ord(".") for i in range(256))


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, tuple[str, ...]]:
    """The named phrase lists of the data file."""
    data = yamlfile.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    lists = data["lists"]
    return {name: tuple(str(term) for term in terms) for name, terms in lists.items()}


@lru_cache(maxsize=64)
def _cues(political_terms: tuple[str, ...], slang: bool) -> tuple[PhraseSet, PhraseSet]:
    """Two phrase sets: the lists every text is searched for, and the qualifiers searched only when needed."""
    lists = dict(vocabulary())
    lists["political"] = lists["political"] + political_terms
    anchors = {name: terms for name, terms in lists.items() if name not in QUALIFIERS}
    qualifiers = {name: terms for name, terms in lists.items() if name in QUALIFIERS}
    return PhraseSet(anchors, slang=slang), PhraseSet(qualifiers, slang=slang)


class Cues:
    """The phrase hits of one text; the qualifier lists (common words) are searched on first use only."""

    def __init__(self, text: PreparedText, anchors: PhraseSet, qualifiers: PhraseSet) -> None:
        self._text = text
        self._anchors = anchors.hits(text)
        self._qualifier_set = qualifiers
        self._qualifiers: Mapping[str, list[PhraseHit]] | None = None

    def has_any(self, names: tuple[str, ...]) -> bool:
        """True if any of the (non-qualifier) lists ``names`` has a hit."""
        return bool(self._anchors) and not self._anchors.keys().isdisjoint(names)

    def get(self, name: str, default: Sequence[PhraseHit] = ()) -> Sequence[PhraseHit]:
        """The hits of list ``name`` (``default`` when it has none)."""
        if name in QUALIFIERS:
            if self._qualifiers is None:
                self._qualifiers = self._qualifier_set.hits(self._text)
            return self._qualifiers.get(name, default)
        return self._anchors.get(name, default)


@lru_cache(maxsize=64)
def _political_words(political_terms: tuple[str, ...]) -> frozenset[str]:
    """Political names as hashtag parts compare: normalised, spaces removed."""
    terms = vocabulary()["political"] + political_terms
    return frozenset(term_key(t).replace(" ", "") for t in terms)


def _near(hit: PhraseHit, others: Sequence[PhraseHit], distance: int = NEAR) -> PhraseHit | None:
    for other in others:
        if other.start() - hit.end() <= distance and hit.start() - other.end() <= distance:
            return other
    return None


class BrandSafetyGroup:
    """Every brand-safety detector's findings from one phrase pass (``DetectorGroup``), kept on the text."""

    def __init__(self, political_terms: tuple[str, ...], slang: bool) -> None:
        self._anchors, self._qualifiers = _cues(political_terms, slang)
        # Searched in the scanner's shared pass; the qualifiers only when a text needs them.
        self.word_lists = (self._anchors,)
        self._political = _political_words(political_terms)

    def detect_group(self, text: PreparedText, context: ScanContext) -> Mapping[str, list[Finding]]:
        """Findings by detector id."""
        return text.memo(self, self._all)

    def _all(self, text: PreparedText) -> dict[str, list[Finding]]:
        hits = Cues(text, self._anchors, self._qualifiers)
        found: dict[str, list[Finding]] = {}
        for name, finder in _FINDERS.items():
            needs = _NEEDS.get(name)
            if needs is not None and not hits.has_any(needs):
                continue
            findings = finder(self, text, hits)
            if findings:
                found[name] = findings
        return found

    def findings(self, name: str, text: PreparedText) -> list[Finding]:
        """The findings of one detector (as ``detect_group`` gives them)."""
        return list(self.detect_group(text, ScanContext()).get(name, ()))

    def tags(self, text: PreparedText) -> list[tuple[int, int, str, bool]]:
        """Political names inside hashtags and mentions: (start, end, tag, looks like a campaign tag)."""
        original = text.original
        if "#" not in original and "@" not in original:
            return []
        found = []
        for match in _TAG.finditer(original):
            tag = match.group(1)
            parts = [p.lower() for p in _TAG_PART.findall(tag)]
            words = set(parts) | {a + b for a, b in zip(parts, parts[1:])} | {tag.lower().replace("_", "")}
            if words & self._political:
                found.append((match.start(), match.end(), match.group(), bool(_CAMPAIGN_TAG.search(tag))))
        return found


def _finding(name: str, text: PreparedText, hit: PhraseHit, score: float, **explanation: Any) -> Finding:
    start, end = text.to_original(hit.start(), hit.end())
    return Finding(name, DETECTORS[name], start, end, score, {"term": hit.group(), **explanation})


def _each(name: str, group: str, score: float) -> Callable[[BrandSafetyGroup, PreparedText, Any], list[Finding]]:
    """A finder that reports every hit of one list."""

    def find(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
        return [_finding(name, text, hit, score) for hit in hits.get(group, ())]

    return find


def _tiein(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    tragedy = hits.get("tragedy")
    if not tragedy:
        return []
    paused = hits.get("promo_paused")
    sales = [h for h in hits.get("promo", ()) if _near(h, paused, PAUSE_NEAR) is None]
    bait = _ENGAGEMENT_BAIT.search(text.normalised) or ("%" in text.original and _PERCENT.search(text.normalised))
    if not sales and not bait:
        return []
    cue = sales[0].group() if sales else bait.group() if bait else ""
    return [_finding("brand.tragedy_tiein", text, tragedy[0], 0.9, sales_cue=cue)]


def _political(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    findings = []
    political = hits.get("political")
    endorse = hits.get("endorse") if political else ()
    for hit in political:
        backing = _near(hit, endorse)
        score = 0.95 if backing else 0.8
        findings.append(_finding("brand.political", text, hit, score, endorsement=backing.group() if backing else None))
    for hit in hits.get("political_issue", ()):
        findings.append(_finding("brand.political", text, hit, 0.8, issue=True))
    for start, end, tag, campaign in self.tags(text):
        explanation = {"term": tag, "campaign_tag": campaign}
        findings.append(Finding("brand.political", "POLITICAL", start, end, 0.95 if campaign else 0.8, explanation))
    return findings


def _sara(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    if not hits.get("religion") and not hits.get("ethnic"):
        return []
    triggers = [*hits.get("office"), *hits.get("contempt"), *hits.get("political")]
    findings = []
    for group in ("religion", "ethnic"):
        for hit in hits.get(group, ()):
            other = _near(hit, triggers)
            if other is not None:
                findings.append(_finding("brand.sara", text, hit, 0.85, group=group, with_term=other.group()))
    return findings


def _stereotype(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    cues = hits.get("stereotype")
    if not cues:
        return []
    findings = []
    for group in ("gender", "ethnic", "religion"):
        for hit in hits.get(group, ()):
            cue = _near(hit, cues)
            if cue is not None:
                findings.append(_finding("brand.stereotype", text, hit, 0.85, group=group, cue=cue.group()))
    return findings


def _contempt(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    findings = [_finding("brand.contempt", text, hit, 0.8) for hit in hits.get("contempt")]
    original = text.original
    if original.count("?") >= 4:
        marks = list(_EXASPERATED.finditer(original))
        if len(marks) >= 2:  # "kan.?? ... ??": a reply that argues with the reader, not one that helps
            start, end = marks[0].start(), marks[-1].end()
            findings.append(Finding("brand.contempt", "CONTEMPT", start, end, 0.7, {"kind": "exasperated"}))
    return findings


def _legal(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    threats = hits.get("legal_threat")
    if not threats or not _SECOND_PERSON.search(text.original):
        return []  # the law explained to everyone is not a threat to someone
    return [_finding("brand.legal_threat", text, hit, 0.85) for hit in threats]


def _market(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    findings = [_finding("brand.market", text, hit, 0.8, kind="event") for hit in hits.get("market", ())]
    finance = hits.get("finance")
    forward = hits.get("forward") if finance and _AMOUNT.search(text.normalised) else ()
    if forward:
        norm = text.normalised
        promo = hits.get("promo")
        for hit in finance:
            ahead = _near(hit, forward, NEAR)
            window = norm[max(0, hit.start() - NEAR) : hit.end() + NEAR]
            if ahead is None or _near(hit, promo) is not None or _PERCENT_OFF.search(window):
                continue  # "sales start tomorrow, 30% off" is a shop talking, not results
            if _AMOUNT.search(window):
                findings.append(
                    _finding("brand.market", text, hit, 0.75, kind="forward_figure", with_term=ahead.group())
                )
    return findings


def _rival(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    negative = hits.get("negative_quality")
    if not negative:
        return []
    original = text.original
    findings = []
    for match in _RIVAL.finditer(original):
        start, end = match.span(1)
        word = next((h for h in negative if abs(text.to_original(h.start(), h.end())[0] - start) <= NEAR), None)
        if word is not None:
            explanation = {"term": match.group(1), "comparison": match.group(0), "negative": word.group()}
            findings.append(Finding("brand.rival", "COMPETITOR_DISPARAGEMENT", start, end, 0.75, explanation))
    return findings


def _grawlix(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    original = text.original
    # Three signs in a row, as a byte search: UTF-8 never puts ASCII bytes inside another character.
    if b"***" not in original.encode("utf-8", "surrogatepass").translate(_SIGN_CLASSES):
        return []
    found = []
    for match in _GRAWLIX.finditer(original):
        signs = set(match.group()[1:]) & _GRAWLIX_SIGNS
        if signs and len(set(match.group()[1:])) >= 2:
            found.append(Finding("brand.grawlix", "PROFANITY", *match.span(), 0.8, {"term": match.group()}))
    return found


def _draft(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    original = text.original
    findings = [
        Finding("brand.draft", "DRAFT_PLACEHOLDER", *m.span(), 0.95, {"term": m.group(), "kind": "placeholder"})
        for needed, pattern in _PLACEHOLDERS
        if needed in original
        for m in pattern.finditer(original)
    ]
    findings += [_finding("brand.draft", text, hit, 0.9, kind="note") for hit in hits.get("draft_note", ())]
    return _outermost(findings)


def _outermost(findings: list[Finding]) -> list[Finding]:
    """The findings not inside another one ("[INSERT LINK]" is one placeholder, not two)."""
    kept: list[Finding] = []
    reach = -1
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.end <= reach:
            continue
        kept.append(finding)
        reach = finding.end
    return kept


def _typed_by_accident(token: str) -> bool:
    """A word that looks like keyboard mash: not a handle, tag, link, code or acronym, and not one letter held down."""
    if token[:1] in "#@" or "/" in token or "&" in token or "." in token.strip(".") or token.isupper():
        return False
    if any(c.isdigit() for c in token):
        return False
    return any(
        len(set(run.lower()) - {";", "\\"}) >= 6 or run.count(";") + run.count("\\") >= 2
        for run in _MASH.findall(token)
    )


def _might_be_mash(text: PreparedText) -> bool:
    """A cheap test before the token scan: a long consonant run anywhere, or letters split by ; or \\."""
    if ";" in text.original or "\\" in text.original:
        return True
    norm = text.normalised
    if norm.isascii():  # the same test as a substring search over consonant classes
        return b"cccccc" in norm.encode("ascii").translate(_CONSONANT_CLASSES)
    return _CONSONANT_RUN.search(norm) is not None


def _draft_suspect(self: BrandSafetyGroup, text: PreparedText, hits: Cues) -> list[Finding]:
    original = text.original
    findings = []
    if _might_be_mash(text):
        for token in _TOKEN.finditer(original):
            if _typed_by_accident(token.group()):
                explanation = {"term": token.group(), "kind": "keyboard"}
                findings.append(Finding("brand.draft_suspect", "DRAFT_SUSPECT", *token.span(), 0.7, explanation))
    findings += [_finding("brand.draft_suspect", text, hit, 0.7, kind="marker") for hit in hits.get("draft_maybe")]
    if len(original) < 120 and _FRAGMENT.match(original):
        findings.append(Finding("brand.draft_suspect", "DRAFT_SUSPECT", 0, len(original), 0.7, {"kind": "fragment"}))
    return findings


_FINDERS: dict[str, Callable[[BrandSafetyGroup, PreparedText, Cues], list[Finding]]] = {
    "brand.tragedy": _each("brand.tragedy", "tragedy", 0.7),
    "brand.tragedy_tiein": _tiein,
    "brand.political": _political,
    "brand.sara": _sara,
    "brand.stereotype": _stereotype,
    "brand.sexual": _each("brand.sexual", "sexual", 0.85),
    "brand.violence": _each("brand.violence", "violence", 0.85),
    "brand.contempt": _contempt,
    "brand.legal_threat": _legal,
    "brand.market": _market,
    "brand.rival": _rival,
    "brand.grawlix": _grawlix,
    "brand.draft": _draft,
    "brand.draft_suspect": _draft_suspect,
}


# The lists a finder cannot fire without (finders not listed also read patterns in the text itself).
_NEEDS: dict[str, tuple[str, ...]] = {
    "brand.tragedy": ("tragedy",),
    "brand.tragedy_tiein": ("tragedy",),
    "brand.sara": ("religion", "ethnic"),
    "brand.stereotype": ("stereotype",),
    "brand.sexual": ("sexual",),
    "brand.violence": ("violence",),
    "brand.legal_threat": ("legal_threat",),
    "brand.market": ("market", "finance"),
    "brand.rival": ("negative_quality",),
}


@lru_cache(maxsize=64)
def _group(political_terms: tuple[str, ...], slang: bool) -> BrandSafetyGroup:
    return BrandSafetyGroup(political_terms, slang)


@dataclass
class BrandSafetyDetector:
    """One of the brand-safety detectors (its ``group`` finds those of all of them in one pass)."""

    name: str
    config: OrgConfig
    # Slang forms of the phrases come from non-commercial data (read when the detector is built).
    noncommercial: bool = field(default_factory=noncommercial_enabled)

    def __post_init__(self) -> None:
        self.group = _group(tuple(self.config.political_terms), self.noncommercial)

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """This detector's findings, mapped to the original text."""
        return self.group.findings(self.name, text)


def _factory(name: str) -> Callable[[OrgConfig], BrandSafetyDetector]:
    def build(config: OrgConfig) -> BrandSafetyDetector:
        return BrandSafetyDetector(name, config)

    return build


SPECS: list[DetectorSpec] = [DetectorSpec(name, _factory(name), (entity,)) for name, entity in DETECTORS.items()]
