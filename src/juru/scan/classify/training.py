"""Training of the shipped classifiers (scikit-learn, a dev dependency; never imported at run time).

Pipeline per model: hashed word + char n-grams -> sublinear tf-idf, word and char groups each
L2-normalised -> one-vs-rest linear SVM per class, optionally on naive-Bayes log-count-ratio
scaled features -> a multinomial logistic calibration of the SVM scores, folded into the
weights so inference is one sparse dot product and a softmax. Stratified k-fold CV gives the
reported figures; the calibration and the finding thresholds used on each test fold are fitted
on the other folds' out-of-fold scores only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from juru.scan.classify.features import FEATURES_VERSION, CountArray, KeyArray, extract
from juru.scan.classify.model import FloatArray, LinearModel, tfidf_row

Features = list[tuple[KeyArray, CountArray]]
Labels = npt.NDArray[np.str_]


@dataclass(frozen=True)
class Hyper:
    """Model settings (chosen once by 5-fold CV on the development data and then fixed)."""

    c: float = 0.3
    naive_bayes: bool = False
    balanced: bool = False
    min_df: int = 2
    max_features: int = 250_000


@dataclass(frozen=True)
class Thresholded:
    """A task answered by this model: its score is the summed probability of ``classes``."""

    task: str
    classes: tuple[str, ...]


@dataclass
class Fitted:
    """An uncalibrated fit: vocabulary, idf, OvR weights and the fit's decision scores on held-out rows."""

    keys: KeyArray
    idf: FloatArray
    weights: FloatArray
    bias: FloatArray
    scores: FloatArray = field(default_factory=lambda: np.empty((0, 0), dtype=np.float32))


def featurise(texts: Sequence[str]) -> Features:
    """Features for every text, exactly as inference computes them."""
    return [extract(text) for text in texts]


def build_vocabulary(feats: Features, hyper: Hyper) -> tuple[KeyArray, FloatArray]:
    """Keys seen in at least ``min_df`` texts (the most frequent ``max_features``) and their smoothed idf."""
    keys, df = np.unique(np.concatenate([k for k, _ in feats]), return_counts=True)
    keep = df >= hyper.min_df
    keys, df = keys[keep], df[keep]
    if len(keys) > hyper.max_features:
        top = np.sort(np.argsort(-df, kind="stable")[: hyper.max_features])
        keys, df = keys[top], df[top]
    idf = np.log((1.0 + len(feats)) / (1.0 + df)) + 1.0
    # Stored as float16 in the artifact: train with the rounded values so both sides agree.
    return keys.astype(np.uint32), idf.astype(np.float16).astype(np.float32)


def matrix(feats: Features, keys: KeyArray, idf: FloatArray) -> Any:
    """A CSR matrix of the texts' tf-idf rows, built with the inference code path."""
    from scipy import sparse

    indptr = [0]
    cols: list[npt.NDArray[np.intp]] = []
    vals: list[FloatArray] = []
    for k, c in feats:
        idx, values = tfidf_row(k, c, keys, idf)
        cols.append(idx)
        vals.append(values)
        indptr.append(indptr[-1] + len(idx))
    data = np.concatenate(vals) if vals else np.empty(0, dtype=np.float32)
    indices = np.concatenate(cols) if cols else np.empty(0, dtype=np.intp)
    return sparse.csr_matrix((data, indices, np.asarray(indptr)), shape=(len(feats), len(keys)))


def _nb_ratio(x: Any, positive: npt.NDArray[np.bool_]) -> FloatArray:
    p = np.asarray(x[positive].sum(axis=0)).ravel() + 1.0
    q = np.asarray(x[~positive].sum(axis=0)).ravel() + 1.0
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)


def fit(feats: Features, y: Labels, classes: Sequence[str], hyper: Hyper, test: Features | None = None) -> Fitted:
    """One-vs-rest linear SVMs; a binary model (classes false/true) fits the positive class only."""
    from scipy import sparse
    from sklearn.svm import LinearSVC

    keys, idf = build_vocabulary(feats, hyper)
    x = matrix(feats, keys, idf)
    weights = np.zeros((len(keys), len(classes)), dtype=np.float32)
    bias = np.zeros(len(classes), dtype=np.float32)
    binary = len(classes) == 2
    for j, name in enumerate(classes):
        if binary and j == 0:
            continue
        positive = y == name
        scale = _nb_ratio(x, positive) if hyper.naive_bayes else np.ones(len(keys), dtype=np.float32)
        svm = LinearSVC(C=hyper.c, class_weight="balanced" if hyper.balanced else None, max_iter=5000)
        svm.fit(x @ sparse.diags(scale), positive.astype(np.int8))
        weights[:, j] = svm.coef_.ravel() * scale
        bias[j] = float(svm.intercept_[0])
    fitted = Fitted(keys, idf, weights, bias)
    if test is not None:
        fitted.scores = np.asarray(matrix(test, keys, idf) @ weights + bias, dtype=np.float32)
    return fitted


