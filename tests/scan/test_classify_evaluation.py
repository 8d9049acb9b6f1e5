"""The held-out protocol's pieces: a fixed stratified split, calibration figures, the baseline's labels."""

from __future__ import annotations

import numpy as np
import pytest

from juru.scan.classify.evaluation import calibration, held_out_rows, label_headline

pytest.importorskip("sklearn")


def test_the_held_out_fifth_is_fixed_and_stratified() -> None:
    y = np.asarray(["a"] * 800 + ["b"] * 200)
    rows = held_out_rows(y)
    assert len(rows) == 200
    assert np.array_equal(rows, held_out_rows(y))  # the same rows on every run
    assert np.array_equal(rows, np.sort(rows))
    assert int(np.sum(y[rows] == "b")) == 40


def test_calibration_is_zero_for_honest_probabilities_and_large_for_overconfident_ones() -> None:
    y = np.asarray(["yes", "no"] * 50)
    honest = np.asarray([[0.0, 1.0], [1.0, 0.0]] * 50)  # classes ("no", "yes"), always right and sure
    assert calibration(y, honest, ("no", "yes")) == {"ece": 0.0, "brier": 0.0}
    wrong = honest[:, ::-1]
    assert calibration(y, wrong, ("no", "yes"))["ece"] == pytest.approx(1.0)


def test_headline_of_a_binary_task_is_the_f1_of_true() -> None:
    y = np.asarray(["true", "true", "false", "false"])
    pred = np.asarray(["true", "false", "false", "true"])
    assert label_headline("hate-id", y, pred, ("false", "true")) == {"f1": 0.5}
