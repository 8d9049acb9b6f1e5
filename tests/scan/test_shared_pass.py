"""One word pass per text: the scanner's shared pass gives every word list exactly its own hits."""

from __future__ import annotations

import pytest

from juru.scan.lexicon import SHARED_PASS_KEY, LexiconMatcher, PhraseSet, SharedPass, lexicon_files
from juru.scan.normalise import prepare
from juru.scan.scanner import Scanner
from juru.scan.text import PreparedText

TEXTS = [
    "Promo spesial! Diskon 50% pakai kode HEMAT20, link di bio #iklan",
    "gue kesel banget sama bos gue, lembur lagi wkwk... bangsat",
    "Views are my own. I work for TelkoNusa and my boss is great",
    "class assignment: passing the assessment",  # "ass" only inside words
    "a n j i n g, f*ck, 4nj1ng banget",
    "",
]


def _owners() -> tuple[PhraseSet, PhraseSet, LexiconMatcher]:
    promo = PhraseSet({"promo": ["diskon", "link di bio", "promo"], "tag": ["#iklan", "ad"]}, slang=True)
    mood = PhraseSet({"mood": ["kesel banget", "bos gue", "my boss"], "work": ["i work for", "lembur"]}, slang=True)
    return promo, mood, LexiconMatcher(lexicon_files(True), slang=True)


def _with_pass(text: str, shared: SharedPass) -> PreparedText:
    prepared = prepare(text)
    prepared.cache[SHARED_PASS_KEY] = shared
    return prepared


@pytest.mark.parametrize("text", TEXTS)
def test_each_word_list_gets_exactly_its_own_hits(text: str) -> None:
    promo, mood, lexicon = _owners()
    shared = SharedPass([promo, mood, lexicon])
    alone, together = prepare(text), _with_pass(text, shared)
    assert promo.hits(together) == promo.hits(alone)
    assert mood.hits(together) == mood.hits(alone)
    assert lexicon.matches(together) == lexicon.matches(alone)


def test_a_word_list_outside_the_pass_searches_on_its_own() -> None:
    promo, mood, _ = _owners()
    shared = SharedPass([promo])
    text = TEXTS[1]
    assert shared.hits_for(mood, prepare(text)) is None
    assert mood.hits(_with_pass(text, shared)) == mood.hits(prepare(text))
    assert set(mood.hits(prepare(text))) == {"mood", "work"}


def test_the_scanner_puts_every_detector_word_list_in_one_pass() -> None:
    scanner = Scanner(classifiers=False)
    shared = scanner.prepare_text("halo", None).cache[SHARED_PASS_KEY]
    word_lists = {id(owner) for step, _ in scanner._steps for owner in getattr(step, "word_lists", ())}
    assert {id(owner) for owner in shared.owners} == word_lists
    assert len(word_lists) >= 5  # lexicons, org terms, brand safety, voice, disclosure
