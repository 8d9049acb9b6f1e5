"""Offline language identification for the two languages Juru checks: Indonesian and English.

Short social texts are decided by counting function words (fast, and better than n-gram
models on five-word replies); only texts the count cannot decide go to lingua, built once
per process with Indonesian and English only in low-accuracy mode. Texts with neither signal
are treated as Indonesian, Juru's primary market.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

from juru.scan.limits import LANG_SAMPLE_CHARS
from juru.scan.text import lower_words, valid_unicode

Lang = Literal["id", "en", "mixed"]

ID_STOPWORDS = frozenset(
    """
    yang dan di ke dari ini itu untuk dengan tidak ada akan juga saya kami kita kamu aku anda sudah bisa
    dalam pada atau karena jadi lagi banget aja saja udah belum mau apa kalau kalo tapi tetapi sama buat
    lebih semua hari baru nya ya kak sih dong deh gak ga nggak ngga enggak yg dgn utk sdh tdk gue gw lu
    lo nih tuh kok kan masih sedang telah oleh para bagi setelah sebelum jika agar supaya hanya cuma
    lagi mereka dia beliau kalian bapak ibu mas mbak mohon maaf terima kasih selamat silakan yuk ayo
    biar banyak sangat paling tentang seperti bagaimana kenapa mengapa dimana kapan siapa berapa adalah
    merupakan yaitu tersebut punya sekarang nanti besok kemarin baru cek segera gratis
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
EN_STOPWORDS = frozenset(
    """
    the and is are to of in for with on it this that you i my we our be was were have has had not no at
    by from your will can just so but what all know how here there they them their he she his her its an
    a me do does did don't i'm it's you're we're about get got if or as up out one would should could
    been being than then when where who why which very really more most some any new now today our us
    thanks thank please sorry hi hello yes let's make see find here's check
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# A word in both lists counts as Indonesian only.
_EN_ONLY = EN_STOPWORDS - ID_STOPWORDS


@lru_cache(maxsize=1)
def _lingua() -> Any:
    """The lingua detector restricted to Indonesian and English, built once per process."""
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(Language.INDONESIAN, Language.ENGLISH).with_low_accuracy_mode().build()
    )


def load_model() -> None:
    """Build the detector and load its models now, so the first undecided text does not pay for it (~25 ms)."""
    _lingua().detect_language_of("terima kasih sudah menunggu, thank you for waiting")


def _by_model(text: str) -> Lang:
    # The model reads UTF-8: a lone surrogate (invalid Unicode) would make it raise. Its time grows
    # with the text, and a prefix decides the language as well as the whole.
    detected = _lingua().detect_language_of(valid_unicode(text[:LANG_SAMPLE_CHARS]))
    if detected is None:
        return "id"
    return "en" if detected.name == "ENGLISH" else "id"


def stopword_counts(text: str, words: Sequence[str] | None = None) -> tuple[int, int, int]:
    """Return (Indonesian hits, English hits, words) for ``text`` (``words``: its lowercased words, if known)."""
    if words is None:
        words = lower_words(text.lower())
    id_hits = sum(map(ID_STOPWORDS.__contains__, words))
    en_hits = sum(map(_EN_ONLY.__contains__, words))
    return id_hits, en_hits, len(words)


def detect_language(text: str, words: Sequence[str] | None = None) -> Lang:
    """``"id"``, ``"en"`` or ``"mixed"`` (both languages substantial) for ``text``.

    ``words`` may pass the lowercased words of ``text`` when the caller has them already.
    """
    id_hits, en_hits, count = stopword_counts(text, words)
    hits = id_hits + en_hits
    if count == 0:
        return "id"
    if min(id_hits, en_hits) >= 2 and min(id_hits, en_hits) / hits >= 0.3:
        return "mixed"
    if hits >= 2 and max(id_hits, en_hits) / hits >= 0.7:
        return "id" if id_hits > en_hits else "en"
    if hits == 1 and count <= 4:
        return "id" if id_hits else "en"
    return _by_model(text)
