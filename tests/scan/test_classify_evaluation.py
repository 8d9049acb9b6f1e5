"""Held-out split, calibration figures, label offsets and fold averaging of the training pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from juru.scan.classify.datasets import held_out
from juru.scan.classify.evaluation import calibration
from juru.scan.classify.model import Head, ModelError, Stack, build_stack
from juru.scan.classify.training import Fitted, adjusted_labels, averaged, label_offsets


def test_held_out_part_is_one_in_five_and_keeps_copies_of_a_text_together() -> None:
    texts = [f"pesan nomor {i} tentang layanan" for i in range(5000)]
    share = sum(held_out(t) for t in texts) / len(texts)
    assert 0.18 < share < 0.22
    for text in texts[:200]:
        assert held_out(text) == held_out("  " + text.upper().replace(" ", "   ") + "\n")


def test_calibration_figures_tell_honest_from_overconfident_probabilities() -> None:
    rng = np.random.default_rng(0)
    n = 20_000
    p_true = rng.uniform(0.5, 1.0, n).astype(np.float32)
    correct = rng.random(n) < p_true
    y = np.where(correct, "a", "b")
    honest = np.stack([p_true, 1 - p_true], axis=1)
    overconfident = np.stack([np.full(n, 0.99), np.full(n, 0.01)], axis=1).astype(np.float32)
    good, bad = calibration(y, honest, ("a", "b")), calibration(y, overconfident, ("a", "b"))
    assert good["ece"] < 0.02
    assert bad["ece"] > 0.2
    assert good["brier"] < bad["brier"]


def _rare_class_probabilities() -> tuple[np.ndarray, np.ndarray]:
    # The rare class "c" is under-predicted: its probability is high on its rows but rarely the largest.
    rng = np.random.default_rng(1)
    y = np.array(["a"] * 600 + ["b"] * 350 + ["c"] * 50)
    probs = np.full((len(y), 3), 0.1, dtype=np.float32)
    probs[y == "a", 0] += 0.6
    probs[y == "b", 1] += 0.6
    probs[y == "c", 0] += 0.35
    probs[y == "c", 2] += 0.3
    probs += rng.uniform(0, 0.05, probs.shape).astype(np.float32)
    return probs / probs.sum(axis=1, keepdims=True), y


def test_label_offsets_recover_a_rare_class_the_argmax_never_predicts() -> None:
    probs, y = _rare_class_probabilities()
    classes = ("a", "b", "c")
    offsets = label_offsets(probs, y, classes)
    assert offsets[0] == 0.0
    plain = adjusted_labels(probs, np.zeros(3, dtype=np.float32))
    shifted = adjusted_labels(probs, offsets)
    assert not np.any(plain == 2)
    assert np.mean(shifted[y == "c"] == 2) > 0.8


def test_a_head_applies_its_offsets_to_the_label_only() -> None:
    head = Head("x", ("a", "b", "c"), 0, np.zeros(3, dtype=np.float32), offsets=(0.0, 0.0, 0.5))
    probs = [0.45, 0.2, 0.35]
    assert head.label(probs) == "c"
    assert Head("x", ("a", "b", "c"), 0, np.zeros(3, dtype=np.float32)).label(probs) == "a"


def test_offsets_survive_saving_and_must_match_the_classes(tmp_path: Path) -> None:
    head = Head("x", ("a", "b", "c"), 0, np.zeros(3, dtype=np.float32), offsets=(0.0, -0.25, 0.5))
    build_stack([(head, np.array([1], dtype=np.uint32), np.ones((1, 3), dtype=np.float32))]).save(tmp_path)
    assert Stack.load(tmp_path).heads["x"].offsets == (0.0, -0.25, 0.5)
    meta = json.loads((tmp_path / "meta.json").read_text())
    meta["heads"][0]["offsets"] = [0.0, 1.0]
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="offsets"):
        Stack.load(tmp_path)


def test_the_average_of_fold_models_scores_the_mean_of_their_scores() -> None:
    one = Fitted(np.array([1, 4], dtype=np.uint32), np.array([[2.0], [4.0]], dtype=np.float32), np.array([1.0]))
    two = Fitted(np.array([4, 9], dtype=np.uint32), np.array([[0.0], [6.0]], dtype=np.float32), np.array([3.0]))
    mean = averaged([one, two])
    assert mean.keys.tolist() == [1, 4, 9]
    np.testing.assert_allclose(mean.weights.ravel(), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(mean.bias, [2.0])
