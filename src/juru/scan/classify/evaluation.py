"""Cross-validated figures for a model spec (training and ``bench/quality.py``; needs scikit-learn)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from juru.scan.classify.training import CrossValidation, Labels


def _f1(truth: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = float(np.sum(truth & pred))
    precision = tp / max(float(pred.sum()), 1.0)
    recall = tp / max(float(truth.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _multiclass(y: Labels, pred: np.ndarray, classes: Sequence[str]) -> dict[str, Any]:
    per_class = {name: _f1(y == name, pred == name)["f1"] for name in classes}
    return {
        "macro_f1": round(float(np.mean(list(per_class.values()))), 4),
        "accuracy": round(float(np.mean(y == pred)), 4),
        "per_class_f1": per_class,
    }


def metrics(
    y: Labels,
    cv: CrossValidation,
    classes: Sequence[str],
    tasks: Sequence[Any],
    override: str | None = None,
) -> dict[str, Any]:
    """Macro-F1/accuracy of the argmax label, F1 of each task's flag at its cross-fitted threshold."""
    names = np.asarray(classes)
    result: dict[str, Any] = {"n": len(y)}
    if len(classes) > 2:
        result["argmax"] = _multiclass(y, names[cv.probs.argmax(axis=1)], classes)
    for task in tasks:
        cols = [list(classes).index(n) for n in task.classes]
        score = cv.probs[:, cols].sum(axis=1)
        flag = _f1(np.isin(y, task.classes), score >= cv.thresholds[task.task])
        flag["threshold_mean"] = round(float(cv.thresholds[task.task].mean()), 4)
        result[task.task] = flag
    if override:
        j = list(classes).index(override)
        rest = cv.probs.copy()
        rest[:, j] = -1.0
        pred = names[rest.argmax(axis=1)]
        pred[cv.probs[:, j] >= cv.thresholds[_task_for(tasks, override)]] = override
        result["with_threshold"] = _multiclass(y, pred, classes)
    return result


def _task_for(tasks: Sequence[Any], name: str) -> str:
    for task in tasks:
        if tuple(task.classes) == (name,):
            return str(task.task)
    raise KeyError(name)


def headline(name: str, result: dict[str, Any]) -> dict[str, float]:
    """The figures quoted against the targets in DESIGN.md section 6."""
    if name == "offensive-en":
        rule = result["with_threshold"]
        return {"macro_f1": rule["macro_f1"], "hate_f1": rule["per_class_f1"]["hate"]}
    if name in ("abusive-id", "hate-id"):
        task = "abusive" if name == "abusive-id" else "hate"
        return {"f1": result[task]["f1"]}
    return {"macro_f1": result["argmax"]["macro_f1"]}


Log = Callable[[str], None]
