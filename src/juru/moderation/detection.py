"""What in one incoming comment can count as a strike: spam signals from the scanner, abuse and hate labels.

Detectors find, this module decides (as the rule packs do for outgoing text):

- **spam**: online-gambling promotion (the scanner's ``lexicon.gambling``) on its own; a link
  together with a sales pitch (``disclosure.promotional``); or repetition, the same link's site or
  the same text from the same author for the third time within the policy's window.
- **abuse** and **hate**: the labels the classifiers gave the mention when it was stored, only
  when they are confident (``LABEL_CONFIDENCE``) and the text has words to judge: the classifiers
  guess on emoji-only comments, and a wrong strike silences a customer.

Negative sentiment is never a signal: a complaint, however angry, is routed to people, not hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from juru.scan.findings import ScanContext
from juru.scan.limits import MAX_TEXT_CHARS
from juru.scan.registry import DetectorRegistry, default_registry
from juru.scan.scanner import Scanner

# A web address: with a scheme, "www.", or a bare domain followed by a path (bit.ly/abc).
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,12}/[^\s<>\"'()]*",
    re.IGNORECASE,
)
REPEATS_FOR_SPAM = 2  # earlier copies needed: the third identical link site or text is spam
FINGERPRINT_CHARS = 1000
SPAM_ENTITIES = {"GAMBLING": "gambling", "PROMOTIONAL": "promotion"}
LABEL_CONFIDENCE = 0.8  # a classifier's score from which its abusive or hate label counts as a strike
MIN_LETTERS = 3  # fewer letters than this (emoji, "!!!") and the classifiers' labels are not trusted


@dataclass(frozen=True, slots=True)
class TextSignals:
    """Spam cues found in one text (the quoted words, for the evidence)."""

    links: tuple[str, ...] = ()
    gambling: tuple[str, ...] = ()
    promotion: tuple[str, ...] = ()

    @property
    def sites(self) -> tuple[str, ...]:
        """The links' sites (host without "www."), what repetition is counted on."""
        return tuple(sorted({site_of(link) for link in self.links}))


@dataclass(frozen=True, slots=True)
class Verdict:
    """The strike kinds one comment earned, and the evidence for each (empty: no strike)."""

    kinds: tuple[str, ...] = ()
    evidence: tuple[dict[str, str], ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.kinds)


@lru_cache(maxsize=1)
def _scanner() -> Scanner:
    # Only the detectors of the spam entities: the classifiers already labelled the mention when it
    # was stored, and the other detectors (personal data, claims...) would find nothing used here.
    registry = DetectorRegistry()
    for spec in default_registry().specs():
        if set(spec.entities) & SPAM_ENTITIES.keys():
            registry.register(spec)
    return Scanner(classifiers=False, registry=registry)


def site_of(link: str) -> str:
    """``https://www.Gacor88.example/daftar`` -> ``gacor88.example``."""
    address = link if "://" in link else f"http://{link}"
    host = (urlsplit(address).hostname or "").lower()
    return host.removeprefix("www.")


def fingerprint(text: str) -> str:
    """The text as repetition is judged: case and spacing ignored, the first 1,000 characters."""
    return " ".join(text.lower().split())[:FINGERPRINT_CHARS]


def links_in(text: str) -> tuple[str, ...]:
    """The web addresses in ``text``, in order, each once."""
    if "/" not in text and "www." not in text.lower():
        return ()  # every ``LINK`` has one of these: most comments skip the pattern's slow search
    return tuple(dict.fromkeys(match.group().rstrip(".,!?") for match in LINK.finditer(text)))


def sites_in(text: str) -> tuple[str, ...]:
    """The sites ``text`` links to (what repetition is counted on), without running the scanner."""
    return tuple(sorted({site_of(link) for link in links_in(text)}))


def text_signals(text: str, lang: str | None = None) -> TextSignals:
    """Links, gambling and sales cues in ``text`` (a text beyond the scanner's limit is read up to it).

    ``lang`` is the text's language when known already (else the scanner detects it).
    """
    text = text[:MAX_TEXT_CHARS]
    found: dict[str, list[str]] = {"gambling": [], "promotion": []}
    for finding in _scanner().scan(text, ScanContext(lang=lang)).findings:
        signal = SPAM_ENTITIES.get(finding.entity)
        if signal is not None:
            found[signal].append(text[finding.start : finding.end])
    return TextSignals(links=links_in(text), gambling=tuple(found["gambling"]), promotion=tuple(found["promotion"]))


def confident(label: bool, score: float, text: str) -> bool:
    """Whether a classifier's label on ``text`` is sure enough to strike."""
    return label and score >= LABEL_CONFIDENCE and sum(ch.isalpha() for ch in text[:200]) >= MIN_LETTERS


def judge(
    signals: TextSignals,
    *,
    abusive: bool = False,
    hate: bool = False,
    earlier_texts: int = 0,
    earlier_sites: Iterable[int] = (),
) -> Verdict:
    """The strike kinds for one comment: ``abusive`` and ``hate`` are confident labels (``confident``),
    ``earlier_*`` count the author's earlier copies in the window."""
    kinds: list[str] = []
    evidence: list[dict[str, str]] = []
    spam: list[dict[str, str]] = [{"signal": "gambling", "detail": term} for term in signals.gambling[:3]]
    if signals.links and signals.promotion:
        spam.append({"signal": "promoted_link", "detail": f"{signals.links[0]} · {signals.promotion[0]}"})
    if max(earlier_sites, default=0) >= REPEATS_FOR_SPAM:
        spam.append({"signal": "repeated_link", "detail": ", ".join(signals.sites)})
    if earlier_texts >= REPEATS_FOR_SPAM:
        spam.append({"signal": "repeated_text", "detail": str(earlier_texts + 1)})
    if spam:
        kinds.append("spam")
        if signals.links and not any(item["signal"] == "promoted_link" for item in spam):
            spam.append({"signal": "link", "detail": signals.links[0]})
        evidence += spam
    if abusive:
        kinds.append("abuse")
        evidence.append({"signal": "abusive", "detail": ""})
    if hate:
        kinds.append("hate")
        evidence.append({"signal": "hate", "detail": ""})
    return Verdict(tuple(kinds), tuple(evidence))