def _calibrator(scores: FloatArray, y: Labels, classes: Sequence[str]) -> tuple[FloatArray, FloatArray]:
    """A (K, K) matrix and (K,) offset mapping SVM scores to calibrated logits."""
    from sklearn.linear_model import LogisticRegression

    k = len(classes)
    if k == 2:
        lr = LogisticRegression(C=100.0).fit(scores[:, 1:], (y == classes[1]).astype(np.int8))
        matrix_ = np.zeros((k, k), dtype=np.float32)
        matrix_[1, 1] = float(lr.coef_[0, 0])
        return matrix_, np.array([0.0, float(lr.intercept_[0])], dtype=np.float32)
    lr = LogisticRegression(C=100.0, max_iter=2000).fit(scores, y)
    order = [list(lr.classes_).index(name) for name in classes]
    return lr.coef_[order].T.astype(np.float32), lr.intercept_[order].astype(np.float32)


def _softmax(logits: FloatArray) -> FloatArray:
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (z / z.sum(axis=1, keepdims=True)).astype(np.float32)


def best_threshold(score: FloatArray, truth: npt.NDArray[np.bool_]) -> float:
    """The cut on ``score`` that maximises F1 of the positive class."""
    order = np.argsort(-score, kind="stable")
    s, t = score[order], truth[order]
    tp = np.cumsum(t)
    fp = np.cumsum(~t)
    f1 = 2 * tp / (tp + fp + t.sum())
    last = np.r_[s[1:] != s[:-1], True]  # only cut between distinct scores
    f1 = np.where(last, f1, -1.0)
    i = int(f1.argmax())
    nxt = s[i + 1] if i + 1 < len(s) else s[i] - 1e-3
    return float((s[i] + nxt) / 2)


@dataclass
class CrossValidation:
    """Out-of-fold calibrated probabilities, fold ids, and per-row thresholds fitted without the row's fold."""

    probs: FloatArray
    folds: npt.NDArray[np.intp]
    thresholds: dict[str, npt.NDArray[np.float32]]
    raw: FloatArray


def cross_validate(
    feats: Features,
    y: Labels,
    classes: Sequence[str],
    hyper: Hyper,
    tasks: Sequence[Thresholded],
    n_folds: int = 5,
    seed: int = 0,
    log: Callable[[str], None] = print,
) -> CrossValidation:
    """Stratified k-fold CV; calibration and thresholds for fold k are fitted on the other folds' OOF scores."""
    from sklearn.model_selection import StratifiedKFold

    folds = np.zeros(len(y), dtype=np.intp)
    raw = np.zeros((len(y), len(classes)), dtype=np.float32)
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for k, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        started = time.perf_counter()
        fitted = fit([feats[i] for i in train], y[train], classes, hyper, test=[feats[i] for i in test])
        raw[test] = fitted.scores
        folds[test] = k
        log(f"  fold {k + 1}/{n_folds}: {time.perf_counter() - started:.1f}s")
    probs = np.zeros_like(raw)
    thresholds = {t.task: np.zeros(len(y), dtype=np.float32) for t in tasks}
    for k in range(n_folds):
        inside, outside = folds == k, folds != k
        a, c = _calibrator(raw[outside], y[outside], classes)
        probs[inside] = _softmax(raw[inside] @ a + c)
        other = _softmax(raw[outside] @ a + c)
        for t in tasks:
            cols = [classes.index(name) for name in t.classes]
            truth = np.isin(y[outside], t.classes)
            thresholds[t.task][inside] = best_threshold(other[:, cols].sum(axis=1), truth)
    return CrossValidation(probs, folds, thresholds, raw)


def final_model(
    name: str,
    feats: Features,
    y: Labels,
    classes: Sequence[str],
    hyper: Hyper,
    cv: CrossValidation,
    tasks: Sequence[Thresholded],
    meta: dict[str, Any],
) -> LinearModel:
    """Fit on everything, fold the calibration (fitted on all OOF scores) into the weights, set thresholds."""
    fitted = fit(feats, y, classes, hyper)
    a, c = _calibrator(cv.raw, y, classes)
    oof = _softmax(cv.raw @ a + c)
    thresholds = {}
    for t in tasks:
        cols = [list(classes).index(n) for n in t.classes]
        thresholds[t.task] = best_threshold(oof[:, cols].sum(axis=1), np.isin(y, t.classes))
    meta = dict(meta, features=FEATURES_VERSION, hyper=hyper.__dict__, vocabulary=int(len(fitted.keys)))
    return LinearModel(
        name=name,
        classes=tuple(classes),
        keys=fitted.keys,
        idf=fitted.idf,
        weights=(fitted.weights @ a).astype(np.float32),
        bias=(fitted.bias @ a + c).astype(np.float32),
        thresholds=thresholds,
        meta=meta,
    )
