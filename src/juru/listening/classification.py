"""Language and the four shipped classifiers for incoming mentions, a batch at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from juru.scan.classify import TASKS, Prediction, classify_texts, model_lang, unavailable_reason
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


def _labels(lang: str, found: dict[str, Prediction]) -> Labels:
    """One text's labels from its predictions; a task that cannot run (e.g. non-commercial models off) is unset."""
    sentiment, emotion, abusive, hate = (found.get(task) for task in ("sentiment", "emotion", "abusive", "hate"))
    name = str(sentiment.label) if sentiment else "neutral"
    return Labels(
        lang=lang,
        sentiment=name,
        sentiment_score=float(sentiment.scores.get(name, 0.0)) if sentiment else 0.0,
        emotion=str(emotion.label) if emotion else "",
        abusive=bool(abusive and abusive.label is True),
        abusive_score=float(abusive.score) if abusive else 0.0,
        hate=bool(hate and hate.label is True),
        hate_score=float(hate.score) if hate else 0.0,
    )


def label_all(texts: Sequence[str]) -> list[Labels]:
    """Labels for each text, in order: the texts of one model language are scored together, every task at once."""
    cut = [text[:MAX_CLASSIFIED_CHARS] for text in texts]
    langs = [detect_language(text) for text in cut]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, lang in enumerate(langs):
        groups[model_lang(lang)].append(index)
    found: list[dict[str, Prediction]] = [{} for _ in cut]
    for model, indices in groups.items():
        tasks = [task for task in TASKS if unavailable_reason(task, model) is None]
        if not tasks:
            continue
        predictions = classify_texts([cut[i] for i in indices], model, tasks)
        for task, rows in predictions.items():
            for index, prediction in zip(indices, rows, strict=True):
                found[index][task] = prediction
    return [_labels(lang, predictions) for lang, predictions in zip(langs, found, strict=True)]
