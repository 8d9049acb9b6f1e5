"""A text prepared once per scan and shared by every detector.

Identifier detectors read ``original``; lexicon and classifier detectors read ``normalised``
and map their spans back with ``to_original`` so highlights land on what the author typed.
Work that several detectors need (the word list, one Aho-Corasick pass) is done once per text
and kept in ``cache``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
_MISSING = object()

# A non-ASCII character that regex ``\w`` treats as a word character (letters, digits, marks...).
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")


def ascii_proxy(text: str) -> str | None:
    """An ASCII stand-in for ``text`` with the same length and the same word structure, or None.

    Every non-ASCII character becomes ``?``. That is only done when none of them is a word
    character (emoji, dashes, symbols), so any pattern over ASCII letters, digits, ``_``,
    whitespace and ASCII punctuation other than ``?`` finds exactly the same spans in the proxy
    as in ``text``; C-speed string methods can then replace slow Unicode regex scans.
    """
    if text.isascii():
        return text
    if _NON_ASCII_WORD.search(text):
        return None
    return text.encode("ascii", "replace").decode("ascii")


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """``text`` with each lone surrogate (invalid Unicode, e.g. JSON ``"\\ud800"``) replaced by U+FFFD.

    One character for one, so every offset into the result is also an offset into ``text``.
    """
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub("\ufffd", text)


@dataclass(frozen=True, slots=True)
class PreparedText:
    """The original text, its normalised copy, and the map between their offsets.

    ``offsets[i]`` is the index in ``original`` of the character that produced
    ``normalised[i]``; it has one extra trailing entry equal to ``len(original)`` so an
    exclusive end offset maps too. When normalisation kept every character in place it is a
    ``range`` (no per-character list is built).
    """

    original: str
    normalised: str
    offsets: Sequence[int]
    lang: str
    cache: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``normalised`` back to ``original``."""
        return span_to_original(self.offsets, start, end, len(self.original))

    def memo(self, key: Any, compute: Callable[[PreparedText], T]) -> T:
        """``compute(self)``, computed once per text for ``key`` (work shared between detectors)."""
        # A look-up, not try/except: the first call for each key is the common case, and raising costs more.
        value = self.cache.get(key, _MISSING)
        if value is _MISSING:
            value = self.cache[key] = compute(self)
        return value  # type: ignore[no-any-return]

    def unmapped(self) -> tuple[str, Sequence[int]] | None:
        """The normalised copy before slang mapping and its offsets, when the mapping changed anything."""
        return self.cache.get(UNMAPPED_KEY)

    def words(self) -> list[str]:
        """The words of the lowercased original (letters, with one inner apostrophe: ``don't``)."""
        words = self.cache.get(WORDS_KEY)
        if words is None:
            words = self.cache[WORDS_KEY] = lower_words(self.original.lower())
        return words  # type: ignore[no-any-return]


def span_to_original(offsets: Sequence[int], start: int, end: int, size: int) -> tuple[int, int]:
    """Map a ``[start, end)`` span of a normalised copy to the original (``size`` characters) via its ``offsets``."""
    if end <= start:
        pos = offsets[start]
        return pos, pos
    first = offsets[start]
    last = offsets[end - 1]
    # The last normalised char may come from a multi-char original run (e.g. "aaa" -> "a");
    # extend to the start of the next produced char so the whole run is covered.
    nxt = offsets[end] if end < len(offsets) else size
    return first, max(last + 1, nxt if nxt > last else last + 1)


WORDS_KEY = "words"
UNMAPPED_KEY = "unmapped"
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# ASCII letters and the apostrophe stay, everything else splits words.


def ascii_table(mapping: Callable[[str], str]) -> bytes:
    """A ``bytes.translate`` table applying ``mapping`` (one character to one) to every ASCII character."""
    return bytes(ord(mapping(chr(i))) if i < 128 else i for i in range(256))


def translate_ascii(text: str, table: bytes) -> str:
    """``text`` (ASCII only, e.g. an ``ascii_proxy``) through ``table``: several times faster than ``str.translate``."""
    return text.encode("ascii").translate(table).decode("ascii")


_LETTERS_APOSTROPHE = ascii_table(lambda c: c if c.isalpha() or c == "'" else " ")


def lower_words(lowered: str) -> list[str]:
    """``[^\\W\\d_]+(?:'[^\\W\\d_]+)?`` matches of ``lowered``, via string methods when possible."""
    proxy = ascii_proxy(lowered)
    if proxy is None:
        return _WORD.findall(lowered)
    tokens = translate_ascii(proxy, _LETTERS_APOSTROPHE).split()
    if "'" not in proxy:
        return tokens
    words: list[str] = []
    for token in tokens:
        if "'" in token:
            words.extend(_WORD.findall(token))
        else:
            words.append(token)
    return words
