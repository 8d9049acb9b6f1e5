"""``juru train --data``: an organisation's own labelled file, with clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from juru.scan.train_cli import TrainError, main, read_labelled


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
