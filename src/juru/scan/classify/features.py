"""Hashed word and character n-gram features, identical at training and inference time.

The models never see raw strings: a text is cleaned by ``preprocess`` (a frozen, versioned
routine owned by this package, so neither a change to the scanner's normaliser nor the
non-commercial switch can shift what the shipped weights read), then cut into word n-grams
(``WORD_ORDER``) and character n-grams (``CHAR_ORDERS``). Each n-gram is reduced to a 32-bit
key with a fixed polynomial hash and a splitmix64 finaliser (never Python's salted ``hash()``).
Word keys have the top bit clear and character keys have it set, so the two groups are
normalised separately. Keys are hashes only: no training text is stored.

``vector`` is the one representation every model reads: sublinear term frequency, each group
L2-normalised over all of the text's n-grams (not only those one model knows), so a single
extraction serves every task of a language; per-key weighting (idf, naive-Bayes ratios) is
folded into the weights at training time.
"""

from __future__ import annotations

import html
import re
import zlib

import numpy as np
import numpy.typing as npt

FEATURES_VERSION = "juru-ngrams-2"
WORD_ORDER = 2
CHAR_ORDERS = (2, 3, 4, 5)
CHAR_BIT = 0x80000000
_CHAR_BIT = np.uint64(CHAR_BIT)
_LOW31 = np.uint64(0x7FFFFFFF)
_MULT = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime, used as the polynomial base
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_WORD_SALTS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0x7F4A7C159E3779B9))
_ORDER_SALTS = {order: np.uint64((0xD6E8FEB86659FD93 * order) % 2**64) for order in CHAR_ORDERS}

_BYTE_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+|\[username\]|\buser\b(?=\s|$)|\[url\]", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_REPEAT = re.compile(r"(.)\1{2,}")
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")

KeyArray = npt.NDArray[np.uint32]
CountArray = npt.NDArray[np.float32]
ValueArray = npt.NDArray[np.float32]


def _unescape_bytes(match: re.Match[str]) -> str:
    # Some crawled corpora carry emoji as literal "\xf0\x9f\x98\x84"; real posts carry the emoji.
    raw = bytes(int(part, 16) for part in match.group(0).split("\\x")[1:])
    return " " + raw.decode("utf-8", errors="ignore") + " "


def _mask(match: re.Match[str]) -> str:
    token = match.group(0).lower()
    return " url " if token == "[url]" else " @user "


def preprocess(text: str) -> str:
    """The cleaned, lower-cased text the n-grams are cut from (stable across releases)."""
    if "&" in text:
        text = html.unescape(text)
    if "\\" in text:
        text = _BYTE_ESCAPES.sub(_unescape_bytes, text).replace("\\n", " ").replace("\\t", " ")
    if "://" in text or "www." in text or "WWW." in text:
        text = _URL.sub(" url ", text)
    text = _MENTION.sub(_mask, text)
    text = _NUMBER.sub("0", text)  # prices, times and counts share one token: "0 jam", "rp 0"
    text = _REPEAT.sub(r"\1\1", text.lower())  # "bangeeet" and "bangeeeeet" are one word
    return _SPACE.sub(" ", text).strip()


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    values = values ^ (values >> _S33)
    values = values * _MIX1
    values = values ^ (values >> _S33)
    values = values * _MIX2
    return values ^ (values >> _S33)


def _word_keys(clean: str) -> npt.NDArray[np.uint64]:
    tokens = _TOKEN.findall(clean)
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    uni = np.array([zlib.crc32(tok.encode("utf-8")) for tok in tokens], dtype=np.uint64)
    parts = [uni]
    gram = uni
    for order in range(2, WORD_ORDER + 1):
        if len(uni) < order:
            break
        gram = gram[:-1] * _MULT + (uni[order - 1 :] ^ _WORD_SALTS[order - 2])
        parts.append(gram)
    return _mix(np.concatenate(parts)) & _LOW31


def _char_keys(clean: str) -> npt.NDArray[np.uint64]:
    codes = np.frombuffer(f" {clean} ".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    rolling = codes
    for order in range(2, CHAR_ORDERS[-1] + 1):
        if len(codes) < order:
            break
        rolling = rolling[:-1] * _MULT + codes[order - 1 :]
        if order in _ORDER_SALTS:
            parts.append(rolling ^ _ORDER_SALTS[order])
    if not parts:
        return np.empty(0, dtype=np.uint64)
    return (_mix(np.concatenate(parts)) & _LOW31) | _CHAR_BIT


def extract(text: str) -> tuple[KeyArray, CountArray]:
    """Sorted unique n-gram keys of ``text`` and how often each occurs."""
    clean = preprocess(text)
    keys = np.concatenate((_word_keys(clean), _char_keys(clean))).astype(np.uint32)
    unique, counts = np.unique(keys, return_counts=True)
    return unique, counts.astype(np.float32)


def weigh(keys: KeyArray, counts: CountArray) -> ValueArray:
    """Sublinear tf (1 + log count), the word and the char group each scaled to unit L2 norm."""
    values = (1.0 + np.log(counts)).astype(np.float32)
    split = int(np.searchsorted(keys, np.uint32(CHAR_BIT)))  # keys are sorted: words first, then chars
    squares = values * values
    word = float(squares[:split].sum())
    char = float(squares[split:].sum())
    if word:
        values[:split] /= np.float32(np.sqrt(word))
    if char:
        values[split:] /= np.float32(np.sqrt(char))
    return values


def vector(text: str) -> tuple[KeyArray, ValueArray]:
    """Sorted unique keys of ``text`` and their normalised values: the input of every model."""
    keys, counts = extract(text)
    return keys, weigh(keys, counts)
