"""``juru scan`` (DESIGN.md §5.1): formats, bad lines, exit codes, schemas, messages."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from juru.scan import cli

ACCEPTANCE = '{"id":"1","text":"Hubungi saya di 0812-3456-7890, NIK 3174014509900002"}\n'
REPO = Path(__file__).resolve().parents[2]


def run(monkeypatch, capsys, argv, data: bytes | str = b""):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_acceptance_jsonl_block_with_phone_and_nik(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers"], ACCEPTANCE)
    assert code == 0
    [result] = lines(out)
    assert result["id"] == "1"
    assert result["verdict"] == "block"
    assert [(h["entity"], h["rule"]) for h in result["hits"]] == [("PHONE", "id-pdp.phone"), ("NIK", "id-pdp.nik")]
    text = json.loads(ACCEPTANCE)["text"]
    assert [text[h["start"] : h["end"]] for h in result["hits"]] == ["0812-3456-7890", "3174014509900002"]
    assert all(h["message"] and h["fix"] and h["citation"] for h in result["hits"])
    jsonschema.validate(result, cli.schemas()["output"])


def test_one_output_line_per_input_line_in_order_and_bad_lines_do_not_stop_the_run(monkeypatch, capsys):
    data = (
        b'{"id": "a", "text": "Selamat pagi"}\n'
        b"{not json}\n"
        b'{"id": "c"}\n'
        b'{"id": "d", "text": 42}\n'
        b"\xff\xfe\x00\x01garbage\n"
        b'{"id": "f", "text": "bad \\ud800 half"}\n'
        b'{"id": "g", "text": "x", "account": "company"}\n'
        b"\n"
        b'{"id": "i", "text": "x", "channel": "story"}\n'
        b"[1, 2]\n"
        b'{"text": "no id here"}\n'
        b'{"id": "l", "text": "Hubungi saya di 0812-3456-7890"}\n'
    )
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers", "--format", "jsonl"], data)
    assert code == 0
    results = lines(out)
    assert len(results) == 12
    assert [r["id"] for r in results] == ["a", None, "c", "d", None, "f", "g", None, "i", None, "11", "l"]
    errors = {i: r["error"] for i, r in enumerate(results) if "error" in r}
    assert sorted(errors) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert "not valid JSON" in errors[1]
    assert "line 2" in errors[1]
    assert "missing required field 'text'" in errors[2]
    assert "'text' must be a string" in errors[3]
    assert "not valid UTF-8" in errors[4]
    assert "unpaired surrogate" in errors[5]
    assert "'account' must be one of" in errors[6]
    assert "empty" in errors[7]
    assert "'channel' must be one of" in errors[8]
    assert "JSON object" in errors[9]
    assert results[0]["verdict"] == "allow"
    assert results[11]["verdict"] == "block"
    for result in results:
        jsonschema.validate(result, cli.schemas()["output"])


def test_huge_text_and_overlong_line_are_errors_and_the_next_line_is_scanned(monkeypatch, capsys):
    monkeypatch.setattr(cli, "MAX_LINE_BYTES", 4096)
    huge = json.dumps({"id": "big", "text": "a" * 10_000})
    long_text = json.dumps({"id": "long", "text": "kata " * 25_000})
    data = f'{huge}\n{{"id": "ok", "text": "halo"}}\n'
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers"], data)
    assert code == 0
    first, second = lines(out)
    assert "longer than 4096 bytes" in first["error"]
    assert second["verdict"] == "allow"
    monkeypatch.setattr(cli, "MAX_LINE_BYTES", 1_000_000)
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers"], long_text + "\n")
    assert "'text' is too long" in lines(out)[0]["error"]


def test_messages_in_english(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, ["--no-classifiers", "--messages", "en"], ACCEPTANCE)
    assert lines(out)[0]["hits"][0]["message"] == "This text contains a person's private phone number."


def test_text_format_with_explain_quotes_span_citation_and_fix(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers", "--format", "text", "--explain"], ACCEPTANCE)
    assert code == 0
    assert "[1] BLOCK" in out
    assert '"0812-3456-7890"' in out
    assert '"3174014509900002"' in out
    assert "id-pdp.nik" in out
    assert "dasar: UU 27/2022" in out
    assert "perbaikan:" in out


def test_text_explain_shows_the_verify_caveat(monkeypatch, capsys):
    data = '{"id": "p", "text": "Nomor paspor saya C4829173, mohon dibantu", "lang": "id"}\n'
    _, out, _ = run(
        monkeypatch, capsys, ["--no-classifiers", "--format", "text", "--explain", "--messages", "en"], data
    )
    assert "id-pdp.passport" in out
    assert "to verify: Indonesian passport number format" in out


def test_a_detector_crash_becomes_an_error_line_and_the_run_goes_on(monkeypatch, capsys):
    from juru.scan.scanner import Scanner

    real = Scanner.scan_record

    def flaky(self, record, **kwargs):
        if record.get("id") == "boom":
            raise RuntimeError("detector exploded")
        return real(self, record, **kwargs)

    monkeypatch.setattr(Scanner, "scan_record", flaky)
    data = '{"id": "boom", "text": "x"}\n{"id": "next", "text": "halo"}\n'
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers"], data)
    first, second = lines(out)
    assert code == 0
    assert first == {"id": "boom", "error": "internal error while scanning: RuntimeError: detector exploded"}
    assert second["verdict"] == "allow"


def test_jsonl_explain_adds_quoted_spans_and_detector_explanations(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, ["--no-classifiers", "--explain"], ACCEPTANCE)
    result = lines(out)[0]
    assert result["hits"][0]["text"] == "0812-3456-7890"
    assert all("explanation" in f for f in result["findings"])
    jsonschema.validate(result, cli.schemas()["output"])


def test_sarif_output_is_a_valid_2_1_0_log(monkeypatch, capsys):
    data = ACCEPTANCE + "{broken\n"
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers", "--format", "sarif"], data)
    assert code == 0
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    assert "sarif" in log["$schema"]
    run_ = log["runs"][0]
    rule_ids = {rule["id"] for rule in run_["tool"]["driver"]["rules"]}
    assert {"id-pdp.nik", "id-pdp.phone"} <= rule_ids
    assert [r["ruleId"] for r in run_["results"]] == ["id-pdp.phone", "id-pdp.nik"]
    for result in run_["results"]:
        assert result["level"] == "error"
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "stdin"
        assert location["region"]["startLine"] == 1
        assert result["partialFingerprints"]
    [note] = run_["invocations"][0]["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_input_text_treats_the_whole_input_as_one_text(monkeypatch, capsys, tmp_path):
    path = tmp_path / "post.txt"
    path.write_text("Halo!\nHubungi saya di 0812-3456-7890\n", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers", "--input", "text", str(path)])
    [result] = lines(out)
    assert code == 0
    assert result["id"] == "1"
    assert result["verdict"] == "block"
    assert result["hits"][0]["start"] == 22
    code, out, _ = run(monkeypatch, capsys, ["--no-classifiers", "--input", "text", "--format", "sarif", str(path)])
    region = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["snippet"]["text"]) == (2, 17, "0812-3456-7890")


def test_schema_prints_input_and_output_schemas(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, ["--schema"])
    schemas = json.loads(out)
    assert code == 0
    assert set(schemas) == {"input", "output"}
    assert schemas["input"]["required"] == ["text"]
    jsonschema.validate({"text": "x", "account": "personal"}, schemas["input"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"text": "x", "channel": "story"}, schemas["input"])


def test_unreadable_file_exits_non_zero(monkeypatch, capsys, tmp_path):
    code, out, err = run(monkeypatch, capsys, ["--no-classifiers", str(tmp_path / "missing.jsonl")])
    assert code == cli.READ_ERROR
    assert out == ""
    assert "cannot read" in err


def test_invalid_config_exits_with_a_clear_message(monkeypatch, capsys, tmp_path):
    config = tmp_path / "org.yaml"
    config.write_text("brand_names: Kopi\nenabled_packs: [core, eu-nothing]\ncolour: red\n")
    code, out, err = run(monkeypatch, capsys, ["--config", str(config)], ACCEPTANCE)
    assert code == cli.CONFIG_ERROR
    assert out == ""
    assert "colour" in err
    assert "brand_names" in err
    assert "eu-nothing" not in err
    config.write_text("enabled_packs: [core, eu-nothing]\ndisabled_rules: [core.nope]\n")
    code, _, err = run(monkeypatch, capsys, ["--config", str(config)], ACCEPTANCE)
    assert code == cli.CONFIG_ERROR
    assert "unknown rule pack 'eu-nothing'" in err
    assert "core.nope" in err
    config.write_text("enabled_packs: [core\n")
    code, _, err = run(monkeypatch, capsys, ["--config", str(config)], ACCEPTANCE)
    assert code == cli.CONFIG_ERROR
    assert "not valid YAML" in err


def test_config_is_applied_and_changes_the_revision(monkeypatch, capsys, tmp_path):
    _, default_out, _ = run(monkeypatch, capsys, ["--no-classifiers"], ACCEPTANCE)
    config = tmp_path / "org.yaml"
    config.write_text("enabled_packs: [core]\nallowed_phones: ['0812-3456-7890']\n")
    _, out, _ = run(monkeypatch, capsys, ["--no-classifiers", "--config", str(config)], ACCEPTANCE)
    result, default = lines(out)[0], lines(default_out)[0]
    assert result["revision"] != default["revision"]
    assert [h["rule"] for h in result["hits"]] == ["core.personal-data"]
    assert result["hits"][0]["entity"] == "NIK"


def test_console_script_end_to_end():
    juru = REPO / ".venv" / "bin" / "juru"
    done = subprocess.run(
        [str(juru), "scan", "--format", "jsonl", "--no-classifiers"],
        input=ACCEPTANCE.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    assert result["verdict"] == "block"
    assert {h["entity"] for h in result["hits"]} == {"PHONE", "NIK"}
    assert done.stderr == b""
