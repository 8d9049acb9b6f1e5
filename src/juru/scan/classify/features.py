"""Hashed word and character n-gram features, identical at training and inference time.

The models never see raw strings: a text is cleaned by ``preprocess`` (a frozen, versioned
routine owned by this package, so neither a change to the scanner's normaliser nor the
non-commercial switch can shift what the shipped weights read), then cut into word n-grams
(``WORD_ORDER``, from one regex tokenisation) and character n-grams (``CHAR_ORDERS``, rolling
polynomial hashes over the code points, vectorised in numpy). Each n-gram hash goes through a
splitmix64 finaliser (never Python's salted ``hash()``) and is masked straight into a bucket:
word n-grams fill rows ``[0, WORD_BUCKETS)`` and character n-grams the ``CHAR_BUCKETS`` rows
after them, so a model is a dense weight matrix indexed by bucket and inference needs no key
lookup. Buckets are hashes only: no training text is stored.

``vector`` is the one representation every model reads: sublinear term frequency per bucket,
the word and the char group each L2-normalised over all of the text's buckets (not only those
one model uses), so a single extraction serves every task of a language; per-bucket weighting
(idf, naive-Bayes ratios) is folded into the weights at training time.
"""

from __future__ import annotations

import html
import re
import zlib

import numpy as np
import numpy.typing as npt

FEATURES_VERSION = "juru-buckets-3"
WORD_ORDER = 2
CHAR_ORDERS = (2, 3, 4, 5)
WORD_BITS = 17
CHAR_BITS = 18
WORD_BUCKETS = 1 << WORD_BITS
CHAR_BUCKETS = 1 << CHAR_BITS
N_BUCKETS = WORD_BUCKETS + CHAR_BUCKETS
_WORD_MASK = np.uint64(WORD_BUCKETS - 1)
_CHAR_MASK = np.uint64(CHAR_BUCKETS - 1)
_MULT = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime, used as the polynomial base
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_WORD_SALTS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0x7F4A7C159E3779B9), np.uint64(0x2545F4914F6CDD1D))
_ORDER_SALTS = {order: np.uint64((0xD6E8FEB86659FD93 * order) % 2**64) for order in range(1, 8)}

_BYTE_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w+|\[username\]|\buser\b(?=\s|$)|\[url\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_REPEAT = re.compile(r"(.)\1{2,}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")

KeyArray = npt.NDArray[np.uint32]
CountArray = npt.NDArray[np.float32]
ValueArray = npt.NDArray[np.float32]
HashArray = npt.NDArray[np.uint64]


def _unescape_bytes(match: re.Match[str]) -> str:
    # Some crawled corpora carry emoji as literal "\xf0\x9f\x98\x84"; real posts carry the emoji.
    raw = bytes(int(part, 16) for part in match.group(0).split("\\x")[1:])
    return " " + raw.decode("utf-8", errors="ignore") + " "


def _mask(match: re.Match[str]) -> str:
    return " url " if match.group(0) == "[url]" else " @user "


def preprocess(text: str) -> str:
    """The cleaned, lower-cased text the n-grams are cut from (stable across releases)."""
    if "&" in text:
        text = html.unescape(text)
    if "\\" in text:
        text = _BYTE_ESCAPES.sub(_unescape_bytes, text).replace("\\n", " ").replace("\\t", " ")
    if not text.isascii():
        # Lone surrogates (broken UTF-16 from some APIs) cannot be encoded: one replacement character each.
        text = _SURROGATE.sub("\ufffd", text)
    text = text.lower()
    # Each pattern runs only when the text can match it: this function is on the scan's hot path.
    if "://" in text or "www." in text:
        text = _URL.sub(" url ", text)
    if "@" in text or "user" in text or "[url]" in text:
        text = _MENTION.sub(_mask, text)
    text = _NUMBER.sub("0", text)  # prices, times and counts share one token: "0 jam", "rp 0"
    text = _REPEAT.sub(r"\1\1", text)  # "bangeeet" and "bangeeeeet" are one word
    return " ".join(text.split())


def _mix(values: HashArray) -> HashArray:
    values = values ^ (values >> _S33)
    values *= _MIX1
    values ^= values >> _S33
    values *= _MIX2
    values ^= values >> _S33
    return values


def word_hashes(clean: str) -> HashArray:
    """Unmixed 64-bit hashes of the word 1..``WORD_ORDER``-grams of a cleaned text."""
    tokens = _TOKEN.findall(clean)
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    uni = np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint64, count=len(tokens))
    parts = [uni]
    gram = uni
    for order in range(2, WORD_ORDER + 1):
        if len(uni) < order:
            break
        gram = gram[:-1] * _MULT + (uni[order - 1 :] ^ _WORD_SALTS[order - 2])
        parts.append(gram)
    return np.concatenate(parts) if len(parts) > 1 else uni


def char_hashes(clean: str) -> HashArray:
    """Unmixed 64-bit rolling polynomial hashes of the character n-grams of `` clean `` (orders ``CHAR_ORDERS``)."""
    codes = np.frombuffer(f" {clean} ".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    rolling = codes
    for order in range(2, CHAR_ORDERS[-1] + 1):
        if len(codes) < order:
            break
        rolling = rolling[:-1] * _MULT + codes[order - 1 :]
        if order in CHAR_ORDERS:
            parts.append(rolling ^ _ORDER_SALTS[order])
    if CHAR_ORDERS[0] == 1:
        parts.append(codes ^ _ORDER_SALTS[1])
    if not parts:
        return np.empty(0, dtype=np.uint64)
    return np.concatenate(parts)


def buckets(clean: str) -> KeyArray:
    """The bucket of every n-gram occurrence of a cleaned text (words first, unsorted)."""
    word = word_hashes(clean)
    hashed = _mix(np.concatenate((word, char_hashes(clean))))
    out = hashed & _CHAR_MASK
    out[: len(word)] &= _WORD_MASK
    out[len(word) :] += np.uint64(WORD_BUCKETS)
    return out.astype(np.uint32)


def extract(text: str) -> tuple[KeyArray, CountArray]:
    """Sorted unique buckets of ``text`` and how many n-grams fell into each."""
    ordered = np.sort(buckets(preprocess(text)))
    if len(ordered) == 0:
        return ordered, np.empty(0, dtype=np.float32)
    # np.unique does the same, with more overhead than the work itself for a few hundred n-grams.
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.empty(len(starts), dtype=np.float32)
    np.subtract(starts[1:], starts[:-1], out=counts[:-1], casting="unsafe")
    counts[-1] = len(ordered) - starts[-1]
    return ordered[starts], counts


def weigh(keys: KeyArray, counts: CountArray) -> ValueArray:
    """Sublinear tf (1 + log count), the word and the char group each scaled to unit L2 norm."""
    values = np.log(counts)
    values += np.float32(1.0)
    split = int(np.searchsorted(keys, np.uint32(WORD_BUCKETS)))  # keys are sorted: words first, then chars
    squares = values * values
    word = float(squares[:split].sum())
    char = float(squares[split:].sum())
    if word:
        values[:split] /= np.float32(np.sqrt(word))
    if char:
        values[split:] /= np.float32(np.sqrt(char))
    return values


def vector(text: str) -> tuple[KeyArray, ValueArray]:
    """Sorted unique buckets of ``text`` and their normalised values: the input of every model."""
    keys, counts = extract(text)
    return keys, weigh(keys, counts)
