"""Bounds that keep one scan from pinning a CPU: text length, language sample, reported hits."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from juru.rules.config import OrgConfig
from juru.scan import MAX_TEXT_CHARS as EXPORTED_LIMIT
from juru.scan import TextTooLongError
from juru.scan import lang as lang_module
from juru.scan.findings import Finding, ScanContext
from juru.scan.limits import LANG_SAMPLE_CHARS, MAX_REPORTED_FINDINGS, MAX_REPORTED_HITS, MAX_TEXT_CHARS
from juru.scan.registry import DetectorRegistry, DetectorSpec
from juru.scan.scanner import Scanner


class EveryWordIsReshared:
    """A warning-level finding per word, and a blocking one (GAMBLING) on the last word."""

    name = "test.words"

    def __init__(self, config: OrgConfig) -> None:
        self.config = config

    def detect(self, text, context):
        words = text.original.split(" ")
        position = 0
        for index, word in enumerate(words):
            entity = "GAMBLING" if index == len(words) - 1 else "THIRD_PARTY_CONTENT"
            yield Finding(self.name, entity, position, position + len(word), 0.9, {})
            position += len(word) + 1


def _scanner() -> Scanner:
    registry = DetectorRegistry()
    registry.register(DetectorSpec("test.words", EveryWordIsReshared, ("THIRD_PARTY_CONTENT", "GAMBLING")))
    return Scanner(OrgConfig(enabled_packs=["core"]), registry=registry, classifiers=False)


def test_the_limit_is_one_constant_exported_by_the_package():
    assert EXPORTED_LIMIT == MAX_TEXT_CHARS == 20_000


def test_the_input_schema_states_the_same_limit():
    schema = json.loads(resources.files("juru.scan").joinpath("schemas/scan-input.schema.json").read_text())
    assert schema["properties"]["text"]["maxLength"] == MAX_TEXT_CHARS


def test_a_text_over_the_limit_is_refused_with_the_limit_in_the_error():
    scanner = _scanner()
    scanner.scan("a" * MAX_TEXT_CHARS)
    with pytest.raises(TextTooLongError) as raised:
        scanner.scan("a" * (MAX_TEXT_CHARS + 1))
    assert raised.value.limit == MAX_TEXT_CHARS
    assert raised.value.length == MAX_TEXT_CHARS + 1
    assert str(MAX_TEXT_CHARS) in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_scan_record_turns_an_over_long_text_into_an_error_line():
    output = _scanner().scan_record({"id": "a", "text": "x" * (MAX_TEXT_CHARS + 1)})
    assert output["id"] == "a"
    assert str(MAX_TEXT_CHARS) in output["error"]


def test_reported_hits_are_bounded_and_the_verdicts_hit_is_among_them():
    words = MAX_REPORTED_HITS * 3
    result = _scanner().scan(" ".join(["repost"] * words), ScanContext())
    assert result.verdict == "block"  # decided by the last word, far beyond the reported window
    assert len(result.hits) == MAX_REPORTED_HITS
    assert result.hits_omitted == words - MAX_REPORTED_HITS
    assert [h.rule for h in result.hits if h.action == "block"] == ["core.illegal"]
    starts = [hit.start for hit in result.hits]
    assert starts == sorted(starts)
    assert len(result.findings) == MAX_REPORTED_FINDINGS
    assert result.findings_omitted == words - MAX_REPORTED_FINDINGS
    assert result.findings[-1].entity == "GAMBLING"  # the finding behind a reported hit is kept
    output = result.to_json()
    schema = json.loads(resources.files("juru.scan").joinpath("schemas/scan-output.schema.json").read_text())
    jsonschema.validate({"id": "1", **output}, schema)
    assert output["hits_omitted"] == words - MAX_REPORTED_HITS
    assert output["findings_omitted"] == words - MAX_REPORTED_FINDINGS


def test_short_lists_are_reported_whole_without_omission_counts():
    result = _scanner().scan("repost repost slot", ScanContext())
    assert len(result.hits) == 3
    assert result.hits_omitted == 0
    assert "hits_omitted" not in result.to_json()
    assert "findings_omitted" not in result.to_json()


def test_only_a_prefix_of_the_text_reaches_the_language_model(monkeypatch):
    seen: list[int] = []

    class Model:
        def detect_language_of(self, text: str):
            seen.append(len(text))

    monkeypatch.setattr(lang_module, "_lingua", lambda: Model())
    lang_module._by_model("zz " * 10_000)
    assert seen == [LANG_SAMPLE_CHARS]
