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
Targets = dict[str, npt.NDArray[np.bool_]]  # auxiliary yes/no labels of the same rows


@dataclass(frozen=True)
class Member:
    """One linear model of an ensemble: which bucket group it reads ("wc", "w" or "c") and its settings."""

    groups: str = "wc"
    c: float = 0.3
    naive_bayes: bool = False
    balanced: bool = False
    loss: str = "svm"  # "svm" (hinge, LinearSVC) or "logistic" (LogisticRegression)
    # An auxiliary yes/no label of the same texts (e.g. Ibrohim's Abusive column for hate speech): the member is
    # one binary model for it, a direction the stacked calibration may use for the real classes.
    target: str = ""


@dataclass(frozen=True)
class Hyper:
    """Model settings (chosen by CV on the development data and then fixed)."""

    members: tuple[Member, ...] = (Member(),)
    min_df: int = 2
    max_features: int = 250_000
    # "average": ship the mean of the cross-validation fold models, the very models whose out-of-fold scores
    # the calibration and thresholds were fitted on; "refit": one more fit on all rows, whose scores run
    # larger than the folds' and so drift from that calibration.
    final: str = "average"


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
    idf: FloatArray = field(default_factory=lambda: np.empty(0, dtype=np.float32))
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


def normalised(x: Any, keys: KeyArray, idf: FloatArray) -> Any:
    """TF-IDF rows: idf applied, then the word and the char group each scaled to unit L2 norm (as inference does)."""
    from scipy import sparse

    weighted = (x @ sparse.diags(idf)).tocsr()
    is_char = (keys >= np.uint32(WORD_BUCKETS)).astype(np.float32)
    squares = weighted.multiply(weighted)
    char_norm = np.sqrt(np.asarray(squares @ is_char).ravel())
    word_norm = np.sqrt(np.asarray(squares @ (1.0 - is_char)).ravel())
    inverse = lambda n: np.divide(1.0, n, out=np.zeros_like(n), where=n > 0)  # noqa: E731
    rows = np.repeat(np.arange(weighted.shape[0]), np.diff(weighted.indptr))
    chars = is_char[weighted.indices] > 0
    factor = np.where(chars, inverse(char_norm)[rows], inverse(word_norm)[rows]).astype(np.float32)
    weighted.data *= factor
    return weighted


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


def _member_columns(member: Member, classes: Sequence[str]) -> list[str]:
    return [member.target] if member.target else _columns(classes)


def width(hyper: Hyper, classes: Sequence[str]) -> int:
    """How many score columns the members produce side by side."""
    return sum(len(_member_columns(m, classes)) for m in hyper.members)


def fit(
    feats: Features,
    y: Labels,
    classes: Sequence[str],
    hyper: Hyper,
    test: Features | None = None,
    vocabulary: tuple[KeyArray, FloatArray] | None = None,
    targets: Targets | None = None,
) -> Fitted:
    """Every member's one-vs-rest SVMs; their weights (idf and NB folded in) side by side.

    The members read TF-IDF rows (``normalised``): idf first, then each group's L2 norm, so the stored
    weights hold idf and inference divides by the norm (``Stack.logits``, from the head's idf column).
    """
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    keys, idf = vocabulary or build_vocabulary(feats, hyper)
    x = normalised(matrix(feats, keys), keys, idf)
    is_char = keys >= np.uint32(WORD_BUCKETS)
    weights = np.zeros((len(keys), width(hyper, classes)), dtype=np.float32)
    bias = np.zeros(weights.shape[1], dtype=np.float32)
    column = 0
    for member in hyper.members:
        group = (
            np.ones(len(keys), dtype=bool) if member.groups == "wc" else (is_char if member.groups == "c" else ~is_char)
        )
        base = group.astype(np.float32)
        xm = x @ sparse.diags(base)
        for name in _member_columns(member, classes):
            positive = (targets or {})[name] if member.target else y == name
            scale = base * _nb_ratio(xm, positive) if member.naive_bayes else base
            weighting = "balanced" if member.balanced else None
            svm: Any = (
                LinearSVC(C=member.c, class_weight=weighting, max_iter=5000, random_state=0)
                if member.loss == "svm"
                else LogisticRegression(
                    C=member.c, class_weight=weighting, solver="liblinear", max_iter=2000, random_state=0
                )
            )
            svm.fit(x @ sparse.diags(scale), positive.astype(np.int8))
            weights[:, column] = svm.coef_.ravel() * scale * idf
            bias[column] = float(svm.intercept_[0])
            column += 1
    fitted = Fitted(keys, weights, bias, idf)
    if test is not None:
        x_test = normalised(matrix(test, keys), keys, idf)
        fitted.scores = np.asarray(x_test @ (weights / idf[:, None]) + bias, dtype=np.float32)
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
    fits: list[Fitted] = field(default_factory=list)
    vocabulary: tuple[KeyArray, FloatArray] | None = None
    targets: Targets | None = None


