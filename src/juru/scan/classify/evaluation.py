"""Cross-validated figures for a model spec (training and ``bench/quality.py``; needs scikit-learn)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
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


# The fixed evaluation part of each development set (issue 11): one stratified fifth, always the same rows.
HELD_OUT_SEED = 20261207
HELD_OUT_FRACTION = 0.2
CV_SEED = 0  # the fold split of every cross-validation (training, held-out protocol, bench)
CALIBRATION_BINS = 15


def held_out_rows(y: Labels) -> np.ndarray:
    """Sorted row indices of the stratified held-out fifth of a development set (fixed seed)."""
    from sklearn.model_selection import StratifiedShuffleSplit

    splitter = StratifiedShuffleSplit(n_splits=1, test_size=HELD_OUT_FRACTION, random_state=HELD_OUT_SEED)
    _, test = next(splitter.split(np.zeros(len(y)), y))
    return np.sort(test)


def calibration(y: Labels, probs: np.ndarray, classes: Sequence[str]) -> dict[str, float]:
    """Expected calibration error of the top label (equal-width bins) and the multi-class Brier score."""
    onehot = (np.asarray(y)[:, None] == np.asarray(classes)[None, :]).astype(np.float64)
    brier = float(np.mean(np.sum((probs - onehot) ** 2, axis=1)))
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == onehot.argmax(axis=1)
    bins = np.minimum((confidence * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    ece = 0.0
    for b in range(CALIBRATION_BINS):
        inside = bins == b
        if inside.any():
            ece += float(inside.mean()) * abs(float(confidence[inside].mean()) - float(correct[inside].mean()))
    return {"ece": round(ece, 4), "brier": round(brier, 4)}


def label_headline(name: str, y: Labels, pred: np.ndarray, classes: Sequence[str]) -> dict[str, float]:
    """The headline figures of predicted labels (the label a user sees, or a task's flag as true/false)."""
    if name in ("abusive-id", "hate-id"):
        return {"f1": _f1(y == "true", pred == "true")["f1"]}
    scores = _multiclass(y, pred, classes)
    if name == "offensive-en":
        return {"macro_f1": scores["macro_f1"], "hate_f1": scores["per_class_f1"]["hate"]}
    return {"macro_f1": scores["macro_f1"]}


def tfidf_baseline(train: Sequence[str], y_train: Labels, test: Sequence[str], class_weight: str | None) -> np.ndarray:
    """Labels of the plain TF-IDF baseline: word 1-2 + char_wb 2-5 n-grams, sublinear tf, linear SVM (C = 1)."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    x_train = sparse.hstack([words.fit_transform(train), chars.fit_transform(train)]).tocsr()
    x_test = sparse.hstack([words.transform(test), chars.transform(test)]).tocsr()
    svm = LinearSVC(C=1.0, class_weight=class_weight, max_iter=5000, random_state=0).fit(x_train, y_train)
    return np.asarray(svm.predict(x_test))


def bootstrap(
    name: str, y: Labels, ours: np.ndarray, theirs: np.ndarray, classes: Sequence[str], rounds: int = 1000
) -> dict[str, dict[str, float]]:
    """Per headline figure: the 2.5-97.5 % bootstrap interval of ours minus theirs, resampling the same rows."""
    rng = np.random.default_rng(HELD_OUT_SEED)
    gaps: dict[str, list[float]] = {}
    for _ in range(rounds):
        rows = rng.integers(0, len(y), len(y))
        a = label_headline(name, y[rows], ours[rows], classes)
        b = label_headline(name, y[rows], theirs[rows], classes)
        for figure in a:
            gaps.setdefault(figure, []).append(a[figure] - b[figure])
    return {
        figure: {
            "low": round(float(np.percentile(v, 2.5)), 4),
            "high": round(float(np.percentile(v, 97.5)), 4),
            "above_share": round(float(np.mean(np.asarray(v) > 0)), 3),
        }
        for figure, v in gaps.items()
    }


def stored_probabilities(stack: Any, head: Any, texts: Sequence[str]) -> np.ndarray:
    """Class probabilities of ``texts`` exactly as the runtime computes them from a stack (int16 weights)."""
    from juru.scan.classify.features import vector

    rows = [head.proba(stack.logits(*vector(text))) for text in texts]
    return np.asarray(rows, dtype=np.float64).reshape(len(texts), len(head.classes))


def shown_labels(spec: Any, head: Any, probs: np.ndarray) -> np.ndarray:
    """The label a user sees: a binary task's flag at its threshold, else the argmax (Davidson: hate by threshold)."""
    names = np.asarray(head.classes)
    if head.binary:
        task = spec.tasks[0].task
        return np.where(probs[:, 1] >= head.thresholds.get(task, 0.5), "true", "false")
    if spec.override:
        j = list(head.classes).index(spec.override)
        rest = probs.copy()
        rest[:, j] = -1.0
        pred = names[rest.argmax(axis=1)]
        pred[probs[:, j] >= head.thresholds[_task_for(spec.tasks, spec.override)]] = spec.override
        return pred
    return names[probs.argmax(axis=1)]


def held_out_evaluation(spec: Any, root: Path) -> tuple[dict[str, Any], list[int]]:
    """The recipe and the baseline trained on 80 %, scored on the held-out 20 %."""
    from juru.scan.classify import datasets
    from juru.scan.classify.model import build_stack
    from juru.scan.classify.training import cross_validate, featurise, final_model

    started = time.perf_counter()
    texts, labels = spec.loader(root)
    y = np.asarray(labels)
    test = held_out_rows(y)
    held = np.zeros(len(y), dtype=bool)
    held[test] = True
    train_texts = [t for t, h in zip(texts, held, strict=True) if not h]
    test_texts = [texts[i] for i in test]
    y_train, y_test = y[~held], y[held]
    targets = {k: np.asarray(v, dtype=bool)[~held] for k, v in (spec.targets(root) if spec.targets else {}).items()}
    # The project's own supplement texts join our training side only: the baseline is the plain recipe on the 80 %.
    extra_texts, extra_labels = datasets.supplement(spec.name)
    ours_y = np.concatenate((y_train, np.asarray(extra_labels, dtype=y.dtype)))
    feats = featurise(train_texts + extra_texts)
    cv = cross_validate(
        feats, ours_y, spec.classes, spec.hyper, spec.tasks, seed=CV_SEED, log=lambda _: None, targets=targets
    )
    head, keys, block = final_model(spec.name, feats, ours_y, spec.classes, spec.hyper, cv, spec.tasks, {})
    stack = build_stack([(head, keys, block)])
    head = stack.heads[spec.name]
    probs = stored_probabilities(stack, head, test_texts)
    ours = shown_labels(spec, head, probs)
    variants = {
        weighting or "unweighted": tfidf_baseline(train_texts, y_train, test_texts, weighting)
        for weighting in (None, "balanced")
    }
    scored = {key: label_headline(spec.name, y_test, pred, spec.classes) for key, pred in variants.items()}
    best = max(scored, key=lambda key: sum(scored[key].values()))
    result = {
        "train": int(len(y_train)),
        "supplement": len(extra_texts),
        "held_out": int(len(y_test)),
        "ours": label_headline(spec.name, y_test, ours, spec.classes),
        "baseline": scored[best],
        "baseline_class_weight": best,
        "baseline_variants": scored,
        "cv_headline": headline(spec.name, metrics(ours_y, cv, spec.classes, spec.tasks, spec.override)),
        "gap_bootstrap": bootstrap(spec.name, y_test, ours, variants[best], spec.classes),
        "calibration": calibration(y_test, probs, spec.classes),
        "thresholds": {k: round(v, 4) for k, v in head.thresholds.items()},
        "seconds": round(time.perf_counter() - started),
    }
    return result, [int(i) for i in test]
