"""Numeric identifiers: NIK, KK, NPWP, payment cards, bank accounts and phone numbers.

One pass finds *chunks*: digit groups joined by single separators (space, dot, dash, zero-width
characters, parentheses around an area code). Each chunk is split into the longest runs of groups
that validate as some identifier, chosen by the nearest label before it ("NIK", "no rek BCA"...).
Everything runs on the original text (or a same-length copy where look-alike letters inside numbers
are read as digits), so offsets are code-point indices into what the author typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from juru.scan.detectors.pii import cues
from juru.scan.detectors.pii.validators import card_check, kk_check, nik_check, npwp_check, phone_check

_ZW = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_D = "0-9\uff10-\uff19"  # ASCII and full-width digits
_SEP = rf"(?:[ \t\u00a0]{{0,2}}[.\-\u2010-\u2015{_ZW}][ \t\u00a0]{{0,2}}|[ \t\u00a0{_ZW}]{{1,2}})"
# Stage 1 (cheap, scans the whole text): runs of at least 6 digit-or-separator characters.
# Look-alike letters (O, l, I) may sit inside a run; they are read as digits only when a run holds them.
# At least 9 characters: no identifier is shorter (phone numbers have 9+ digits, bank accounts 10+ in practice).
# (a single character class keeps the scan fast; stray letters at a run's edge are harmless)
RUN = re.compile(rf"[{_D}][{_D} .\-()\t\u00a0{_ZW}\u2010-\u2015OolI]{{7,}}[{_D}](?:[OolI](?![A-Za-z]))?")
# Stage 2 (inside a run): digit groups joined by single separators, parentheses around an area code.
CHUNK = re.compile(rf"[{_D}]+(?:(?:\)[ \u00a0]?|{_SEP}\(?)[{_D}]+)*\)?")
GROUP = re.compile(rf"[{_D}]+")
# Letters that stand in for digits inside a number ("O812-3456-789O", "3171O157O845OOO1").
_LOOKALIKE_RUN = re.compile(r"(?<![^\W\d_])[0-9OolI]+(?![^\W\d_])")
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})
_LOOKALIKE_CHARS = frozenset("OolI")
_LOOKALIKE_NEXT_TO_DIGIT = re.compile(r"[0-9][OolI]|[OolI][0-9]")
_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})
_NUMBER_WORDS = {
    "nol": "0", "kosong": "0", "zero": "0", "satu": "1", "one": "1", "dua": "2", "two": "2", "tiga": "3",
    "three": "3", "empat": "4", "four": "4", "lima": "5", "five": "5", "enam": "6", "six": "6", "tujuh": "7",
    "seven": "7", "delapan": "8", "eight": "8", "sembilan": "9", "nine": "9",
}  # fmt: skip
_WORD_ALT = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_WORDS_AFTER = re.compile(rf"(?:[ \t.\-]{{1,3}}(?:{_WORD_ALT}|\d+)(?![a-z]))+")
_WORDS_BEFORE = re.compile(rf"(?<![a-z])(?:(?:{_WORD_ALT})[ \t.\-]{{1,3}})+$")
_WORD_TOKEN = re.compile(rf"{_WORD_ALT}|\d+")
_NPWP_FORMAT = re.compile(r"^\d\d[.\- ]\d{3}[.\- ]\d{3}[.\- ]\d[.\- ]\d{3}[.\- ]\d{3}$")
_DATE_SHAPE = re.compile(r"^\d{1,2}[.\-]\d{1,2}[.\-]\d{2,4}$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_BANK_LENGTHS: dict[str, tuple[int, ...]] = {
    "bca": (10,),
    "bni": (10,),
    "bsi": (10,),
    "syariah indonesia": (10,),
    "mandiri": (13,),
    "bri": (15,),
    "btn": (15, 16),
    "danamon": (10, 12),
    "ocbc": (12,),
    "ocbc nisp": (12,),
    "cimb": (12, 13, 14),
    "cimb niaga": (12, 13, 14),
    "jago": (12,),
    "seabank": (12,),
    "muamalat": (10,),
}


@dataclass(frozen=True, slots=True)
class Hit:
    """A validated identifier before it becomes a ``Finding``."""

    detector: str
    entity: str
    start: int
    end: int
    score: float
    explanation: dict[str, Any]
    value: str  # the digits, for allow-list checks


def digitised(text: str) -> str:
    """A same-length copy of ``text`` with look-alike letters inside numbers read as digits."""

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        real = sum(ch.isdigit() for ch in run)
        return run.translate(_LOOKALIKE) if real >= 3 and real * 2 >= len(run) else run

    return _LOOKALIKE_RUN.sub(fix, text)


def find_numbers(text: str, low: str) -> Iterator[Hit]:
    """Every validated numeric identifier in ``text`` (``low`` is ``text.lower()``)."""
    source = text
    for run in RUN.finditer(text):
        start, end = run.start(), run.end()
        if (start and text[start - 1] in "Oo") or (
            _LOOKALIKE_CHARS.intersection(run.group(0)) and _LOOKALIKE_NEXT_TO_DIGIT.search(run.group(0))
        ):
            start -= 1 if start and text[start - 1] in "Oo" else 0
            source = source[:start] + digitised(source[start:end]) + source[end:]
        for chunk in CHUNK.finditer(source, start, end):
            if _glued(source, chunk.start(), chunk.end()):
                continue
            yield from _split(source, low, chunk)


def _glued(source: str, start: int, end: int) -> bool:
    """A number glued to letters ("INV2504188452", "ORD-2023…", "231116WF5F") is a code, not an identifier."""
    prev = source[start - 1] if start else " "
    if prev.isalnum() or prev == "_":
        return True
    if prev in "-/#_." and start >= 2 and source[start - 2].isalpha():
        return source[max(0, start - 6) : start].lower() != "wa.me/"
    nxt = source[end] if end < len(source) else " "
    return nxt.isalpha()


def _split(source: str, low: str, chunk: re.Match[str]) -> Iterator[Hit]:
    cstart, cend = chunk.start(), chunk.end()
    if cend - cstart < 8 and not _words_near(low, cstart, cend):
        return  # fewer than 8 characters cannot hold 8 digits (no identifier is shorter)
    before = cues.clause_before(low, cstart)
    ws = cues.words(before[-45:])
    if cues.is_reference(ws) or cues.is_price(before) or _masked(low, cstart, cend):
        return  # references (order, resi, invoice...), prices and masked numbers are never personal data
    groups = [(m.start(), m.end()) for m in GROUP.finditer(source, cstart, cend)]
    sizes = [end - start for start, end in groups]
    n = len(groups)
    total = sum(sizes)
    words_near = total < 14 and _words_near(low, cstart, cend)
    if total < 8 and not words_near:
        return
    context: tuple[str, list[str]] | None = (before, ws)
    i = skipped = 0
    while i < n:
        found = None
        # the longest run of groups from i that can still be one identifier (19 digits at most)
        last, total = i, sizes[i]
        while last + 1 < n and total + sizes[last + 1] <= 19:
            last += 1
            total += sizes[last]
        for j in range(last, i - 1, -1):
            if j + 1 < n and _same_format(source, groups, sizes, j):
                total -= sizes[j]
                continue  # cutting a uniformly typed number ("5318 2290 1142 6635 7706") gives a fragment
            if 8 <= total <= 19 or (words_near and j == n - 1):
                start, end = _span(source, groups, i, j)
                found = _classify(source, low, start, end, words_near and j == n - 1, context if i == 0 else None)
                if found:
                    break
            total -= sizes[j]
        if found:
            yield found
            skipped = 0
            while i < n and groups[i][0] < found.end:
                i += 1
        elif sizes[i] <= 2 and skipped < 2:
            skipped += 1
            i += 1  # a list number or a short prefix before the real number ("1. 0812...")
        else:
            # A number that starts inside a longer run of digits is a fragment of it, not an identifier.
            return


def _same_format(source: str, groups: list[tuple[int, int]], sizes: list[int], j: int) -> bool:
    """True when group ``j + 1`` continues group ``j`` in the same typing (same size, same separator)."""
    if j == 0 or sizes[j + 1] != sizes[j]:
        return False
    return source[groups[j - 1][1] : groups[j][0]] == source[groups[j][1] : groups[j + 1][0]]


def _words_near(low: str, start: int, end: int) -> bool:
    """A number word ("nol", "lima", "nine") right before or after the digits."""
    return _word_follows(low, end) or _word_precedes(low, start)


def _word_precedes(low: str, start: int) -> bool:
    prev = low[max(0, start - 12) : start].replace("-", " ").replace(".", " ").split()
    return bool(prev) and prev[-1] in _NUMBER_WORDS


def _span(source: str, groups: list[tuple[int, int]], i: int, j: int) -> tuple[int, int]:
    """Offsets of groups ``i..j``: a leading ``+`` belongs to the number, parentheses only around an area code."""
    start, end = groups[i][0], groups[j][1]
    if start and source[start - 1] == "+":
        start -= 1
    elif start >= 2 and source[start - 2 : start] == "+ ":
        start -= 2
    elif start and source[start - 1] == "(" and j > i and source[groups[i][1] : groups[i][1] + 1] == ")":
        start -= 1
    return start, end


def _digits(s: str) -> str:
    digits = "".join(GROUP.findall(s))
    return digits if digits.isascii() else digits.translate(_DIGITS)


_MASK_CHARS = frozenset("x*•●…")


def _masked(low: str, start: int, end: int) -> bool:
    """Digits next to mask characters ("0812****5678", "3171xxxx", "1410 0859 ...") are masked or partial."""
    after = low[end : end + 4].lstrip(" .-")
    if after[:1] in _MASK_CHARS or low[end : end + 3] == "...":
        return True
    before = low[max(0, start - 4) : start].rstrip(" .-")
    return before[-1:] in _MASK_CHARS


def _classify(
    source: str, low: str, start: int, end: int, words_near: bool, context: tuple[str, list[str]] | None
) -> Hit | None:
    """Validate ``source[start:end]`` as the identifier its context suggests."""
    raw = source[start:end]
    digits = _digits(raw)
    if context is not None:
        before, ws = context
    else:
        before = cues.clause_before(low, start)
        ws = cues.words(before[-45:])
    label = cues.kind_label(ws)
    after = low[end : end + 40]
    length = len(digits)
    if words_near and length < 14:
        hit = _phone_with_words(low, start, end, digits)
        if hit:
            return hit
    if length == 16:
        hit = _sixteen(raw, digits, label, start, end)
        if hit:
            return hit
    if length == 15 and (label == "npwp" or _NPWP_FORMAT.match(raw.strip())):
        npwp = npwp_check(digits)
        if npwp:
            return _npwp_hit(
                start, end, 0.97 if label == "npwp" else 0.85, "npwp15", npwp, label, digits, (before, after)
            )
    if label in ("account", "bank"):
        hit = _bank(raw, digits, label, ws, before, after, start, end)
        if hit:
            return hit
    phone_shaped = 9 <= length <= 14 and (digits[0] == "0" or digits[:2] == "62")
    if phone_shaped and label not in ("account", "bank", "card", "nik", "kk", "npwp"):
        hit = _phone(digits, raw, before, after, start, end, label)
        if hit:
            return hit
    if 13 <= length <= 19 and (label == "card" or _card_grouping(raw)):
        card = card_check(digits)
        if card:
            return _hit("pii.card", "CARD", start, end, 0.97 if label == "card" else 0.85, "card", card, label, digits)
    if label not in ("account", "bank"):
        return _bank(raw, digits, label, ws, before, after, start, end)
    return None


def _word_follows(low: str, end: int) -> bool:
    nxt = low[end : end + 12].replace("-", " ").replace(".", " ").split()
    return bool(nxt) and nxt[0] in _NUMBER_WORDS


def _npwp_hit(
    start: int,
    end: int,
    score: float,
    pattern: str,
    npwp: dict[str, Any],
    label: str | None,
    digits: str,
    context: tuple[str, str] = ("", ""),
) -> Hit:
    """An NPWP finding, unless the text names an organisation as its holder ("NPWP PT Maju Jaya: ...").

    The taxpayer-type digit is only an empirical hint (rulepacks.md ID-PII-03) and individuals have used
    their NIK as NPWP since 2024, so an entity-type number without an organisation cue still counts as a
    person's, with a lower score.
    """
    owner, cue = cues.owner(*context)
    if npwp["taxpayer"] != "individual":
        score = min(score, 0.8)
    return _hit("pii.npwp", "NPWP", start, end, score, pattern, npwp, label, digits, owner=owner, owner_cue=cue)


def _hit(
    detector: str,
    entity: str,
    start: int,
    end: int,
    score: float,
    pattern: str,
    validation: dict[str, Any],
    label: str | None,
    digits: str,
    **extra: Any,
) -> Hit:
    explanation: dict[str, Any] = {"pattern": pattern, "validation": validation, "context": [label] if label else []}
    explanation["owner"] = "person"  # identifiers (NIK, KK, card...) always belong to a person unless said otherwise
    explanation["owner_cue"] = None
    explanation.update(extra)
    return Hit(detector, entity, start, end, score, explanation, digits)


def _sixteen(raw: str, digits: str, label: str | None, start: int, end: int) -> Hit | None:
    if label == "kk":
        kk = kk_check(digits) or nik_check(digits)
        if kk:
            return _hit("pii.kk", "KK", start, end, 0.97, "kk16", kk, label, digits)
    if label == "npwp":
        npwp = npwp_check(digits)
        if npwp:
            return _npwp_hit(start, end, 0.97, "npwp16", npwp, label, digits)
    if label == "card":
        card = card_check(digits)
        if card:
            return _hit("pii.card", "CARD", start, end, 0.97, "card", card, label, digits)
    if label in ("account", "bank"):
        return None  # a 16-digit account (BTN) is decided by the bank rules
    nik = nik_check(digits)
    if nik:
        return _hit("pii.nik", "NIK", start, end, 0.97 if label == "nik" else 0.8, "nik16", nik, label, digits)
    card = card_check(digits)
    if card and label in (None, "phone", "passport"):
        return _hit("pii.card", "CARD", start, end, 0.85 if _card_grouping(raw) else 0.7, "card", card, label, digits)
    return None


def _card_grouping(raw: str) -> bool:
    """Typed like a card: 4-4-4-4(-3), or 4-6-5 / 4-6-4 for Amex and Diners."""
    sizes = [len(g) for g in GROUP.findall(raw)]
    return sizes[:4] == [4, 4, 4, 4] or sizes in ([4, 6, 5], [4, 6, 4])


def _phone(digits: str, raw: str, before: str, after: str, start: int, end: int, label: str | None) -> Hit | None:
    national = digits
    plus = raw.lstrip().startswith("+")
    if digits.startswith("62") and (plus or len(digits) >= 11):
        national = "0" + digits[2:]
    elif plus or not digits.startswith("0"):
        return None
    if national[1:2] in ("", "0") or _DATE_SHAPE.match(raw.strip("() ")):
        return None
    check = phone_check(national)
    if check is None:
        return None
    owner, cue = cues.owner(before, after)
    if check["kind"] == "tollfree":
        owner, cue = "organisation", "toll-free range"
    score = 0.95 if label == "phone" or check["kind"] == "mobile" else 0.85
    return _hit("pii.phone", "PHONE", start, end, score, "id_phone", check, label, national, owner=owner, owner_cue=cue)


def _phone_with_words(low: str, start: int, end: int, digits: str) -> Hit | None:
    """A phone number partly written in words: "0812 3456 78 nine", "nol delapan satu dua 3456 7890"."""
    new_start, new_end, prefix, suffix = start, end, "", ""
    tail = _WORDS_AFTER.match(low, end)
    if tail and not any(t in _NUMBER_WORDS for t in _WORD_TOKEN.findall(tail.group(0))):
        tail = None
    if tail:
        new_end = tail.end()
        suffix = "".join(_NUMBER_WORDS.get(t, t) for t in _WORD_TOKEN.findall(tail.group(0)))
    head = _WORDS_BEFORE.search(low[max(0, start - 80) : start])
    if head:
        new_start = start - len(head.group(0))
        prefix = "".join(_NUMBER_WORDS[t] for t in _WORD_TOKEN.findall(head.group(0)))
    if not (prefix or suffix):
        return None
    full = prefix + digits + suffix
    before = cues.clause_before(low, new_start)
    label = cues.kind_label(cues.words(before[-45:]))
    hit = _phone(full, full, before, low[new_end : new_end + 40], new_start, new_end, label)
    if hit:
        hit.explanation["obfuscation"] = "digits written as words"
    return hit


_ORG_HOLDER = re.compile(
    r"^[\s,)(]*(?:(?:bank )?[a-z ]{2,25}\)?[\s,]*)?(?:a\.?n\.?|atas nama|a/n)\s*(pt|cv|yayasan|koperasi)\b"
)


def _bank(
    raw: str, digits: str, label: str | None, ws: list[str], before: str, after: str, start: int, end: int
) -> Hit | None:
    """A bank account number: needs an account word or a bank name right next to it."""
    length = len(digits)
    if not 8 <= length <= 16 or _DATE_SHAPE.match(raw.strip()) or _THOUSANDS.match(raw.strip()):
        return None
    account_word = cues.has_word(ws[-6:], cues.ACCOUNT_WORDS)
    # a bank named after the number must be right next to it, in the same clause ("0123... (BCA)")
    bank = cues.nearest_bank(ws, cues.clause_after(after, 0), reach_after=3 if account_word else 2)
    if not bank and label != "account":
        return None
    if bank and bank != "bank":
        lengths = _BANK_LENGTHS.get(bank)
        if lengths and length not in lengths:
            return None
    owner, cue = cues.owner(before, after)
    named = _ORG_HOLDER.match(after)
    if named:
        owner, cue = "organisation", named.group(1)
    validation = {"length": length, "bank_length": "matches" if bank in _BANK_LENGTHS else "unknown"}
    context = [w for w in (account_word, bank) if w]
    return Hit(
        "pii.bank_account",
        "BANK_ACCOUNT",
        start,
        end,
        0.9 if len(context) == 2 else 0.8,
        {"pattern": "bank_account", "validation": validation, "context": context, "owner": owner,
         "owner_cue": cue, "bank": bank},
        digits,
    )  # fmt: skip
