"""Text classifiers: hashed n-gram features and linear models run in numpy only (no pickle, no sklearn)."""

from __future__ import annotations

from juru.scan.classify.runtime import (
    LANGS,
    TASKS,
    Prediction,
    UnavailableError,
    classify,
    classify_texts,
    load,
    model_lang,
    unavailable_reason,
)

__all__ = [
    "LANGS",
    "TASKS",
    "Prediction",
    "UnavailableError",
    "classify",
    "classify_texts",
    "load",
    "model_lang",
    "unavailable_reason",
]
