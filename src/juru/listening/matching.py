"""Which listening queries a mention matches: whole words and phrases, case- and accent-insensitive.

Kept free of Django so it can be tested (and reused) on plain strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case without accents, spaces collapsed (so "Café" matches "cafe")."""
    if text.isascii():  # nothing to decompose: most texts, and the per-character pass is most of the cost
        return _SPACE.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", plain).strip()


def parse_terms(value: str) -> list[str]:
    """One term per line (surrounding quotes and blank lines ignored), folded, without duplicates."""
    seen: dict[str, None] = {}
    for line in value.splitlines():
        term = fold(line.strip().strip("\"'“”"))
        if term:
            seen.setdefault(term)
    return list(seen)


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = sorted((re.escape(term) for term in terms), key=len, reverse=True)
    if not alternatives:
        return None
    # A term stands alone: not inside a longer word ("rasa" must not match "perasaan").
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


@dataclass(frozen=True, slots=True)
class Matcher:
    """A compiled query: matches any term, unless an exclusion appears, in the query's language."""

    key: str
    include: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    language: str = "any"

    @classmethod
    def build(cls, key: str, terms: str, exclusions: str = "", language: str = "any") -> Matcher:
        return cls(key, _pattern(parse_terms(terms)), _pattern(parse_terms(exclusions)), language)

    def matches(self, folded_text: str, lang: str) -> bool:
        """True for a text (already ``fold``-ed) in language ``lang`` ("id", "en" or "mixed")."""
        if self.language != "any" and lang not in (self.language, "mixed"):
            return False
        if self.include is None or not self.include.search(folded_text):
            return False
        return not (self.exclude is not None and self.exclude.search(folded_text))


def matching(matchers: Iterable[Matcher], text: str, lang: str) -> list[str]:
    """Keys of the matchers that match ``text``."""
    folded = fold(text)
    return [m.key for m in matchers if m.matches(folded, lang)]
