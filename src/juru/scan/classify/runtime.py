"""Which model answers which task in which language, loaded lazily once per process.

Shipped models live in ``juru/scan/models/`` (permissive training data) and
``juru/scan/data/noncommercial/models/`` (CC BY-NC-SA training data, switched off with
``JURU_NONCOMMERCIAL_MODELS=false``). A directory named by ``JURU_MODELS_DIR`` holding a model
of the same name (written by ``juru train --data``) takes precedence over the shipped one.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from juru.scan.classify.features import CountArray, KeyArray, extract
from juru.scan.classify.model import LinearModel, ModelError
from juru.scan.licensing import NONCOMMERCIAL_DIR, noncommercial_enabled

TASKS = ("sentiment", "emotion", "abusive", "hate")
LANGS = ("id", "en")
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
NONCOMMERCIAL_MODELS_DIR = NONCOMMERCIAL_DIR / "models"
CUSTOM_DIR_ENV = "JURU_MODELS_DIR"


@dataclass(frozen=True, slots=True)
class Route:
    """The model behind a (task, language) and the classes whose probability is the task's score."""

    model: str
    noncommercial: bool
    flag: tuple[str, ...]
    binary: bool


ROUTES: dict[tuple[str, str], Route] = {
    ("sentiment", "id"): Route("sentiment-id", False, ("negative",), False),
    ("sentiment", "en"): Route("sentiment-en", True, ("negative",), False),
    ("emotion", "id"): Route("emotion-id", False, ("anger",), False),
    ("emotion", "en"): Route("emotion-en", False, ("anger",), False),
    ("abusive", "id"): Route("abusive-id", True, ("true",), True),
    ("abusive", "en"): Route("offensive-en", False, ("hate", "offensive"), True),
    ("hate", "id"): Route("hate-id", True, ("true",), True),
    ("hate", "en"): Route("offensive-en", False, ("hate",), True),
}


class UnavailableError(Exception):
    """No model may answer this task in this language (missing, or non-commercial and switched off)."""


@dataclass(frozen=True, slots=True)
class Prediction:
    """One classified text: per-class probabilities, the task's score and label, and the finding threshold."""

    task: str
    lang: str
    model: str
    scores: dict[str, float]
    score: float
    threshold: float
    label: str | bool

    @property
    def flagged(self) -> bool:
        """True when the score reaches the calibrated threshold stored with the model."""
        return self.score >= self.threshold


_lock = threading.Lock()
_cache: dict[Path, LinearModel] = {}
_local = threading.local()


def model_lang(lang: str | None) -> str:
    """The model language for a detected language: mixed Indonesian-English posts use the Indonesian model."""
    return "en" if lang == "en" else "id"


def _directory(route: Route) -> Path:
    custom = os.environ.get(CUSTOM_DIR_ENV)
    if custom and (Path(custom) / route.model / "meta.json").is_file():
        return Path(custom) / route.model
    return (NONCOMMERCIAL_MODELS_DIR if route.noncommercial else MODELS_DIR) / route.model


def route_for(task: str, lang: str) -> Route | None:
    """The route for ``task`` in ``lang``: an organisation's own ``<task>-<lang>`` model first, then the shipped one."""
    lang = model_lang(lang)
    custom = os.environ.get(CUSTOM_DIR_ENV)
    if task in TASKS and custom and (Path(custom) / f"{task}-{lang}" / "meta.json").is_file():
        binary = task in ("abusive", "hate")
        flag = ("true",) if binary else (ROUTES[(task, lang)].flag[0],)
        return Route(f"{task}-{lang}", False, flag, binary)
    return ROUTES.get((task, lang))


def unavailable_reason(task: str, lang: str, noncommercial: bool | None = None) -> str | None:
    """Why ``task`` cannot run for ``lang`` (None when it can); ``noncommercial`` defaults to the switch."""
    route = route_for(task, lang)
    if route is None:
        return f"unknown task {task!r}; choose one of {', '.join(TASKS)}"
    allowed = noncommercial_enabled() if noncommercial is None else noncommercial
    if route.noncommercial and not allowed:
        return (
            f"the {task} model for {model_lang(lang)!r} is trained on non-commercial (CC BY-NC-SA) data "
            "and JURU_NONCOMMERCIAL_MODELS is off"
        )
    if not (_directory(route) / "meta.json").is_file():
        return f"the {task} model for {model_lang(lang)!r} is not installed (run `juru train`)"
    return None


def load(task: str, lang: str, noncommercial: bool | None = None) -> tuple[Route, LinearModel]:
    """The route and model for ``task`` in ``lang``; raises ``UnavailableError`` with a reason."""
    reason = unavailable_reason(task, lang, noncommercial)
    if reason:
        raise UnavailableError(reason)
    route = route_for(task, lang)
    assert route is not None  # checked by unavailable_reason
    directory = _directory(route)
    model = _cache.get(directory)
    if model is None:
        with _lock:
            model = _cache.get(directory)
            if model is None:
                try:
                    model = LinearModel.load(directory)
                except ModelError as exc:
                    raise UnavailableError(str(exc)) from exc
                _cache[directory] = model
    return route, model


def features(text: str) -> tuple[KeyArray, CountArray]:
    """Features of ``text``; the last text's features are kept per thread so four detectors share them."""
    last = getattr(_local, "last", None)
    if last is not None and last[0] == text:
        return last[1]  # type: ignore[no-any-return]
    result = extract(text)
    _local.last = (text, result)
    return result


def classify(task: str, text: str, lang: str, noncommercial: bool | None = None) -> Prediction:
    """Classify one text for ``task`` with the model for ``lang`` ("mixed" uses Indonesian)."""
    route, model = load(task, lang, noncommercial)
    keys, counts = features(text)
    probs = model.predict_proba(keys, counts)
    scores = {name: float(p) for name, p in zip(model.classes, probs)}
    score = sum(scores.get(name, 0.0) for name in route.flag)
    threshold = model.thresholds.get(task, 0.5)
    label: str | bool = score >= threshold if route.binary else model.classes[int(probs.argmax())]
    return Prediction(task, model_lang(lang), model.name, scores, score, threshold, label)
