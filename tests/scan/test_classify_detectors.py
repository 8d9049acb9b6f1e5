"""Classifier detectors in the scanner: whole-text findings above the stored threshold, licence switch."""

from __future__ import annotations

import pytest

from juru.scan.detectors.classifiers import SPECS, ClassifierDetector
from juru.scan.findings import ScanContext
from juru.scan.text import PreparedText


def _prepared(text: str, lang: str) -> PreparedText:
    return PreparedText(text, text.lower(), tuple(range(len(text) + 1)), lang)


def test_specs_cover_the_four_classifier_entities() -> None:
    assert {(s.name, s.entities) for s in SPECS} == {
        ("classifier.sentiment", ("NEGATIVE_SENTIMENT",)),
        ("classifier.emotion", ("ANGER",)),
        ("classifier.abusive", ("ABUSIVE",)),
        ("classifier.hate", ("HATE",)),
    }
    assert all(s.classifier for s in SPECS)


def test_abusive_text_gets_a_whole_text_finding() -> None:
    text = "dasar bangsat goblok tolol lu anjing"
    findings = list(ClassifierDetector("abusive", True).detect(_prepared(text, "id"), ScanContext()))
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.detector, finding.entity, finding.start, finding.end) == (
        "classifier.abusive",
        "ABUSIVE",
        0,
        len(text),
    )
    assert finding.score >= finding.explanation["threshold"]


def test_negative_sentiment_is_scored_with_the_negative_probability() -> None:
    text = "pelayanan buruk sekali , saya sangat kecewa dan marah"
    findings = list(ClassifierDetector("sentiment", True).detect(_prepared(text, "id"), ScanContext()))
    assert [f.entity for f in findings] == ["NEGATIVE_SENTIMENT"]
    assert findings[0].score > 0.5


def test_friendly_text_gets_no_finding() -> None:
    text = "Selamat pagi! Promo akhir pekan sudah dimulai, terima kasih sudah berbelanja bersama kami."
    for task in ("abusive", "hate", "emotion"):
        assert list(ClassifierDetector(task, True).detect(_prepared(text, "id"), ScanContext())) == []


def test_noncommercial_off_gives_no_indonesian_abuse_finding() -> None:
    text = "dasar bangsat goblok tolol lu anjing"
    assert list(ClassifierDetector("abusive", False).detect(_prepared(text, "id"), ScanContext())) == []


def test_factory_reads_the_switch_when_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    spec = next(s for s in SPECS if s.name == "classifier.abusive")
    detector = spec.factory(None)  # type: ignore[arg-type]
    assert isinstance(detector, ClassifierDetector)
    assert detector.noncommercial is False


def test_empty_text_gets_no_finding() -> None:
    assert list(ClassifierDetector("sentiment", True).detect(_prepared("   ", "id"), ScanContext())) == []
