"""Runs every personal-data check once per text and keeps only a person's data.

The ten ``pii.*`` detectors share one engine, so the text is scanned once however many of them a
scanner runs. Organisation contacts (role mailboxes, call centres, official accounts, office
addresses), placeholders and values on the organisation's allow-lists produce no finding.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from juru.scan.detectors.pii.numbers import Hit, find_numbers
from juru.scan.detectors.pii.textual import find_addresses, find_dates_of_birth, find_emails, find_passports
from juru.scan.findings import Finding

if TYPE_CHECKING:
    from juru.rules.config import OrgConfig
    from juru.scan.findings import ScanContext
    from juru.scan.text import PreparedText

_HAS_DIGIT = re.compile(r"\d")
# Substring tests (fast C scans) decide which of the slower word-based checks run at all.
_ADDRESS_HINTS = ("jl", "gg", "gang", "jalan", "perum", "komp", "dusun", "dsn", "kampung", "kp", "cluster")
# What may not come right before a street word (``STREET`` looks behind for ``[a-z\-]``).
_WORD_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz-")
_DOB_HINTS = ("lahir", "ttl", "dob", "d.o.b", "birth", "born", "ulang tahun", "ultah", "lhr")


def _street_word(low: str) -> bool:
    """True when a street word may start somewhere: a hint not preceded by a letter or "-" (``STREET``'s rule).

    "gg" inside "tanggal" or "gang" inside "gangguan" cannot start an address, so the regex does not run for them.
    """
    for hint in _ADDRESS_HINTS:
        index = low.find(hint)
        while index != -1:
            if index == 0 or low[index - 1] not in _WORD_BEFORE:
                return True
            index = low.find(hint, index + 1)
    return False


def _phone_key(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


class PiiEngine:
    """Finds personal data in a text; results for the last text are kept for the sibling detectors."""

    def __init__(self, config: OrgConfig | None = None) -> None:
        phones = config.allowed_phones if config else ()
        emails = config.allowed_emails if config else ()
        self.allowed_phones = frozenset(_phone_key(p) for p in phones if p.strip())
        self.allowed_emails = frozenset(e.strip().lower() for e in emails if e.strip())
        self._last: tuple[str, tuple[Finding, ...]] | None = None
        self._lock = threading.Lock()

    def findings(self, text: str) -> tuple[Finding, ...]:
        """Findings for ``text`` (memoised for the most recent text)."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        result = tuple(self._scan(text))
        with self._lock:
            self._last = (text, result)
        return result

    def detect_group(self, text: PreparedText, context: ScanContext) -> Mapping[str, list[Finding]]:
        """The findings of every ``pii.*`` detector by detector id (``DetectorGroup``), kept on the text."""
        return text.memo(self, self._by_detector)

    def _by_detector(self, text: PreparedText) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings(text.original):
            grouped.setdefault(finding.detector, []).append(finding)
        return grouped

    def _scan(self, text: str) -> Iterable[Finding]:
        if not text:
            return []
        low = text.lower()
        hits: list[Hit] = []
        if _HAS_DIGIT.search(text):
            hits.extend(find_numbers(text, low))
            if _street_word(low):
                hits.extend(find_addresses(text, low))
            if any(hint in low for hint in _DOB_HINTS):
                hits.extend(find_dates_of_birth(text, low))
            hits.extend(find_passports(text, low))
        hits.extend(find_emails(text, low))
        return [self._finding(h) for h in _resolve(hits) if self._personal(h)]

    def _personal(self, hit: Hit) -> bool:
        if hit.explanation.get("owner", "person") != "person":
            return False
        if hit.entity == "PHONE" and hit.value in self.allowed_phones:
            return False
        return not (hit.entity == "EMAIL" and hit.value in self.allowed_emails)

    @staticmethod
    def _finding(hit: Hit) -> Finding:
        return Finding(hit.detector, hit.entity, hit.start, hit.end, hit.score, hit.explanation)


def _resolve(hits: list[Hit]) -> list[Hit]:
    """Drop a hit that overlaps a longer (or equally long, higher-scoring) one; keep reading order."""
    if len(hits) < 2:
        return hits
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    address: Hit | None = None  # identifiers inside an address span (a phone after the postcode) still count
    for hit in hits:
        if hit.entity == "ADDRESS":
            if address is not None and hit.start < address.end:
                continue
            address = hit
        elif kept and hit.start < kept[-1].end and kept[-1].entity != "ADDRESS":
            last = kept[-1]
            if (hit.end - hit.start, hit.score) <= (last.end - last.start, last.score):
                continue
            kept.pop()
        elif hit.entity == "DATE_OF_BIRTH" and address is not None and hit.start < address.end:
            continue
        kept.append(hit)
    return kept
