"""A linear model over hashed n-grams, stored as plain arrays + JSON and run in numpy only.

Layout of a model directory: ``meta.json`` (classes, bias, thresholds, provenance),
``keys.npy`` (sorted uint32 n-gram keys), ``idf.npy`` and ``weights.npy`` (one row per key,
one column per class). Arrays are memory-mapped, so processes share the pages and nothing
is unpickled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from juru.scan.classify.features import FEATURES_VERSION, CountArray, KeyArray

FloatArray = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.intp]
_CHAR_GROUP = np.uint32(0x80000000)


class ModelError(Exception):
    """A model directory is missing, incomplete or built for other features."""


def tfidf_row(keys: KeyArray, counts: CountArray, vocab: KeyArray, idf: FloatArray) -> tuple[IndexArray, FloatArray]:
    """Columns and values of one text: sublinear tf x idf, word and char groups each L2-normalised."""
    if len(vocab) == 0 or len(keys) == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float32)
    idx = np.searchsorted(vocab, keys)
    np.minimum(idx, len(vocab) - 1, out=idx)
    hit = vocab[idx] == keys
    idx = idx[hit]
    values = (1.0 + np.log(counts[hit])) * np.asarray(idf[idx], dtype=np.float32)
    is_char = keys[hit] >= _CHAR_GROUP
    squares = values * values
    char_norm = float(np.sqrt(squares[is_char].sum()))
    word_norm = float(np.sqrt(squares[~is_char].sum()))
    norms = np.where(is_char, char_norm or 1.0, word_norm or 1.0).astype(np.float32)
    return idx, (values / norms).astype(np.float32)


@dataclass(frozen=True)
class LinearModel:
    """Softmax over ``tfidf(x) @ weights + bias``; calibration is folded into the weights."""

    name: str
    classes: tuple[str, ...]
    keys: KeyArray
    idf: FloatArray
    weights: FloatArray
    bias: FloatArray
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> LinearModel:
        """Read a model directory written by ``save`` (arrays memory-mapped, read-only)."""
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            keys = np.load(directory / "keys.npy", mmap_mode="r", allow_pickle=False)
            idf = np.load(directory / "idf.npy", mmap_mode="r", allow_pickle=False)
            weights = np.load(directory / "weights.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load model from {directory}: {exc}") from exc
        if meta.get("features") != FEATURES_VERSION:
            raise ModelError(f"{directory} was built for features {meta.get('features')!r}, not {FEATURES_VERSION!r}")
        classes = tuple(meta["classes"])
        if weights.shape != (len(keys), len(classes)) or idf.shape != (len(keys),):
            raise ModelError(f"{directory}: array shapes do not match the classes in meta.json")
        return cls(
            name=str(meta["name"]),
            classes=classes,
            keys=keys,
            idf=idf,
            weights=weights,
            bias=np.asarray(meta["bias"], dtype=np.float32),
            thresholds={k: float(v) for k, v in meta.get("thresholds", {}).items()},
            meta=meta,
        )

    def save(self, directory: Path) -> None:
        """Write the arrays (float16 weights and idf to keep the package small) and ``meta.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "keys.npy", np.ascontiguousarray(self.keys, dtype=np.uint32), allow_pickle=False)
        np.save(directory / "idf.npy", np.ascontiguousarray(self.idf, dtype=np.float16), allow_pickle=False)
        np.save(directory / "weights.npy", np.ascontiguousarray(self.weights, dtype=np.float16), allow_pickle=False)
        meta = dict(self.meta)
        meta.update(
            name=self.name,
            features=FEATURES_VERSION,
            classes=list(self.classes),
            bias=[round(float(b), 6) for b in self.bias],
            thresholds={k: round(v, 4) for k, v in self.thresholds.items()},
        )
        (directory / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def logits(self, keys: KeyArray, counts: CountArray) -> FloatArray:
        """Class scores before the softmax."""
        idx, values = tfidf_row(keys, counts, self.keys, self.idf)
        rows = np.asarray(self.weights[idx], dtype=np.float32)
        return (values @ rows + self.bias).astype(np.float32)

    def predict_proba(self, keys: KeyArray, counts: CountArray) -> FloatArray:
        """Class probabilities in the order of ``classes``."""
        scores = self.logits(keys, counts)
        scores = np.exp(scores - scores.max())
        return (scores / scores.sum()).astype(np.float32)
