"""Linear models over hashed n-grams, stacked per language and licence, stored as plain arrays + JSON.

A model directory holds ``weights.npy`` (int16, one row per feature bucket, ``N_BUCKETS`` rows,
one column per class of every head side by side; a binary head has one column, the logit of
``true``) and ``meta.json`` (the heads: name, classes, columns, bias, thresholds, provenance; and
``scale``, the float factor of each weight column). Scoring a text for every head is one row
gather by bucket number + one vector-matrix product + one scaling: no key lookup. Arrays are
memory-mapped, so processes share the pages and nothing is unpickled.

Format 2 (``"format": 2`` in ``meta.json``): a head trained on TF-IDF rows (``"norm": true``) owns one
more column after its scores, the squared idf of each bucket in its vocabulary. The features hold sublinear
tf with each group at unit norm; the model read idf-weighted rows re-normalised per group, so its scores
are the word and the char products each divided by that group's norm of ``tf * idf``, which the extra
column gives from the same gather. Heads without it (format 1) are scored as before.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from juru.scan.classify.features import FEATURES_VERSION, N_BUCKETS, WORD_BUCKETS, KeyArray, ValueArray

FloatArray = npt.NDArray[np.float32]
StoredArray = npt.NDArray[np.int16]
# Half the size of float32 and, unlike float16, converted by SIMD code: each column is scaled so its largest
# weight is 32767, which keeps every weight within 1/65534 of that maximum (far below model noise).
STORED_DTYPE = np.int16
_QMAX = 32767.0
FORMAT = 2
IndexArray = npt.NDArray[np.intp]


class ModelError(Exception):
    """A model directory is missing, incomplete or built for other features."""


@dataclass(frozen=True)
class Head:
    """One classifier inside a stack: its classes, its columns of the weights, bias and thresholds."""

    name: str
    classes: tuple[str, ...]
    start: int
    bias: FloatArray
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    norm: bool = False  # scores divided by the group norms of tf * idf (the column after the scores holds idf^2)

    @property
    def binary(self) -> bool:
        """Classes false/true, stored as one column (the logit of true)."""
        return self.classes == ("false", "true")

    @property
    def width(self) -> int:
        """How many weight columns the head owns."""
        return 1 if self.binary else len(self.classes)

    @property
    def stored_width(self) -> int:
        """Columns in the weight matrix: the scores, and the squared idf when the head is normalised."""
        return self.width + (1 if self.norm else 0)

    def proba(self, logits: FloatArray) -> list[float]:
        """Class probabilities (in the order of ``classes``) from the stack's logits row."""
        # A handful of classes: plain floats are several times faster than numpy calls here.
        z = [float(v) + float(b) for v, b in zip(logits[self.start : self.start + self.width], self.bias, strict=True)]
        if self.binary:
            p = 1.0 / (1.0 + math.exp(-z[0])) if z[0] > -700.0 else 0.0
            return [1.0 - p, p]
        top = max(z)
        exps = [math.exp(v - top) for v in z]
        total = sum(exps)
        return [e / total for e in exps]

    def to_json(self) -> dict[str, Any]:
        """The head's entry in ``meta.json``."""
        return dict(
            self.meta,
            name=self.name,
            classes=list(self.classes),
            start=self.start,
            bias=[round(float(b), 6) for b in self.bias],
            thresholds={k: round(float(v), 4) for k, v in self.thresholds.items()},
            **({"norm": True} if self.norm else {}),
        )


