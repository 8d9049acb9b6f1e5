"""Which model answers which task in which language, loaded lazily once per process.

Shipped models are stacked per language and licence: ``juru/scan/models/<lang>/`` (permissive
training data) and ``juru/scan/data/noncommercial/models/<lang>/`` (CC BY-NC-SA training data,
never loaded with ``JURU_NONCOMMERCIAL_MODELS=false``). All heads of a stack are scored together
from one feature extraction, and the result is kept per thread for the last text, so the four
classifier detectors of a scan cost one extraction and at most two gathers. A directory named by
``JURU_MODELS_DIR`` holding ``<task>-<lang>/`` (written by ``juru train --data``) takes
precedence over the shipped model for that task and language.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from juru.scan.classify.features import KeyArray, ValueArray, vector
from juru.scan.classify.model import FloatArray, Head, ModelError, Stack
from juru.scan.licensing import NONCOMMERCIAL_DIR, noncommercial_enabled

TASKS = ("sentiment", "emotion", "abusive", "hate")
LANGS = ("id", "en")
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
NONCOMMERCIAL_MODELS_DIR = NONCOMMERCIAL_DIR / "models"
CUSTOM_DIR_ENV = "JURU_MODELS_DIR"


@dataclass(frozen=True, slots=True)
class Route:
    """The model (stack head) behind a (task, language) and the classes whose probability is the task's score."""

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
_stacks: dict[Path, Stack] = {}
_found: set[Path] = set()
_loaded: dict[tuple[str, str, bool, str | None], tuple[Route, Stack, Head]] = {}
_local = threading.local()


def model_lang(lang: str | None) -> str:
    """The model language for a detected language: mixed Indonesian-English posts use the Indonesian model."""
    return "en" if lang == "en" else "id"


def stack_dir(lang: str, noncommercial: bool) -> Path:
    """Where the shipped stack for ``lang`` and that licence lives."""
    return (NONCOMMERCIAL_MODELS_DIR if noncommercial else MODELS_DIR) / lang


def _installed(directory: Path) -> bool:
    # Found models are remembered: no file-system call per classified text. Misses are re-checked.
    if directory in _found:
        return True
    if (directory / "meta.json").is_file():
        _found.add(directory)
        return True
    return False


def _custom(task: str, lang: str) -> Path | None:
    custom = os.environ.get(CUSTOM_DIR_ENV)
    if not custom:
        return None
    directory = Path(custom) / f"{task}-{lang}"
    return directory if _installed(directory) else None


def route_for(task: str, lang: str) -> Route | None:
    """The route for ``task`` in ``lang``: an organisation's own ``<task>-<lang>`` model first, then the shipped one."""
    lang = model_lang(lang)
    if task in TASKS and _custom(task, lang) is not None:
        binary = task in ("abusive", "hate")
        flag = ("true",) if binary else (ROUTES[(task, lang)].flag[0],)
        return Route(f"{task}-{lang}", False, flag, binary)
    return ROUTES.get((task, lang))


def _directory(task: str, lang: str, route: Route) -> Path:
    return _custom(task, lang) or stack_dir(lang, route.noncommercial)


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
    if not _installed(_directory(task, model_lang(lang), route)):
        return f"the {task} model for {model_lang(lang)!r} is not installed (run `juru train`)"
    return None


def _stack(directory: Path) -> Stack:
    stack = _stacks.get(directory)
    if stack is None:
        with _lock:
            stack = _stacks.get(directory)
            if stack is None:
                stack = Stack.load(directory)
                _stacks[directory] = stack
    return stack


def load(task: str, lang: str, noncommercial: bool | None = None) -> tuple[Route, Stack, Head]:
    """The route, stack and head for ``task`` in ``lang``; raises ``UnavailableError`` with a reason."""
    allowed = noncommercial_enabled() if noncommercial is None else noncommercial
    key = (task, lang, allowed, os.environ.get(CUSTOM_DIR_ENV))
    found = _loaded.get(key)
    if found is None:
        found = _loaded[key] = _resolve(task, lang, allowed)
    return found


def _resolve(task: str, lang: str, noncommercial: bool) -> tuple[Route, Stack, Head]:
    reason = unavailable_reason(task, lang, noncommercial)
    if reason:
        raise UnavailableError(reason)
    lang = model_lang(lang)
    route = route_for(task, lang)
    assert route is not None  # checked by unavailable_reason
    directory = _directory(task, lang, route)
    try:
        stack = _stack(directory)
    except ModelError as exc:
        raise UnavailableError(str(exc)) from exc
    head = stack.heads.get(route.model)
    if head is None:
        raise UnavailableError(f"{directory} has no model {route.model!r} (run `juru train`)")
    return route, stack, head


def features(text: str) -> tuple[KeyArray, ValueArray]:
    """The feature vector of ``text``; kept per thread for the last text so all tasks share one extraction."""
    if getattr(_local, "text", None) != text:
        _local.text = text
        _local.vector = vector(text)
        _local.logits = {}
    return _local.vector  # type: ignore[no-any-return]


def _logits(text: str, stack: Stack) -> FloatArray:
    keys, values = features(text)
    cached: dict[int, FloatArray] = _local.logits
    row = cached.get(id(stack))
    if row is None:
        row = cached[id(stack)] = stack.logits(keys, values)
    return row


def _prediction(task: str, lang: str, route: Route, head: Head, logits: FloatArray) -> Prediction:
    probs = head.proba(logits)
    scores = dict(zip(head.classes, probs, strict=True))
    score = sum(scores.get(name, 0.0) for name in route.flag)
    threshold = head.thresholds.get(task, 0.5)
    label: str | bool = score >= threshold if route.binary else head.classes[probs.index(max(probs))]
    return Prediction(task, model_lang(lang), head.name, scores, score, threshold, label)


def classify(task: str, text: str, lang: str, noncommercial: bool | None = None) -> Prediction:
    """Classify one text for ``task`` with the model for ``lang`` ("mixed" uses Indonesian)."""
    route, stack, head = load(task, lang, noncommercial)
    return _prediction(task, lang, route, head, _logits(text, stack))


def classify_texts(
    texts: Sequence[str], lang: str, tasks: Sequence[str] = TASKS, noncommercial: bool | None = None
) -> dict[str, list[Prediction]]:
    """Classify many texts of one language for several tasks: one extraction per text, one gather per stack.

    Gives the same predictions as ``classify`` text by text; raises ``UnavailableError`` when a task cannot run.
    """
    loaded = {task: load(task, lang, noncommercial) for task in tasks}
    vectors = [vector(text) for text in texts]
    rows: dict[int, FloatArray] = {}
    for _, stack, _ in loaded.values():
        if id(stack) not in rows:
            rows[id(stack)] = stack.batch_logits(vectors)
    return {
        task: [_prediction(task, lang, route, head, row) for row in rows[id(stack)]]
        for task, (route, stack, head) in loaded.items()
    }
