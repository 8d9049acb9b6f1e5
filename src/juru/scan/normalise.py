"""Normalisation for lexicon and classifier matching, with a map back to the original text.

The normalised copy is lowercase NFKC text with zero-width characters and combining marks
removed, letter-spaced words joined (``a n j i n g`` -> ``anjing``), runs of three or more
identical letters squeezed to one (``bangsaaaat`` -> ``bangsat``), leetspeak undone inside
tokens that mix letters and digits (``4nj1ng`` -> ``anjing``; ``Rp50.000`` and ``10k`` stay as
they are) and, for Indonesian text, slang mapped to formal words (``gk`` -> ``tidak``) when the
non-commercial data is enabled. Every character of the copy records the index of the original
character it came from, so spans found on the copy are reported on what the author typed.

Identifier detectors (NIK, phone, card...) must read ``PreparedText.original``: this copy changes
digit runs inside words.

Speed: most posts are ASCII or carry only non-word non-ASCII characters (emoji, dashes), so each
stage first looks at an ASCII stand-in of the text (``ascii_proxy``) with string methods and
skips itself when it cannot change anything; the regexes run only where they would. The offset
map stays a ``range`` until a stage moves characters.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from juru.scan.lang import detect_language
from juru.scan.licensing import NONCOMMERCIAL_DIR, noncommercial_enabled
from juru.scan.text import (
    UNMAPPED_KEY,
    WORDS_KEY,
    PreparedText,
    ascii_proxy,
    ascii_table,
    lower_words,
    translate_ascii,
    valid_unicode,
)

# Index in the original text of each character: ``range(n)`` while nothing has moved, else a list.
Offsets = Sequence[int]

SLANG_FILE = NONCOMMERCIAL_DIR / "slang_id.tsv"

# Invisible characters used to split words past filters; variation selectors go too.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a\ufe0b\ufe0c"
    "\ufe0d\ufe0e\ufe0f\ufeff\uffa0"
)
# Typographic quotes fold to ASCII so "i’ll" and "i'll" match the same term.
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'"}
_QUOTES.update({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_LETTER_SPACED = re.compile(r"(?<!\w)[^\W\d_](?P<sep>[ .\-_])(?:[^\W\d_](?P=sep))+[^\W\d_](?!\w)")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_REPEATS_HINT = re.compile(r"(\w)\1\1")  # cheaper first check; digits are filtered by _REPEATS
# A letter next to a digit, or a symbol inside a word: the only places leetspeak can be.
_LEET_HINT = re.compile(r"[^\W\d_]\d|\d[^\W\d_]|[^\W_][@$!+]+[^\W_]")
_LEET_SYMBOLS = frozenset("@$!+")
_LEET_TABLE = str.maketrans("4@31!05$7+", "aaeiioostt")
# Numbers with a unit (10k, 50rb, 5g, 24jam, 2x, 3pm) and names with a version (iphone15) keep their digits.
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:[.,]\d+)*(?:k|rb|ribu|jt|juta|m|b|t|g|gb|mb|tb|kb|kg|gr|mg|ml|l|cm|mm|km|x|an|am|pm|th|st|nd|rd"
    r"|jam|hr|d|p|s|w|v|mah|hz|ghz|mp|fps|in|ft|lbs|oz|yo|y)"
)
_WORD_WITH_VERSION = re.compile(r"[^\W\d_]{2,}\d+")
_WORD = re.compile(r"[^\W\d_]+")
_SLANG_TOKEN = re.compile(r"(?<![#@\w*])[^\W\d_]+(?![\w*])")


def _char_class(char: str) -> str:
    if char.isalpha():
        return "a"
    if char.isdigit():
        return "0"
    if char in _LEET_SYMBOLS:
        return "@"
    return char if char in " .-_" else "#"


# ASCII character classes: letter "a", digit "0", leet symbol "@", the letter-spacing separators
# as themselves, anything else "#". Patterns over classes become plain substring searches.
_CLASSES = ascii_table(_char_class)


def _spaced_hint(classes: str) -> bool:
    """Whether ``classes`` holds three letters spaced by one separator (" ", ".", "-" or "_")."""
    return "a a a" in classes or "a.a.a" in classes or "a-a-a" in classes or "a_a_a" in classes


_ASCII_REPEATS = re.compile(r"([a-zA-Z])\1\1")
_LETTERS_ONLY = ascii_table(lambda c: c if c.isalpha() else " ")
# What may not touch a slang word (``_SLANG_TOKEN``'s lookarounds, ASCII part).
_SLANG_BEFORE = frozenset(string.ascii_letters + string.digits + "_#@*")
_SLANG_AFTER = frozenset(string.ascii_letters + string.digits + "_*")


class _View:
    """One text's ASCII stand-in (``ascii_proxy``) and its character classes, each computed once."""

    __slots__ = ("_classes", "proxy", "text")

    def __init__(self, text: str, proxy: str | None = None, *, known: bool = False) -> None:
        self.text = text
        self.proxy = proxy if known else ascii_proxy(text)
        self._classes: str | None = None

    @classmethod
    def of(cls, text: str, view: _View | None) -> _View:
        """``view`` if it describes ``text``, else a new view."""
        return view if view is not None and view.text is text else cls(text)

    def edited(self, text: str) -> _View:
        """The view of ``text``, an edit of this text that changed ASCII characters only."""
        if self.proxy is None:
            return _View(text, None, known=True)
        return _View(text, text if text.isascii() else text.encode("ascii", "replace").decode("ascii"), known=True)

    def classes(self) -> str | None:
        """The proxy mapped to ``_CLASSES`` (None without a proxy)."""
        if self._classes is None and self.proxy is not None:
            self._classes = translate_ascii(self.proxy, _CLASSES)
        return self._classes