@dataclass(frozen=True)
class Stack:
    """Heads sharing one dense weight matrix indexed by feature bucket (same language, same licence)."""

    weights: StoredArray
    scale: FloatArray
    heads: dict[str, Head]
    meta: dict[str, Any] = field(default_factory=dict)
    # The squared-idf column of each normalised head, and per weight column which of them divides it
    # (len(norm_columns): none).
    norm_columns: IndexArray = field(init=False, repr=False, compare=False)
    norm_of: IndexArray = field(init=False, repr=False, compare=False)
    norm_spans: list[tuple[int, int]] = field(init=False, repr=False, compare=False)
    scale_list: list[float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        normed = [h for h in self.heads.values() if h.norm]
        columns = np.asarray([h.start + h.width for h in normed], dtype=np.intp)
        norm_of = np.full(self.weights.shape[1], len(normed), dtype=np.intp)
        for i, h in enumerate(normed):
            norm_of[h.start : h.start + h.width] = i
        object.__setattr__(self, "norm_spans", [(h.start, h.start + h.width) for h in normed])
        object.__setattr__(self, "norm_columns", columns)
        object.__setattr__(self, "norm_of", norm_of)
        object.__setattr__(self, "scale_list", [float(v) for v in self.scale])

    @classmethod
    def load(cls, directory: Path) -> Stack:
        """Read a directory written by ``save`` (arrays memory-mapped, read-only)."""
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            # Plain ndarray views of the memory maps: the np.memmap subclass slows every lookup down.
            weights = np.asarray(np.load(directory / "weights.npy", mmap_mode="r", allow_pickle=False))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load model from {directory}: {exc}") from exc
        if meta.get("features") != FEATURES_VERSION:
            raise ModelError(f"{directory} was built for features {meta.get('features')!r}, not {FEATURES_VERSION!r}")
        try:
            heads = {
                h["name"]: Head(
                    name=str(h["name"]),
                    classes=tuple(h["classes"]),
                    start=int(h["start"]),
                    bias=np.asarray(h["bias"], dtype=np.float32),
                    thresholds={k: float(v) for k, v in h.get("thresholds", {}).items()},
                    meta={k: v for k, v in h.items() if k not in _HEAD_KEYS},
                    norm=bool(h.get("norm", False)),
                )
                for h in meta["heads"]
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{directory}/meta.json: bad head entry ({exc})") from exc
        width = sum(h.stored_width for h in heads.values())
        try:
            scale = np.asarray(meta["scale"], dtype=np.float32)
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{directory}/meta.json: missing or bad column scale ({exc})") from exc
        if weights.dtype != STORED_DTYPE or weights.shape != (N_BUCKETS, width) or scale.shape != (width,):
            raise ModelError(f"{directory}: weights.npy does not match the feature buckets and the heads in meta.json")
        if any(h.start < 0 or h.start + h.stored_width > width or len(h.bias) != h.width for h in heads.values()):
            raise ModelError(f"{directory}/meta.json: head columns out of range")
        if int(meta.get("format", 1)) > FORMAT:
            raise ModelError(f"{directory} needs a newer Juru (model format {meta['format']}, this one reads {FORMAT})")
        rest = {k: v for k, v in meta.items() if k not in ("heads", "features", "scale", "format")}
        return cls(weights=weights, scale=scale, heads=heads, meta=rest)

    def save(self, directory: Path) -> None:
        """Write ``weights.npy`` (int16) and ``meta.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        # Each file is replaced atomically: running processes keep reading the old, memory-mapped copy.
        _replace(directory / "weights.npy", np.ascontiguousarray(self.weights, dtype=STORED_DTYPE))
        (directory / "keys.npy").unlink(missing_ok=True)  # left over from the sorted-key format
        meta = dict(
            self.meta,
            features=FEATURES_VERSION,
            format=FORMAT,
            scale=[float(v) for v in self.scale],
            heads=[h.to_json() for h in self.heads.values()],
        )
        tmp = directory / "meta.json.tmp"
        tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, directory / "meta.json")

    def logits(self, keys: KeyArray, values: ValueArray) -> FloatArray:
        """Every head's scores before bias and link, as one row: one gather by bucket and one product per group."""
        if len(keys) == 0:
            return np.zeros(self.weights.shape[1], dtype=np.float32)
        # np.take is several times faster than fancy indexing for a few hundred rows.
        rows = np.take(self.weights, keys, axis=0)
        if not len(self.norm_columns):
            return np.asarray((values @ rows) * self.scale, dtype=np.float32)
        split = int(np.searchsorted(keys, np.uint32(WORD_BUCKETS)))  # sorted keys: words first, then chars
        # Word values, char values and their squares as four rows of one matrix: a single product gives
        # both groups' scores and, in each normalised head's squared-idf column, both groups' norms.
        groups = np.zeros((4, len(keys)), dtype=np.float32)
        groups[0, :split] = values[:split]
        groups[1, split:] = values[split:]
        np.multiply(groups[:2], groups[:2], out=groups[2:])
        word, char, word_sq, char_sq = (groups @ rows).tolist()
        # One text and a few columns: plain floats beat small-array numpy calls here.
        scale = self.scale_list
        out = [(w + c) * f for w, c, f in zip(word, char, scale, strict=True)]
        for start, end in self.norm_spans:
            word_factor = _inverse_root_of(word_sq[end] * scale[end])
            char_factor = _inverse_root_of(char_sq[end] * scale[end])
            for column in range(start, end):
                out[column] = (word[column] * word_factor + char[column] * char_factor) * scale[column]
        return np.asarray(out, dtype=np.float32)

    def batch_logits(self, vectors: Sequence[tuple[KeyArray, ValueArray]]) -> FloatArray:
        """``logits`` of many texts, one row each: one gather of every text's buckets and segmented sums."""
        out = np.zeros((len(vectors), self.weights.shape[1]), dtype=np.float32)
        lengths = np.fromiter((len(k) for k, _ in vectors), dtype=np.intp, count=len(vectors))
        filled = np.flatnonzero(lengths)
        if len(filled) == 0:
            return out
        keys = np.concatenate([k for k, _ in vectors])  # empty texts add nothing
        values = np.concatenate([v for _, v in vectors])
        rows = np.take(self.weights, keys, axis=0)
        starts = np.concatenate(([0], np.cumsum(lengths[filled])[:-1]))
        if not len(self.norm_columns):
            out[filled] = np.add.reduceat(rows * values[:, None], starts, axis=0) * self.scale
            return out
        is_char = keys >= np.uint32(WORD_BUCKETS)
        word = np.where(is_char, np.float32(0.0), values)
        char = np.where(is_char, values, np.float32(0.0))
        norms = rows[:, self.norm_columns]
        out[filled] = self._normalised(
            np.add.reduceat(rows * word[:, None], starts, axis=0),
            np.add.reduceat(rows * char[:, None], starts, axis=0),
            np.add.reduceat(norms * (word * word)[:, None], starts, axis=0),
            np.add.reduceat(norms * (char * char)[:, None], starts, axis=0),
        )
        return out

    def _normalised(self, word: Any, char: Any, word_sq: Any, char_sq: Any) -> FloatArray:
        """Scores per text from each group's product, divided by the group's tf-idf norm for normalised heads."""
        ones = np.ones((word.shape[0], 1))
        scale = self.scale[self.norm_columns]
        word_inv = np.hstack((_inverse_root(word_sq * scale), ones))[:, self.norm_of]
        char_inv = np.hstack((_inverse_root(char_sq * scale), ones))[:, self.norm_of]
        return np.asarray((word * word_inv + char * char_inv) * self.scale, dtype=np.float32)

    def head_weights(self, name: str) -> tuple[KeyArray, FloatArray]:
        """One head's buckets and weight columns (rows where it has any weight), for rebuilding a stack."""
        head = self.heads[name]
        columns = slice(head.start, head.start + head.stored_width)
        block = np.asarray(self.weights[:, columns])
        used = np.flatnonzero(np.any(block != 0, axis=1))
        return used.astype(np.uint32), (block[used] * self.scale[columns]).astype(np.float32)


_HEAD_KEYS = ("name", "classes", "start", "bias", "thresholds", "norm")


def _inverse_root(squares: Any) -> Any:
    # A text with no bucket of a group in the model's vocabulary has no norm there: that group adds nothing.
    roots = np.sqrt(np.maximum(squares, 0.0))
    return np.divide(1.0, roots, out=np.zeros_like(roots, dtype=np.float64), where=roots > 0)


def _inverse_root_of(square: float) -> float:
    return 1.0 / math.sqrt(square) if square > 0.0 else 0.0


def _replace(path: Path, array: npt.NDArray[Any]) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        np.save(handle, array, allow_pickle=False)
    os.replace(tmp, path)


def build_stack(parts: list[tuple[Head, KeyArray, FloatArray]], meta: dict[str, Any] | None = None) -> Stack:
    """Stack heads (each with its own buckets and weight block) side by side in one dense matrix."""
    width = sum(h.stored_width for h, _, _ in parts)
    weights = np.zeros((N_BUCKETS, width), dtype=np.float32)
    heads: dict[str, Head] = {}
    start = 0
    for head, head_keys, block in parts:
        if len(head_keys) and int(np.max(head_keys)) >= N_BUCKETS:
            raise ModelError(f"{head.name}: bucket numbers beyond {N_BUCKETS}")
        columns = head.stored_width
        weights[head_keys, start : start + columns] = block.reshape(len(head_keys), columns)
        heads[head.name] = Head(head.name, head.classes, start, head.bias, head.thresholds, head.meta, head.norm)
        start += columns
    peak = np.abs(weights).max(axis=0) if width else np.zeros(0, dtype=np.float32)
    scale = np.where(peak > 0, peak / _QMAX, 1.0).astype(np.float32)
    quantised = np.rint(weights / scale).astype(STORED_DTYPE)
    return Stack(weights=quantised, scale=scale, heads=heads, meta=meta or {})
