"""``juru classify``: the DESIGN.md section 5.2 contract, bad lines, and the licence switch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from juru.scan.classify_cli import main


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], *args: str) -> tuple[int, list[dict]]:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main([*args, str(source)])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_sentiment_output_has_label_and_three_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(
        tmp_path,
        capsys,
        [json.dumps({"id": "1", "text": "pelayanan buruk , saya kecewa sekali"})],
        "--task",
        "sentiment",
    )
    assert code == 0
    assert out[0]["id"] == "1"
    assert out[0]["label"] == "negative"
    assert set(out[0]["scores"]) == {"positive", "neutral", "negative"}
    assert set(out[0]) == {"id", "label", "scores"}


def test_abusive_output_is_boolean_with_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.dumps({"id": "2", "text": "shut up you stupid bitch", "lang": "en"})]
    code, out = _run(tmp_path, capsys, lines, "--task", "abusive")
    assert code == 0
    assert out == [{"id": "2", "label": True, "score": out[0]["score"]}]
    assert 0.5 < out[0]["score"] <= 1.0


def test_bad_lines_get_an_error_and_the_run_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        "{not json",
        json.dumps({"id": "a"}),
        json.dumps({"id": "b", "text": 5}),
        json.dumps(["a list"]),
        json.dumps({"id": "c", "text": "halo", "lang": "fr"}),
        json.dumps({"id": "d", "text": "senang sekali hari ini"}),
    ]
    code, out = _run(tmp_path, capsys, lines, "--task", "emotion")
    assert code == 0
    assert len(out) == 6
    assert all("error" in o for o in out[:5])
    assert out[1]["id"] == "a"
    assert out[4]["id"] == "c"
    assert out[5]["id"] == "d"
    assert "label" in out[5]


def test_language_comes_from_the_record_then_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.dumps({"id": "1", "text": "i am angry", "lang": "en"}), json.dumps({"id": "2", "text": "i am angry"})]
    code, out = _run(tmp_path, capsys, lines, "--task", "emotion", "--lang", "id")
    assert code == 0
    assert set(out[0]["scores"]) == {"anger", "happy", "sadness"}  # English model
    assert set(out[1]["scores"]) == {"anger", "fear", "happy", "love", "sadness"}  # Indonesian model


def test_noncommercial_off_is_refused_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "1", "text": "dasar bodoh"}) + "\n", encoding="utf-8")
    assert main(["--task", "abusive", "--lang", "id", str(source)]) == 2
    assert "non-commercial" in capsys.readouterr().err


def test_noncommercial_off_gives_error_lines_for_those_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    lines = [
        json.dumps({"id": "1", "text": "dasar bodoh", "lang": "id"}),
        json.dumps({"id": "2", "text": "you idiot", "lang": "en"}),
    ]
    code, out = _run(tmp_path, capsys, lines, "--task", "abusive")
    assert code == 0
    assert "non-commercial" in out[0]["error"]
    assert isinstance(out[1]["label"], bool)


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--task", "hate", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err