@lru_cache(maxsize=16384)
def _fold_char(char: str) -> str:
    """NFKC + lowercase + no combining marks, for one non-ASCII character."""
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"  # a lone surrogate cannot be normalised; keep one replacement char
    if char in _INVISIBLE or unicodedata.combining(char):
        return ""
    if char in _QUOTES:
        return _QUOTES[char]
    folded = unicodedata.normalize("NFKC", char).lower()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFD", folded)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def _fold(text: str) -> tuple[str, Offsets]:
    """Unicode stage: lowercase, NFKC, invisible characters and combining marks removed."""
    if text.isascii():
        return text.lower().replace("`", "'"), range(len(text))
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _NON_ASCII_RUN.finditer(text):
        start, end = match.span()
        if start > pos:
            pieces.append(text[pos:start].lower().replace("`", "'"))
            offsets.extend(range(pos, start))
        for index in range(start, end):
            folded = _fold_char(text[index])
            if folded:
                pieces.append(folded)
                offsets.extend([index] * len(folded))
        pos = end
    if pos < len(text):
        pieces.append(text[pos:].lower().replace("`", "'"))
        offsets.extend(range(pos, len(text)))
    return "".join(pieces), offsets


def _replace(
    text: str, offsets: Offsets, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]
) -> tuple[str, Offsets]:
    """Rewrite every match of ``pattern``; replacement chars map proportionally onto the matched span."""

    def edits() -> Iterator[tuple[int, int, str]]:
        for match in pattern.finditer(text):
            replacement = replace(match)
            if replacement is not None:
                yield match.start(), match.end(), replacement

    return _apply(text, offsets, edits())


