"""``juru train --data``: an organisation's own labelled file, with clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from juru.scan.classify.model import Head, Stack
from juru.scan.train_cli import TrainError, install, main, read_labelled


def test_csv_without_text_and_label_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("tweet,class\nhalo,1\n", encoding="utf-8")
    with pytest.raises(TrainError, match="text and label"):
        read_labelled(path)


def test_jsonl_with_a_bad_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "own.jsonl"
    path.write_text('{"text": "a", "label": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(TrainError, match="own.jsonl:2"):
        read_labelled(path)


def test_empty_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "own.jsonl"
    path.write_text('{"text": "", "label": "x"}\n', encoding="utf-8")
    with pytest.raises(TrainError, match="record 1"):
        read_labelled(path)


def test_binary_task_rejects_other_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "own.csv"
    path.write_text("text,label\nhalo,maybe\nhai,1\n", encoding="utf-8")
    assert main(["--task", "abusive", "--lang", "id", "--data", str(path), "--out", str(tmp_path)]) == 2
    assert "maybe" in capsys.readouterr().err


def test_own_data_trains_a_model_that_replaces_the_shipped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sklearn")
    rude = ["produk sampah penipu", "admin tolol lambat", "dasar penipu sampah", "kalian bodoh sekali"]
    kind = ["terima kasih admin", "produk bagus sekali", "pengiriman cepat mantap", "pelayanan ramah sekali"]
    path = tmp_path / "own.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(10):
            for text in rude:
                handle.write(json.dumps({"text": f"{text} {i}", "label": "yes"}) + "\n")
            for text in kind:
                handle.write(json.dumps({"text": f"{text} {i}", "label": "no"}) + "\n")
    out = tmp_path / "models"
    assert main(["--task", "abusive", "--lang", "id", "--data", str(path), "--out", str(out)]) == 0
    assert (out / "abusive-id" / "weights.npy").is_file()
    monkeypatch.setenv("JURU_MODELS_DIR", str(out))
    from juru.scan.classify import classify

    assert classify("abusive", "dasar admin penipu", "id").label is True
    assert classify("abusive", "terima kasih, pengiriman cepat", "id").label is False
    capsys.readouterr()


def _head(name: str, bias: float) -> tuple[Head, np.ndarray, np.ndarray]:
    head = Head(name, ("false", "true"), 0, np.array([bias], dtype=np.float32), {"abusive": 0.5})
    return head, np.array([5, 9], dtype=np.uint32), np.array([[1.0], [2.0]], dtype=np.float32)


def test_retraining_one_model_keeps_the_other_heads_of_its_stack(tmp_path: Path) -> None:
    install(tmp_path, *_head("a", 0.5))
    install(tmp_path, *_head("b", 1.0))
    head, keys, block = _head("a", -2.0)
    stack = install(tmp_path, head, keys, block * 3)
    reloaded = Stack.load(tmp_path)
    assert sorted(reloaded.heads) == ["a", "b"] == sorted(stack.heads)
    assert float(reloaded.heads["a"].bias[0]) == -2.0
    # Weights are stored as int16 with a float scale per column: equal to within 1/65534 of the column's largest.
    np.testing.assert_allclose(reloaded.head_weights("a")[1].ravel(), [3.0, 6.0], rtol=1e-4)
    np.testing.assert_allclose(reloaded.head_weights("b")[1].ravel(), [1.0, 2.0], rtol=1e-4)


def test_a_stale_stack_is_replaced_not_merged(tmp_path: Path) -> None:
    (tmp_path / "meta.json").write_text('{"features": "old", "heads": []}', encoding="utf-8")
    stack = install(tmp_path, *_head("a", 0.0))
    assert list(Stack.load(tmp_path).heads) == list(stack.heads) == ["a"]


def test_a_trained_model_scores_new_texts_exactly_as_training_did(tmp_path: Path) -> None:
    # The shipped path (bucket gather over float16 weights) must reproduce the scikit-learn fit's scores.
    pytest.importorskip("sklearn")
    from juru.scan.classify.features import vector
    from juru.scan.classify.training import Hyper, Member, featurise, fit, with_norm

    rude = ["produk sampah penipu", "admin tolol lambat", "dasar penipu sampah", "kalian bodoh sekali"]
    kind = ["terima kasih admin", "produk bagus sekali", "pengiriman cepat mantap", "pelayanan ramah sekali"]
    texts = [f"{t} {i}" for i in range(6) for t in rude + kind]
    y = np.asarray((["true"] * 4 + ["false"] * 4) * 6)
    unseen = ["admin penipu bodoh", "terima kasih, cepat sekali 👍", "kata yang belum pernah muncul"]
    fitted = fit(featurise(texts), y, ("false", "true"), Hyper(members=(Member("wc"),), min_df=1), featurise(unseen))
    head = Head("t", ("false", "true"), 0, fitted.bias, norm=True)
    stack = install(tmp_path, head, fitted.keys, with_norm(fitted.weights, fitted.idf))
    for text, expected in zip(unseen, fitted.scores[:, 0], strict=True):
        keys, values = vector(text)
        assert float(stack.logits(keys, values)[0] + fitted.bias[0]) == pytest.approx(float(expected), abs=2e-3)
    batch = stack.batch_logits([vector(text) for text in [*unseen, ""]])
    assert batch[:3, 0] + fitted.bias[0] == pytest.approx(fitted.scores[:, 0], abs=2e-3)
    assert batch[3, 0] == 0.0