def cross_validate(
    feats: Features,
    y: Labels,
    classes: Sequence[str],
    hyper: Hyper,
    tasks: Sequence[Thresholded],
    n_folds: int = 5,
    seed: int = 0,
    log: Callable[[str], None] = print,
    targets: Targets | None = None,
) -> CrossValidation:
    """Stratified k-fold CV; calibration and thresholds for fold k are fitted on the other folds' OOF scores."""
    from sklearn.model_selection import StratifiedKFold

    folds = np.zeros(len(y), dtype=np.intp)
    raw = np.zeros((len(y), width(hyper, classes)), dtype=np.float32)
    # One vocabulary and idf for every fold (document frequencies only, no label), so fold models can be averaged.
    vocabulary = build_vocabulary(feats, hyper)
    fits: list[Fitted] = []
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for k, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        started = time.perf_counter()
        fitted = fit(
            [feats[i] for i in train],
            y[train],
            classes,
            hyper,
            test=[feats[i] for i in test],
            vocabulary=vocabulary,
            targets={name: values[train] for name, values in (targets or {}).items()},
        )
        raw[test] = fitted.scores
        folds[test] = k
        fitted.scores = np.empty((0, 0), dtype=np.float32)  # only the weights are kept, for averaging
        fits.append(fitted)
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
    return CrossValidation(probs, folds, thresholds, raw, fits, vocabulary, targets)


def averaged(fits: Sequence[Fitted]) -> Fitted:
    """The mean of the fold models (each over its own buckets; a bucket a fold never saw has weight 0 there)."""
    keys = fits[0].keys  # every fold shares the vocabulary built by cross_validate
    weights = (np.sum([f.weights for f in fits], axis=0) / len(fits)).astype(np.float32)
    bias = np.mean([f.bias for f in fits], axis=0).astype(np.float32)
    return Fitted(keys, weights, bias, fits[0].idf)


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
    """The final weights (refit on everything, or the fold models' mean), calibration folded in, thresholds set."""
    fitted = (
        averaged(cv.fits)
        if hyper.final == "average"
        else fit(feats, y, classes, hyper, vocabulary=cv.vocabulary, targets=cv.targets)
    )
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
        "final": hyper.final,
    }
    meta = dict(meta, features=FEATURES_VERSION, hyper=hyper_meta, vocabulary=int(len(fitted.keys)))
    weights = (fitted.weights @ a).astype(np.float32)
    bias = (fitted.bias @ a + c).astype(np.float32)
    head = Head(name=name, classes=tuple(classes), start=0, bias=bias, thresholds=thresholds, meta=meta, norm=True)
    return head, fitted.keys, with_norm(weights, fitted.idf)


def with_norm(weights: FloatArray, idf: FloatArray) -> FloatArray:
    """A normalised head's stored block: its weights and, after them, every vocabulary bucket's squared idf."""
    return np.column_stack((weights, idf * idf)).astype(np.float32)