def _apply(text: str, offsets: Offsets, edits: Iterable[tuple[int, int, str]]) -> tuple[str, Offsets]:
    """Replace ``[start, end)`` spans (in order, not overlapping); new chars map proportionally onto the span."""
    pieces: list[str] = []
    new_offsets: list[int] = []
    pos = 0
    for start, end, replacement in edits:
        pieces.append(text[pos:start])
        new_offsets.extend(offsets[pos:start])
        pieces.append(replacement)
        span = end - start
        new_offsets.extend(offsets[start + (i * span) // len(replacement)] for i in range(len(replacement)))
        pos = end
    if pos == 0:
        return text, offsets
    pieces.append(text[pos:])
    new_offsets.extend(offsets[pos:])
    return "".join(pieces), new_offsets


def _join_letter_spaced(text: str, offsets: Offsets, view: _View | None = None) -> tuple[str, Offsets]:
    """``a n j i n g`` -> ``anjing``: drop the separators, keep each letter's offset."""
    classes = _View.of(text, view).classes()
    if classes is not None and not _spaced_hint(classes):
        return text, offsets
    if not _LETTER_SPACED.search(text):
        return text, offsets
    pieces: list[str] = []
    new_offsets: list[int] = []
    pos = 0
    for match in _LETTER_SPACED.finditer(text):
        start, end = match.span()
        pieces.append(text[pos:start])
        new_offsets.extend(offsets[pos:start])
        sep = match.group("sep")
        for index in range(start, end):
            if text[index] != sep:
                pieces.append(text[index])
                new_offsets.append(offsets[index])
        pos = end
    pieces.append(text[pos:])
    new_offsets.extend(offsets[pos:])
    return "".join(pieces), new_offsets


def _squeeze(text: str, offsets: Offsets, view: _View | None = None) -> tuple[str, Offsets]:
    """``bangsaaaat`` -> ``bangsat``: a run of 3+ identical letters becomes one letter."""
    proxy = _View.of(text, view).proxy
    if proxy is not None:
        if not _ASCII_REPEATS.search(proxy):
            return text, offsets
    elif not _REPEATS_HINT.search(text) or not _REPEATS.search(text):
        return text, offsets
    return _replace(text, offsets, _REPEATS, lambda m: m.group(1))


def _unleet_token(token: str) -> str | None:
    if not any(c.isalpha() for c in token) or token.isalpha():
        return None
    if _NUMBER_WITH_UNIT.fullmatch(token) or _WORD_WITH_VERSION.fullmatch(token):
        return None
    mapped = token.translate(_LEET_TABLE)
    return mapped if mapped != token else None


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to the whole token: letters, digits and symbols inside the word."""
    while start > 0 and (
        text[start - 1].isalnum() or (text[start - 1] in _LEET_SYMBOLS and start > 1 and text[start - 2].isalnum())
    ):
        start -= 1
    while end < len(text) and (
        text[end].isalnum() or (text[end] in _LEET_SYMBOLS and end + 1 < len(text) and text[end + 1].isalnum())
    ):
        end += 1
    return start, end


def _leet_hints(text: str, view: _View | None = None) -> list[tuple[int, int]]:
    """The spans ``_LEET_HINT.finditer`` would give, found with substring searches on ASCII classes."""
    classes = _View.of(text, view).classes()
    if classes is None:
        return [hint.span() for hint in _LEET_HINT.finditer(text)]
    if "0" not in classes and "@" not in classes:
        return []
    # At most one alternative of the pattern can match at a given start: record each start's end.
    ends: dict[int, int] = {}
    for pair in ("a0", "0a"):
        index = classes.find(pair)
        while index != -1:
            ends[index] = index + 2
            index = classes.find(pair, index + 1)
    size = len(classes)
    index = classes.find("@")
    while index != -1:
        after = index
        while after < size and classes[after] == "@":
            after += 1
        if index > 0 and classes[index - 1] in "a0" and after < size and classes[after] in "a0":
            ends[index - 1] = after + 1
        index = classes.find("@", after)
    hints = []
    reach = 0
    for start in sorted(ends):
        if start >= reach:  # leftmost first, no overlaps: what finditer does
            reach = ends[start]
            hints.append((start, reach))
    return hints


def _unleet(text: str, view: _View | None = None) -> str:
    """``4nj1ng`` -> ``anjing`` inside letter/digit tokens only (length-preserving)."""
    pieces: list[str] = []
    pos = 0
    for hint_start, hint_end in _leet_hints(text, view):
        if hint_start < pos:
            continue
        start, end = _token_bounds(text, hint_start, hint_end)
        if start < pos:
            continue
        mapped = _unleet_token(text[start:end])
        if mapped is not None:
            pieces.append(text[pos:start])
            pieces.append(mapped)
        else:
            pieces.append(text[pos:end])
        pos = end
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


@lru_cache(maxsize=1)
def slang_map() -> Mapping[str, str]:
    """The Indonesian slang -> formal dictionary (non-commercial data; empty if missing)."""
    path: Path = SLANG_FILE
    mapping: dict[str, str] = {}
    if not path.exists():
        return mapping
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or "\t" not in line:
                continue
            slang, formal = line.rstrip("\n").split("\t", 1)
            mapping[slang] = formal
    return mapping


def _map_slang(text: str, offsets: Offsets, view: _View | None = None) -> tuple[str, Offsets]:
    """Token-level slang -> formal (hashtags and mentions are left alone)."""
    mapping = slang_map()
    if not mapping:
        return text, offsets
    proxy = _View.of(text, view).proxy
    if proxy is None:
        if mapping.keys().isdisjoint(_WORD.findall(text)):
            return text, offsets
        return _replace(text, offsets, _SLANG_TOKEN, lambda m: mapping.get(m.group()))
    found = mapping.keys() & translate_ascii(proxy, _LETTERS_ONLY).split()
    if not found:
        return text, offsets
    # Where ``_SLANG_TOKEN`` matches: whole letter runs not touching a word char, "#", "@" or "*".
    edits = []
    size = len(proxy)
    for word in found:
        index = proxy.find(word)
        while index != -1:
            end = index + len(word)
            alone_before = index == 0 or proxy[index - 1] not in _SLANG_BEFORE
            if alone_before and (end == size or proxy[end] not in _SLANG_AFTER):
                edits.append((index, end, mapping[word]))
            index = proxy.find(word, index + 1)
    edits.sort()
    return _apply(text, offsets, edits)


_PREFIXES = (
    "meng",
    "meny",
    "peng",
    "peny",
    "mem",
    "men",
    "pem",
    "pen",
    "ber",
    "ter",
    "per",
    "me",
    "pe",
    "di",
    "ke",
    "se",
)
_SUFFIXES = ("kan", "an", "i")
_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")


def stem_id(word: str) -> str:
    """A light Indonesian affix stripper (particles, possessives, one suffix, one prefix); keeps >= 4 letters."""
    stem = word
    for group in (_PARTICLES, _POSSESSIVES, _SUFFIXES):
        for affix in group:
            if stem.endswith(affix) and len(stem) - len(affix) >= 4:
                stem = stem[: -len(affix)]
                break
    for prefix in _PREFIXES:
        if stem.startswith(prefix) and len(stem) - len(prefix) >= 4:
            rest = stem[len(prefix) :]
            # meny-/peny- replace an initial s (menyembuhkan -> sembuh).
            if prefix in ("meny", "peny"):
                rest = "s" + rest
            return rest
    return stem


def _stem(text: str, offsets: Offsets) -> tuple[str, Offsets]:
    return _replace(text, offsets, _WORD, lambda m: s if (s := stem_id(m.group())) != m.group() else None)


def normalise(
    text: str, *, slang: bool = False, stem: bool = False, lang: str | None = None
) -> tuple[str, tuple[int, ...]]:
    """Return the normalised copy of ``text`` and, per normalised char, its original index (+ a final end).

    ``slang`` maps Indonesian slang to formal words (skipped when ``lang == "en"``); ``stem``
    strips Indonesian affixes. Both are off here; ``prepare`` turns slang on by default.
    """
    folded, offsets, _ = _normalise(text, slang=slang, stem=stem, lang=lang)
    return folded, (*offsets, len(text))


def _normalise(
    text: str, *, slang: bool, stem: bool, lang: str | None
) -> tuple[str, Offsets, tuple[str, Offsets] | None]:
    """The normalised copy and its offsets, plus the copy before slang mapping when the mapping changed it."""
    folded, offsets = _fold(text)
    view = _View(folded)
    unleeted = _unleet(folded, view)
    if unleeted is not folded:
        # Leetspeak tokens are ASCII whenever there is a proxy: the non-ASCII characters did not move.
        folded, view = unleeted, view.edited(unleeted)
    folded, offsets = _squeeze(folded, offsets, view)
    folded, offsets = _join_letter_spaced(folded, offsets, view)
    unmapped: tuple[str, Offsets] | None = None
    if slang and lang != "en":
        mapped, mapped_offsets = _map_slang(folded, offsets, view)
        if mapped is not folded:
            unmapped = (folded, offsets)
        folded, offsets = mapped, mapped_offsets
    if stem:
        folded, offsets = _stem(folded, offsets)
        if unmapped is not None:
            unmapped = _stem(*unmapped)
    return folded, offsets, unmapped


def slang_default() -> bool:
    """Whether slang mapping is on by default: it uses non-commercial data."""
    return noncommercial_enabled()


def prepare(text: str, lang: str | None = None, *, slang: bool | None = None, stem: bool = False) -> PreparedText:
    """Normalise ``text`` once for every detector; ``lang`` is detected when not given.

    Any ``str`` is accepted: lone surrogates are replaced by U+FFFD in ``PreparedText.original``
    (one for one, so offsets still point into ``text``).
    """
    text = valid_unicode(text)
    words = None
    if lang is None:
        words = lower_words(text.lower())
        lang = detect_language(text, words)
    use_slang = slang_default() if slang is None else slang
    normalised, moved, unmapped = _normalise(text, slang=use_slang, stem=stem, lang=lang)
    prepared = PreparedText(original=text, normalised=normalised, offsets=_final_offsets(moved, len(text)), lang=lang)
    if words is not None:
        prepared.cache[WORDS_KEY] = words  # the detectors' word list: found once, for the language
    if unmapped is not None:
        # Slang mapping also rewrites English words ("money" -> "uang"): lexicons match this copy too.
        prepared.cache[UNMAPPED_KEY] = (unmapped[0], _final_offsets(unmapped[1], len(text)))
    return prepared


def _final_offsets(moved: Offsets, size: int) -> Sequence[int]:
    """The offset map with its trailing end entry; nothing moved: the identity map, without a per-character tuple."""
    return range(size + 1) if isinstance(moved, range) else (*moved, size)
