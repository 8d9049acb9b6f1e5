"""Language and the four shipped classifiers for incoming mentions, a batch at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from juru.scan.classify import Prediction, UnavailableError, classify
from juru.scan.lang import detect_language

MAX_CLASSIFIED_CHARS = 5000  # a 10,000-character comment is judged on its opening


@dataclass(frozen=True, slots=True)
class Labels:
    """What the classifiers say about one text."""

    lang: str
    sentiment: str
    sentiment_score: float
    emotion: str
    abusive: bool
    abusive_score: float
    hate: bool
    hate_score: float


def _label(text: str) -> Labels:
    lang = detect_language(text)
    try:
        sentiment = classify("sentiment", text, lang)
        name, score = str(sentiment.label), float(sentiment.scores.get(str(sentiment.label), 0.0))
    except UnavailableError:  # e.g. non-commercial models switched off for English
        name, score = "neutral", 0.0
    emotion = _optional("emotion", text, lang)
    abusive = _optional("abusive", text, lang)
    hate = _optional("hate", text, lang)
    return Labels(
        lang=lang,
        sentiment=name,
        sentiment_score=score,
        emotion=str(emotion.label) if emotion else "",
        abusive=bool(abusive and abusive.label is True),
        abusive_score=float(abusive.score) if abusive else 0.0,
        hate=bool(hate and hate.label is True),
        hate_score=float(hate.score) if hate else 0.0,
    )


def _optional(task: str, text: str, lang: str) -> Prediction | None:
    try:
        return classify(task, text, lang)
    except UnavailableError:
        return None


def label_all(texts: Sequence[str]) -> list[Labels]:
    """Labels for each text, in order (each text's features are extracted once for all four tasks)."""
    return [_label(text[:MAX_CLASSIFIED_CHARS]) for text in texts]
