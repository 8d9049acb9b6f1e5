"""Mentions are labelled a batch at a time, exactly as one by one, in either language and with models switched off."""

from __future__ import annotations

import pytest

from juru.listening.classification import MAX_CLASSIFIED_CHARS, label_all
from juru.scan.classify import UnavailableError, classify
from juru.scan.lang import detect_language

TEXTS = [
    "Anak saya keracunan setelah makan rendang kalian, sekarang dirawat di RS",
    "Terima kasih, pelayanannya ramah sekali dan makanannya enak!",
    "The delivery was late again and the food arrived cold. Very disappointed.",
    "Love the new sambal, great job team!",
    "Promo mantap bro, cek link di bio 👉 slot gacor88",
    "😡😡😡",
    "",
    "mantap jiwa, tapi kok pesanan saya belum dateng ya min",
]


def one_by_one(text: str) -> dict[str, object]:
    lang = detect_language(text[:MAX_CLASSIFIED_CHARS])
    found: dict[str, object] = {"lang": lang}
    for task in ("sentiment", "emotion", "abusive", "hate"):
        try:
            found[task] = classify(task, text[:MAX_CLASSIFIED_CHARS], lang)
        except UnavailableError:
            found[task] = None
    return found


def test_a_mixed_language_batch_gets_the_labels_each_text_gets_alone() -> None:
    labels = label_all(TEXTS)
    assert len(labels) == len(TEXTS)
    for text, label in zip(TEXTS, labels, strict=True):
        alone = one_by_one(text)
        assert label.lang == alone["lang"]
        assert label.sentiment == str(alone["sentiment"].label)  # type: ignore[attr-defined]
        assert label.emotion == str(alone["emotion"].label)  # type: ignore[attr-defined]
        assert label.abusive_score == pytest.approx(alone["abusive"].score, abs=1e-6)  # type: ignore[attr-defined]
        assert label.hate_score == pytest.approx(alone["hate"].score, abs=1e-6)  # type: ignore[attr-defined]


def test_the_complaint_is_negative_in_a_batch_too() -> None:
    assert label_all(TEXTS)[0].sentiment == "negative"


def test_tasks_switched_off_are_left_unset_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    labels = label_all(["Anjing lu, dasar bodoh", "The food was cold and the staff were rude."])
    indonesian, english = labels
    assert (indonesian.abusive, indonesian.abusive_score, indonesian.hate_score) == (False, 0.0, 0.0)
    assert indonesian.sentiment in ("negative", "neutral", "positive")
    assert indonesian.emotion
    assert (english.sentiment, english.sentiment_score) == ("neutral", 0.0)  # the English sentiment model is off


def test_a_very_long_comment_is_judged_on_its_opening() -> None:
    opening = "Pesanan saya basi dan bikin sakit perut, kecewa berat. "
    assert label_all([opening * 400])[0] == label_all([(opening * 400)[:MAX_CLASSIFIED_CHARS]])[0]
