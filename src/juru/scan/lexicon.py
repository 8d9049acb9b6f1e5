"""Lexicon engine: every YAML term list, one Aho-Corasick automaton, whole-word matches.

Files live in ``juru/scan/data/lexicons/`` and, for lists derived from non-commercial data,
``juru/scan/data/noncommercial/lexicons/`` (loaded only while the switch is on). The format is
in the module docstring of each file and in the project's contract notes::

    detector: lexicon.profanity   # detector id on findings
    entity: PROFANITY
    licence: Apache-2.0
    source: "..."
    severity: medium              # default for terms: info | low | medium | high | critical
    lang: id                      # default: id | en | any
    terms:
      - bangsat
      - {term: anjing, severity: medium, lang: id, unless: [makanan, peliharaan], needs: [...]}

``unless``: the match is dropped when one of these words/phrases is within a few words.
``needs``: the match counts only when one of these is within a few words.

Terms are normalised exactly like texts (both with and without slang mapping, so a term
matches whichever way the text was prepared) and matched on ``PreparedText.normalised`` at
word boundaries: "ass" never matches inside "class". The slang forms come from non-commercial
data, so they are built only while the switch is on (``slang=``); with it off, nothing derived
from that data takes part in matching.

Start-up: the shipped files' parsed YAML is kept in ``$XDG_CACHE_HOME/juru`` (default
``~/.cache/juru``) under a name hashed from their bytes and the code version, so it is never
stale; a missing, corrupt or unwritable cache only means parsing the YAML again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
import tempfile
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import yaml

from juru import __version__
from juru.rules import yamlfile
from juru.scan.licensing import NONCOMMERCIAL_DIR, noncommercial_enabled
from juru.scan.normalise import _normalise, slang_map
from juru.scan.text import PreparedText, span_to_original

DATA_DIR = Path(__file__).resolve().parent / "data" / "lexicons"
NONCOMMERCIAL_LEXICONS = NONCOMMERCIAL_DIR / "lexicons"
SEVERITIES = ("info", "low", "medium", "high", "critical")
LANGS = ("id", "en", "any")
SEVERITY_SCORE = {"info": 0.5, "low": 0.6, "medium": 0.75, "high": 0.9, "critical": 0.95}
FILE_KEYS = frozenset({"detector", "entity", "licence", "source", "severity", "lang", "terms"})
TERM_KEYS = frozenset({"term", "severity", "lang", "unless", "needs"})
CACHE_FORMAT = "lexicon-yaml-1"  # change when the cached form changes
CONTEXT_WINDOW = 40  # characters each side searched for "unless"/"needs" words (about 5 words)
MASKABLE = frozenset({"lexicon.profanity", "lexicon.insult"})
# When a masked word fits several spellings, the everyday word is the likely reading.
COMMON_READINGS = frozenset(
    """
    fuck fucking fucked fucker shit shitty bitch asshole bastard damn cunt dick pussy motherfucker
    anjing bangsat kontol memek goblok tolol bajingan ngentot keparat brengsek
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Lowercase ASCII words of two or more letters, one space apart, no letter three times in a row: the
# normalising passes (folding, leetspeak, squeezing, joining letter-spaced words) leave these unchanged.
_PLAIN_TERM = re.compile(r"[a-z]{2,}(?: [a-z]{2,})*")
_TRIPLE_LETTER = re.compile(r"([a-z])\1\1")
_MASKED = re.compile(r"(?<![\w*])[^\W\d_]+(?:\*+[^\W\d_]+)+(?![\w*])|(?<![\w*])[^\W\d_]+\*{2,}(?![\w*])")


