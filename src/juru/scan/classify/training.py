"""Training of the shipped classifiers (scikit-learn, a dev dependency; never imported at run time).

Pipeline per model: the shared feature vector (``features.vector``: hashed word and char n-grams,
sublinear tf, each group L2-normalised) -> idf per bucket -> one or more *members*, each a
one-vs-rest linear SVM on the word buckets, the char buckets or both, optionally on naive-Bayes
log-count-ratio scaled features (Wang & Manning 2012) -> a multinomial logistic regression on the
members' stacked scores, which both ensembles and calibrates them. Every step is linear up to the
softmax, so idf, NB ratios, members and calibration fold into one weight block: inference is one
row gather by bucket and a softmax. Stratified k-fold CV gives the reported figures; the calibration and
the finding thresholds used on each test fold are fitted on the other folds' out-of-fold scores.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from juru.scan.classify.features import FEATURES_VERSION, WORD_BUCKETS, KeyArray, ValueArray, vector
from juru.scan.classify.model import FloatArray, Head

Features = list[tuple[KeyArray, ValueArray]]
Labels = npt.NDArray[np.str_]


@dataclass(frozen=True)
class Member:
    """One linear model of an ensemble: which bucket group it reads ("wc", "w" or "c") and its settings."""

    groups: str = "wc"
    c: float = 0.3
    naive_bayes: bool = False
    balanced: bool = False
    loss: str = "svm"  # "svm" (hinge, LinearSVC) or "logistic" (LogisticRegression)


@dataclass(frozen=True)
class Hyper:
    """Model settings (chosen by CV on the development data and then fixed)."""

    members: tuple[Member, ...] = (Member(),)
    min_df: int = 2
    max_features: int = 250_000


@dataclass(frozen=True)
class Thresholded:
    """A task answered by this model: its score is the summed probability of ``classes``."""

    task: str
    classes: tuple[str, ...]


@dataclass
class Fitted:
    """An uncalibrated fit: vocabulary, the members' weights side by side, and their scores on held-out rows."""

    keys: KeyArray
    weights: FloatArray  # (keys, members x columns), idf and NB scaling folded in
    bias: FloatArray
    scores: FloatArray = field(default_factory=lambda: np.empty((0, 0), dtype=np.float32))


def featurise(texts: Sequence[str]) -> Features:
    """Features for every text, exactly as inference computes them."""
    return [vector(text) for text in texts]


def build_vocabulary(feats: Features, hyper: Hyper) -> tuple[KeyArray, FloatArray]:
    """Keys seen in at least ``min_df`` texts (the most frequent ``max_features``) and their smoothed idf."""
    keys, df = np.unique(np.concatenate([k for k, _ in feats]), return_counts=True)
    keep = df >= hyper.min_df
    keys, df = keys[keep], df[keep]
    if len(keys) > hyper.max_features:
        top = np.sort(np.argsort(-df, kind="stable")[: hyper.max_features])
        keys, df = keys[top], df[top]
    idf = np.log((1.0 + len(feats)) / (1.0 + df)) + 1.0
    return keys.astype(np.uint32), idf.astype(np.float32)


def matrix(feats: Features, keys: KeyArray) -> Any:
    """A CSR matrix of the texts' feature values restricted to ``keys`` (what inference gathers)."""
    from scipy import sparse

    lengths = np.fromiter((len(k) for k, _ in feats), dtype=np.intp, count=len(feats))
    all_keys = np.concatenate([k for k, _ in feats]) if feats else np.empty(0, np.uint32)
    all_values = np.concatenate([v for _, v in feats]) if feats else np.empty(0, np.float32)
    rows = np.repeat(np.arange(len(feats)), lengths)
    if len(keys) == 0:
        return sparse.csr_matrix((len(feats), 0), dtype=np.float32)
    idx = np.minimum(np.searchsorted(keys, all_keys), len(keys) - 1)
    hit = keys[idx] == all_keys
    return sparse.csr_matrix((all_values[hit], (rows[hit], idx[hit])), shape=(len(feats), len(keys)), dtype=np.float32)


def _nb_ratio(x: Any, positive: npt.NDArray[np.bool_]) -> FloatArray:
    p = np.asarray(x[positive].sum(axis=0)).ravel() + 1.0
    q = np.asarray(x[~positive].sum(axis=0)).ravel() + 1.0
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)


def _columns(classes: Sequence[str]) -> list[str]:
    # A binary model (false/true) scores the positive class only.
    return [classes[1]] if len(classes) == 2 else list(classes)