_NONE: list[LexiconMatch] = []  # shared "no match" answer; callers never modify it


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry as written, with its file's defaults applied."""

    term: str
    detector: str
    entity: str
    severity: str
    lang: str
    list: str
    noncommercial: bool
    unless: re.Pattern[str] | None = None
    needs: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class LexiconFile:
    """A parsed lexicon file."""

    path: Path
    detector: str
    entity: str
    licence: str
    source: str
    noncommercial: bool
    terms: tuple[Term, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    """A term found in a text: ``start``/``end`` in the original, ``nstart``/``nend`` in the normalised copy."""

    term: Term
    start: int
    end: int
    nstart: int
    nend: int
    masked: bool = False


def _slang_switch(slang: bool | None) -> bool:
    """Whether slang forms (non-commercial data) may be built: ``slang`` if given, else the switch."""
    return noncommercial_enabled() if slang is None else slang


def _context_pattern(words: Any, where: str, slang: bool) -> re.Pattern[str] | None:
    if words is None:
        return None
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise LexiconError(f"{where}: 'unless'/'needs' must be a list of words")
    forms = {term_key(w) for w in words}
    if slang:
        forms |= {term_key(w, slang=True) for w in words}
    keys = sorted(forms, key=lambda k: (-len(k), k))
    return _words_pattern(tuple(keys))


@lru_cache(maxsize=4096)
def _words_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """One whole-word alternation per distinct word list (many terms share their context words)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys if k) + r")(?!\w)")


def _choice(value: Any, allowed: Sequence[str], what: str, where: str) -> str:
    if value not in allowed:
        raise LexiconError(f"{where}: {what} must be one of {', '.join(allowed)} (got {value!r})")
    return str(value)


def parse_lexicon(data: Any, *, path: Path, noncommercial: bool = False, slang: bool | None = None) -> LexiconFile:
    """Validate a parsed YAML mapping and build its terms; raises ``LexiconError`` with the file name.

    ``slang``: also match ``unless``/``needs`` words in their slang-mapped form (default: the switch).
    """
    where = path.name
    use_slang = _slang_switch(slang)
    if not isinstance(data, Mapping):
        raise LexiconError(f"{where}: expected a mapping at the top level")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise LexiconError(f"{where}: unknown keys {', '.join(unknown)}")
    for key in ("detector", "entity", "terms"):
        if not data.get(key):
            raise LexiconError(f"{where}: '{key}' is required")
    detector, entity = str(data["detector"]), str(data["entity"])
    severity = _choice(data.get("severity", "medium"), SEVERITIES, "severity", where)
    lang = _choice(data.get("lang", "any"), LANGS, "lang", where)
    if not isinstance(data["terms"], list):
        raise LexiconError(f"{where}: 'terms' must be a list")
    terms: list[Term] = []
    for index, raw in enumerate(data["terms"]):
        if isinstance(raw, str) and raw.strip():
            # Most entries: a bare term with the file's defaults (checked above), nothing else to validate.
            terms.append(Term(raw.strip(), detector, entity, severity, lang, path.stem, noncommercial))
            continue
        spot = f"{where} term #{index + 1}"
        entry: Mapping[str, Any] = {"term": raw} if isinstance(raw, str | int | float) else raw
        if not isinstance(entry, Mapping) or not str(entry.get("term", "")).strip():
            raise LexiconError(f"{spot}: a term is a string or a mapping with 'term'")
        extra = sorted(set(entry) - TERM_KEYS)
        if extra:
            raise LexiconError(f"{spot}: unknown keys {', '.join(extra)}")
        terms.append(
            Term(
                term=str(entry["term"]).strip(),
                detector=detector,
                entity=entity,
                severity=_choice(entry.get("severity", severity), SEVERITIES, "severity", spot),
                lang=_choice(entry.get("lang", lang), LANGS, "lang", spot),
                list=path.stem,
                noncommercial=noncommercial,
                unless=_context_pattern(entry.get("unless"), spot, use_slang),
                needs=_context_pattern(entry.get("needs"), spot, use_slang),
            )
        )
    return LexiconFile(
        path=path,
        detector=detector,
        entity=entity,
        licence=str(data.get("licence", "")),
        source=str(data.get("source", "")),
        noncommercial=noncommercial,
        terms=tuple(terms),
    )


def load_lexicon(path: Path, *, noncommercial: bool = False, slang: bool | None = None) -> LexiconFile:
    """Read and validate one lexicon file."""
    return parse_lexicon(_parse_yaml(path, path.read_bytes()), path=path, noncommercial=noncommercial, slang=slang)


class ShippedFile(NamedTuple):
    """A lexicon file shipped with Juru, read once per process (both switch values parse the same YAML)."""

    path: Path
    noncommercial: bool
    data: Any


@lru_cache(maxsize=1)
def _shipped() -> tuple[ShippedFile, ...]:
    paths = [(p, False) for p in sorted(DATA_DIR.glob("*.yaml"))]
    paths += [(p, True) for p in sorted(NONCOMMERCIAL_LEXICONS.glob("*.yaml"))]
    raws = [path.read_bytes() for path, _ in paths]
    data = _cached_yaml([path for path, _ in paths], raws)
    return tuple(ShippedFile(path, origin, item) for (path, origin), item in zip(paths, data, strict=True))


def cache_dir() -> Path:
    """Where start-up work is kept between runs: ``$XDG_CACHE_HOME/juru`` (default ``~/.cache/juru``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "juru"


def _cache_file(paths: Sequence[Path], raws: Sequence[bytes]) -> Path:
    """The cache file for exactly these files' bytes, this code version and this Python's marshal format."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{marshal.version}|{sys.version_info[:2]}".encode())
    for path, raw in zip(paths, raws, strict=True):
        digest.update(f"|{path.parent.name}/{path.name}|{len(raw)}|".encode())
        digest.update(raw)
    return cache_dir() / f"lexicons-{digest.hexdigest()[:40]}.marshal"


def _cached_yaml(paths: Sequence[Path], raws: Sequence[bytes]) -> list[Any]:
    """The parsed YAML of each file: from the cache when it holds these very bytes, else parsed (and cached).

    Parsing the YAML is most of the cost of reading the lexicons; a missing, corrupt or unwritable cache
    only means parsing again.
    """
    file = _cache_file(paths, raws)
    data = _load_cache(file, len(raws))
    if data is None:
        data = [_parse_yaml(path, raw) for path, raw in zip(paths, raws, strict=True)]
        _store_cache(file, data)
    return data


def _load_cache(file: Path, count: int) -> list[Any] | None:
    try:
        blob = file.read_bytes()
    except OSError:
        return None
    checksum, payload = blob[:32], blob[32:]
    if hashlib.sha256(payload).digest() != checksum:
        return None
    try:
        data = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, list) and len(data) == count else None


def _store_cache(file: Path, data: list[Any]) -> None:
    """Write the cache atomically; a failure (read-only home, full disk) only means parsing again next time."""
    try:
        payload = marshal.dumps(data)
    except ValueError:
        return  # a value marshal cannot hold (a YAML date): nothing to keep
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".lexicons-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, file)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    for older in file.parent.glob("lexicons-*.marshal"):
        if older != file:  # caches of earlier data or code versions are never read again
            with contextlib.suppress(OSError):
                older.unlink()


def _parse_yaml(path: Path, raw: bytes) -> Any:
    try:
        return yamlfile.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path.name}: not valid YAML ({exc})") from exc


@lru_cache(maxsize=2)
def lexicon_files(include_noncommercial: bool) -> tuple[LexiconFile, ...]:
    """Every lexicon file shipped with Juru (non-commercial ones only when asked), in a stable order.

    Without non-commercial data the context words (``unless``/``needs``) get no slang forms either.
    """
    slang = include_noncommercial
    return tuple(
        parse_lexicon(shipped.data, path=shipped.path, noncommercial=shipped.noncommercial, slang=slang)
        for shipped in _shipped()
        if include_noncommercial or not shipped.noncommercial
    )


class LexiconHeader(NamedTuple):
    """What the detector registry needs from a shipped lexicon file, without building its terms."""

    detector: str
    entity: str
    noncommercial: bool


def lexicon_headers() -> tuple[LexiconHeader, ...]:
    """Detector id, entity and origin of every shipped lexicon file (non-commercial ones included)."""
    headers = []
    for shipped in _shipped():
        data = shipped.data
        if not isinstance(data, Mapping) or not data.get("detector") or not data.get("entity"):
            raise LexiconError(f"{shipped.path.name}: 'detector' and 'entity' are required")
        headers.append(LexiconHeader(str(data["detector"]), str(data["entity"]), shipped.noncommercial))
    return tuple(headers)


@lru_cache(maxsize=65536)
def term_key(term: str, *, slang: bool = False) -> str:
    """The normalised form a term is matched as (whitespace collapsed)."""
    if _PLAIN_TERM.fullmatch(term) and not _TRIPLE_LETTER.search(term):
        # Most terms: only slang mapping can change them, and it replaces whole words (start-up builds
        # tens of thousands of keys; the normalising passes would cost most of it).
        if not slang:
            return term
        mapping = slang_map()
        return " ".join(" ".join(mapping.get(word, word) for word in term.split()).split())
    if slang:
        # Slang mapping only rewrites whole letter runs found in the dictionary: without one, the slang
        # form is the plain form (most terms), and the plain form is often built already.
        plain = term_key(term)
        if slang_map().keys().isdisjoint(_LETTER_RUN.findall(plain)):
            return plain
    return " ".join(_normalise(term, slang=slang, stem=False, lang="id" if slang else None)[0].split())


class LexiconMatcher:
    """One automaton over many term lists; thread-safe, one pass per text (kept on the ``PreparedText``).

    ``slang``: also add each term's slang-mapped form (non-commercial data; default: the switch).
    """

    def __init__(self, files: Iterable[LexiconFile], *, slang: bool | None = None) -> None:
        entries: dict[str, list[Term]] = {}
        all_terms = [term for lexicon in files for term in lexicon.terms]
        for term in all_terms:
            key = term_key(term.term)
            if key:
                entries.setdefault(key, []).append(term)
        # A term written in slang must also match the text's formal form ("gw bunuh lo" -> "saya
        # bunuh kamu"), unless that form is a term of its own (then its own conditions apply).
        plain = set(entries)
        use_slang = _slang_switch(slang)
        for term in all_terms:
            if term.lang == "en" or not use_slang:
                continue
            key = term_key(term.term, slang=True)
            if key and key not in plain:
                entries.setdefault(key, []).append(term)
        self._automaton = ahocorasick.Automaton()
        for key, terms in entries.items():
            self._automaton.add_word(key, (len(key), tuple(terms)))
        self._size = len(entries)
        if entries:
            self._automaton.make_automaton()
        self._maskable = self._build_mask_index(entries)

    def __len__(self) -> int:
        return self._size

    @staticmethod
    def _build_mask_index(entries: Mapping[str, list[Term]]) -> dict[str, list[tuple[str, Term]]]:
        index: dict[str, list[tuple[str, Term]]] = {}
        for key, terms in entries.items():
            if " " in key or not key.isalpha():
                continue
            for term in terms:
                if term.detector in MASKABLE and term.needs is None:
                    index.setdefault(key[0], []).append((key, term))
        return index

    def matches(self, text: PreparedText) -> list[LexiconMatch]:
        """All whole-word matches in ``text`` (one pass per text, shared by every detector)."""
        return text.memo(self, self._grouped)[0]

    def matches_for(self, text: PreparedText, detector: str) -> list[LexiconMatch]:
        """The matches of one detector id (same pass)."""
        return text.memo(self, self._grouped)[1].get(detector, _NONE)

    def grouped(self, text: PreparedText) -> Mapping[str, list[LexiconMatch]]:
        """The matches by detector id (same pass); an id without matches is absent."""
        return text.memo(self, self._grouped)[1]

    def _grouped(self, text: PreparedText) -> tuple[list[LexiconMatch], dict[str, list[LexiconMatch]]]:
        found = self._scan(text)
        grouped: dict[str, list[LexiconMatch]] = {}
        for match in found:
            grouped.setdefault(match.term.detector, []).append(match)
        return found, grouped

    def _scan(self, text: PreparedText) -> list[LexiconMatch]:
        norm = text.normalised
        found: list[LexiconMatch] = []
        if self._size:
            for nstart, nend, terms in _whole_words(self, self._automaton, text):
                for term in terms:
                    if _context_ok(term, norm, nstart, nend):
                        start, end = text.to_original(nstart, nend)
                        found.append(LexiconMatch(term, start, end, nstart, nend))
        if "*" in norm and self._maskable:
            found.extend(self._masked(text))
        unmapped = text.unmapped()
        if unmapped is not None and self._size:
            found.extend(self._unmapped(text, *unmapped, found))
        return found

    def _unmapped(
        self, text: PreparedText, copy: str, offsets: Sequence[int], found: list[LexiconMatch]
    ) -> list[LexiconMatch]:
        """Matches only the copy before slang mapping has ("double your money" where "money" became "uang").

        Their ``nstart``/``nend`` are the span of the normalised text that covers the same original characters.
        """
        seen = {(id(m.term), m.start, m.end) for m in found}
        size = len(copy)
        extra: list[LexiconMatch] = []
        for end_index, (length, terms) in self._automaton.iter(copy):
            ustart, uend = end_index - length + 1, end_index + 1
            if ustart > 0 and copy[ustart].isalnum() and copy[ustart - 1].isalnum():
                continue
            if uend < size and copy[end_index].isalnum() and copy[uend].isalnum():
                continue
            start, end = span_to_original(offsets, ustart, uend, len(text.original))
            for term in terms:
                if (id(term), start, end) in seen or not _context_ok(term, copy, ustart, uend):
                    continue
                seen.add((id(term), start, end))
                nstart, nend = bisect_left(text.offsets, start), bisect_left(text.offsets, end)
                extra.append(LexiconMatch(term, start, end, nstart, max(nend, nstart + 1)))
        return extra

    def _masked(self, text: PreparedText) -> Iterable[LexiconMatch]:
        """``f***ing``, ``anj*ng``: each ``*`` stands for one hidden letter of a profanity term."""
        norm = text.normalised
        for match in _MASKED.finditer(norm):
            token = match.group()
            pattern = re.compile("".join("[^\\W\\d_]" if c == "*" else re.escape(c) for c in token))
            best: Term | None = None
            best_rank: tuple[bool, int, int] = (False, -1, -1)
            for key, term in self._maskable.get(token[0], ()):
                if len(key) == len(token) and pattern.fullmatch(key):
                    # People hide vowels (f*ck, anj*ng): prefer the reading with hidden vowels, then severity.
                    vowels = sum(1 for c, k in zip(token, key) if c == "*" and k in "aiueo")
                    rank = (key in COMMON_READINGS, vowels, SEVERITIES.index(term.severity))
                    if rank > best_rank:
                        best, best_rank = term, rank
            if best is not None:
                start, end = text.to_original(*match.span())
                yield LexiconMatch(best, start, end, match.start(), match.end(), masked=True)


def _context_ok(term: Term, norm: str, nstart: int, nend: int) -> bool:
    if term.unless is None and term.needs is None:
        return True
    before = norm[max(0, nstart - CONTEXT_WINDOW) : nstart]
    after = norm[nend : nend + CONTEXT_WINDOW]
    window = before + " " + after
    if term.unless is not None and term.unless.search(window):
        return False
    return term.needs is None or term.needs.search(window) is not None


@lru_cache(maxsize=2)
def matcher_for(include_noncommercial: bool) -> LexiconMatcher:
    """The process-wide matcher over every shipped lexicon (built once per switch value)."""
    return LexiconMatcher(lexicon_files(include_noncommercial), slang=include_noncommercial)


def allowed_spans(
    text: PreparedText, allowed_terms: Iterable[str], *, slang: bool | None = None
) -> list[tuple[int, int]]:
    """Normalised spans covered by an organisation's allowed terms (whole words)."""
    return [
        hit.span() for hit in _allowed_matcher(tuple(allowed_terms), _slang_switch(slang)).finditer(text.normalised)
    ]


@lru_cache(maxsize=64)
def _allowed_matcher(allowed_terms: tuple[str, ...], slang: bool) -> PhraseMatcher:
    return PhraseMatcher(allowed_terms, slang=slang)


def keep_longest(matches: Sequence[LexiconMatch]) -> list[LexiconMatch]:
    """Drop matches inside a longer match of the same detector (``slot gacor`` wins over ``gacor``)."""
    ordered = sorted(matches, key=lambda m: (m.nstart, -(m.nend - m.nstart)))
    kept: list[LexiconMatch] = []
    # Every kept match starts at or before the current one, so "contained" means "ends no later
    # than the furthest-reaching kept match of the same detector".
    furthest: dict[str, int] = {}
    for match in ordered:
        detector = match.term.detector
        if match.nend <= furthest.get(detector, -1):
            continue
        kept.append(match)
        furthest[detector] = match.nend
    return kept


class PhraseHit(NamedTuple):
    """A phrase found by ``PhraseMatcher`` (regex-match-like accessors)."""

    begin: int
    finish: int
    text: str

    def start(self) -> int:
        """Start offset in the searched string."""
        return self.begin

    def end(self) -> int:
        """End offset (exclusive) in the searched string."""
        return self.finish

    def span(self) -> tuple[int, int]:
        """``(start, end)``."""
        return self.begin, self.finish

    def group(self) -> str:
        """The matched text."""
        return self.text


class PhraseMatcher:
    """Whole-word, leftmost-longest matching of a phrase list on normalised text (Aho-Corasick).

    For the short per-organisation lists (brand names, disclaimers) and detector cue lists;
    hashtags and names written without spaces (``#KopiKita`` for "Kopi Kita") match too.
    ``slang``: also match the phrases' slang-mapped forms (non-commercial data; default: the switch).
    """

    def __init__(self, phrases: Iterable[str], *, slang: bool | None = None) -> None:
        keys = _phrase_keys(phrases, _slang_switch(slang))
        self._automaton = ahocorasick.Automaton()
        for key in keys:
            self._automaton.add_word(key, len(key))
        self._empty = not keys
        if keys:
            self._automaton.make_automaton()

    def __bool__(self) -> bool:
        return not self._empty

    def finditer(self, text: str) -> list[PhraseHit]:
        """Non-overlapping whole-word hits, leftmost first, longest at each start."""
        if self._empty:
            return []
        candidates = []
        for end_index, length in self._automaton.iter(text):
            begin, finish = end_index - length + 1, end_index + 1
            if text[begin].isalnum() and begin > 0 and text[begin - 1].isalnum():
                continue
            if text[end_index].isalnum() and finish < len(text) and text[finish].isalnum():
                continue
            candidates.append((begin, -length))
        candidates.sort()
        hits: list[PhraseHit] = []
        reach = -1
        for begin, negative in candidates:
            if begin >= reach:
                reach = begin - negative
                hits.append(PhraseHit(begin, reach, text[begin:reach]))
        return hits

    def search(self, text: str) -> PhraseHit | None:
        """The first hit, or None."""
        hits = self.finditer(text)
        return hits[0] if hits else None


def _phrase_keys(phrases: Iterable[str], slang: bool) -> set[str]:
    """The automaton keys of a phrase list: plain (and with ``slang``, slang-mapped) forms, and multi-word forms
    without spaces."""
    keys: set[str] = set()
    for phrase in phrases:
        forms = (term_key(phrase), term_key(phrase, slang=True)) if slang else (term_key(phrase),)
        for key in forms:
            if key:
                keys.add(key)
                if " " in key:
                    keys.add(key.replace(" ", ""))
    return keys


class PhraseSet:
    """Several named phrase lists found in one Aho-Corasick pass per text.

    Each list gives exactly what its own ``PhraseMatcher`` would (whole words, leftmost, longest,
    no overlaps within the list); lists do not compete with each other. Results are kept on the
    ``PreparedText``, so every detector asking about the same text shares one pass. ``slang`` as
    for ``PhraseMatcher``.
    """

    def __init__(self, groups: Mapping[str, Iterable[str]], *, slang: bool | None = None) -> None:
        owners: dict[str, list[str]] = {}
        use_slang = _slang_switch(slang)
        for name, phrases in groups.items():
            for key in _phrase_keys(phrases, use_slang):
                owners.setdefault(key, []).append(name)
        self.groups = tuple(groups)
        self._automaton = ahocorasick.Automaton()
        for key, names in owners.items():
            self._automaton.add_word(key, (len(key), tuple(names)))
        self._empty = not owners
        if owners:
            self._automaton.make_automaton()

    def hits(self, text: PreparedText) -> Mapping[str, list[PhraseHit]]:
        """Hits per list name on ``text.normalised`` (a list with no hit is absent)."""
        return text.memo(self, self._find)

    def _find(self, text: PreparedText) -> dict[str, list[PhraseHit]]:
        norm = text.normalised
        if self._empty:
            return {}
        candidates: dict[str, list[tuple[int, int]]] = {}
        for begin, finish, names in _whole_words(self, self._automaton, text):
            for name in names:
                candidates.setdefault(name, []).append((begin, begin - finish))
        found: dict[str, list[PhraseHit]] = {}
        for name, spans in candidates.items():
            spans.sort()
            hits = found[name] = []
            reach = -1
            for begin, negative in spans:
                if begin >= reach:
                    reach = begin - negative
                    hits.append(PhraseHit(begin, reach, norm[begin:reach]))
        return found


# Key of the ``SharedPass`` a scanner puts on each ``PreparedText`` it prepares.
SHARED_PASS_KEY = "shared_pass"
# A whole-word hit on ``normalised``: start, end and the owner's value for the phrase.
WordHit = tuple[int, int, tuple[Any, ...]]


class SharedPass:
    """One Aho-Corasick pass over a text for several phrase sets and lexicon matchers (a scanner's word lists).

    Each owner gets exactly the whole-word hits its own automaton would give, in the same order; the text
    is read once instead of once per owner. A scanner builds one and puts it on every text it prepares
    (``SHARED_PASS_KEY``); owners not in it, or texts without it, fall back to their own pass.
    """

    def __init__(self, owners: Iterable[PhraseSet | LexiconMatcher]) -> None:
        self.owners = tuple({id(owner): owner for owner in owners}.values())
        self._index = {id(owner): index for index, owner in enumerate(self.owners)}
        merged: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}
        for index, owner in enumerate(self.owners):
            for key, (_, payload) in owner._automaton.items():
                merged.setdefault(key, []).append((index, payload))
        self._automaton = ahocorasick.Automaton()
        for key, entries in merged.items():
            self._automaton.add_word(key, (len(key), tuple(entries)))
        self._empty = not merged
        if merged:
            self._automaton.make_automaton()

    def hits_for(self, owner: object, text: PreparedText) -> list[WordHit] | None:
        """``owner``'s whole-word hits in ``text`` (None: ``owner`` is not part of this pass)."""
        index = self._index.get(id(owner))
        if index is None:
            return None
        return text.memo(self, self._run)[index]

    def _run(self, text: PreparedText) -> list[list[WordHit]]:
        found: list[list[WordHit]] = [[] for _ in self.owners]
        if self._empty:
            return found
        for begin, finish, entries in _boundary_hits(self._automaton, text.normalised):
            for index, payload in entries:
                found[index].append((begin, finish, payload))
        return found


def _whole_words(owner: object, automaton: Any, text: PreparedText) -> list[WordHit]:
    """``owner``'s whole-word hits on ``text.normalised``: from the scanner's shared pass when it has one."""
    shared = text.cache.get(SHARED_PASS_KEY)
    if shared is not None:
        hits: list[WordHit] | None = shared.hits_for(owner, text)
        if hits is not None:
            return hits
    return list(_boundary_hits(automaton, text.normalised))


def _boundary_hits(automaton: Any, norm: str) -> Iterable[WordHit]:
    """Matches of ``automaton`` (values ``(length, payload)``) that do not start or end inside a word."""
    size = len(norm)
    for end_index, (length, payload) in automaton.iter(norm):
        begin, finish = end_index - length + 1, end_index + 1
        if begin > 0 and norm[begin].isalnum() and norm[begin - 1].isalnum():
            continue
        if finish < size and norm[end_index].isalnum() and norm[finish].isalnum():
            continue
        yield begin, finish, payload


def phrase_pattern(phrases: Iterable[str], *, slang: bool | None = None) -> PhraseMatcher | None:
    """A ``PhraseMatcher`` over ``phrases``, or None when there are none."""
    matcher = PhraseMatcher(phrases, slang=slang)
    return matcher if matcher else None