def fit(feats: Features, y: Labels, classes: Sequence[str], hyper: Hyper, test: Features | None = None) -> Fitted:
    """Every member's one-vs-rest SVMs; their weights (idf and NB folded in) side by side."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    keys, idf = build_vocabulary(feats, hyper)
    x = matrix(feats, keys)
    is_char = keys >= np.uint32(WORD_BUCKETS)
    columns = _columns(classes)
    weights = np.zeros((len(keys), len(hyper.members) * len(columns)), dtype=np.float32)
    bias = np.zeros(weights.shape[1], dtype=np.float32)
    for m, member in enumerate(hyper.members):
        group = (
            np.ones(len(keys), dtype=bool) if member.groups == "wc" else (is_char if member.groups == "c" else ~is_char)
        )
        base = (idf * group).astype(np.float32)
        xm = x @ sparse.diags(base)
        for j, name in enumerate(columns):
            positive = y == name
            scale = base * _nb_ratio(xm, positive) if member.naive_bayes else base
            weighting = "balanced" if member.balanced else None
            svm: Any = (
                LinearSVC(C=member.c, class_weight=weighting, max_iter=5000)
                if member.loss == "svm"
                else LogisticRegression(C=member.c, class_weight=weighting, solver="liblinear", max_iter=2000)
            )
            svm.fit(x @ sparse.diags(scale), positive.astype(np.int8))
            weights[:, m * len(columns) + j] = svm.coef_.ravel() * scale
            bias[m * len(columns) + j] = float(svm.intercept_[0])
    fitted = Fitted(keys, weights, bias)
    if test is not None:
        fitted.scores = np.asarray(matrix(test, keys) @ weights + bias, dtype=np.float32)
    return fitted


def _calibrator(scores: FloatArray, y: Labels, classes: Sequence[str]) -> tuple[FloatArray, FloatArray]:
    """A (members x columns, columns) matrix and offset mapping stacked SVM scores to calibrated logits."""
    from sklearn.linear_model import LogisticRegression

    if len(classes) == 2:
        lr = LogisticRegression(C=100.0, max_iter=2000).fit(scores, (y == classes[1]).astype(np.int8))
        return lr.coef_.T.astype(np.float32), lr.intercept_.astype(np.float32)
    lr = LogisticRegression(C=100.0, max_iter=3000).fit(scores, y)
    order = [list(lr.classes_).index(name) for name in classes]
    return lr.coef_[order].T.astype(np.float32), lr.intercept_[order].astype(np.float32)


def probabilities(logits: FloatArray) -> FloatArray:
    """Class probabilities from calibrated logits (one column = the logit of the positive class)."""
    if logits.shape[1] == 1:
        p = 1.0 / (1.0 + np.exp(-logits[:, 0]))
        return np.stack([1.0 - p, p], axis=1).astype(np.float32)
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
    raw = np.zeros((len(y), len(hyper.members) * len(_columns(classes))), dtype=np.float32)
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for k, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        started = time.perf_counter()
        fitted = fit([feats[i] for i in train], y[train], classes, hyper, test=[feats[i] for i in test])
        raw[test] = fitted.scores
        folds[test] = k
        log(f"  fold {k + 1}/{n_folds}: {time.perf_counter() - started:.1f}s")
    probs = np.zeros((len(y), len(classes)), dtype=np.float32)
    thresholds = {t.task: np.zeros(len(y), dtype=np.float32) for t in tasks}
    for k in range(n_folds):
        inside, outside = folds == k, folds != k
        a, c = _calibrator(raw[outside], y[outside], classes)
        probs[inside] = probabilities(raw[inside] @ a + c)
        other = probabilities(raw[outside] @ a + c)
        for t in tasks:
            cols = [list(classes).index(name) for name in t.classes]
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
) -> tuple[Head, KeyArray, FloatArray]:
    """Fit on everything, fold the calibration (fitted on all OOF scores) into the weights, set thresholds."""
    fitted = fit(feats, y, classes, hyper)
    a, c = _calibrator(cv.raw, y, classes)
    oof = probabilities(cv.raw @ a + c)
    thresholds = {}
    for t in tasks:
        cols = [list(classes).index(n) for n in t.classes]
        thresholds[t.task] = best_threshold(oof[:, cols].sum(axis=1), np.isin(y, t.classes))
    hyper_meta = {
        "members": [m.__dict__ for m in hyper.members],
        "min_df": hyper.min_df,
        "max_features": hyper.max_features,
    }
    meta = dict(meta, features=FEATURES_VERSION, hyper=hyper_meta, vocabulary=int(len(fitted.keys)))
    weights = (fitted.weights @ a).astype(np.float32)
    bias = (fitted.bias @ a + c).astype(np.float32)
    used = np.any(weights != 0, axis=1)
    head = Head(name=name, classes=tuple(classes), start=0, bias=bias, thresholds=thresholds, meta=meta)
    return head, fitted.keys[used], weights[used]
