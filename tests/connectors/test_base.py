"""Length limits as the networks count them, and capabilities as data."""

from __future__ import annotations

import pytest

from juru.connectors.base import Capabilities, Outcome, PublishResult, count_graphemes, measure, register_length_unit


@pytest.mark.parametrize(
    ("text", "graphemes"),
    [
        ("", 0),
        ("halo", 4),
        ("👩‍👩‍👧‍👦", 1),  # family: four people joined by zero-width joiners
        ("👨🏽‍💻", 1),  # skin tone modifier plus ZWJ sequence
        ("🏳️‍🌈", 1),  # flag with variation selector and ZWJ
        ("🇮🇩🇯🇵", 2),  # two regional-indicator flags
        ("e\u0301", 1),  # e + combining acute accent
        ("👍🏽👍", 2),
        ("\r\n", 1),
        ("क्षत्रिय", 3),  # Devanagari conjuncts
        ("Halo 👋🏽 dunia!", 13),
    ],
)
def test_graphemes_are_what_a_reader_sees(text, graphemes):
    assert count_graphemes(text) == graphemes
    assert measure(text, "graphemes") == graphemes


def test_other_units():
    assert measure("👩‍👩‍👧‍👦", "characters") == 7
    assert measure("é", "bytes") == 2


def test_unknown_unit_counts_code_points_and_units_can_be_registered():
    assert measure("abc", "made-up") == 3
    register_length_unit("test-double", lambda text: 2 * len(text))
    assert measure("abc", "test-double") == 6


def test_capabilities_check_both_limits():
    caps = Capabilities(network="demo", max_length=5, length_unit="graphemes", max_bytes=30)
    family = "👩‍👩‍👧‍👦"  # one grapheme, 25 bytes of UTF-8
    assert caps.fits(family)
    assert caps.remaining(family) == 4
    assert not caps.fits(family * 2)  # two graphemes, but 50 bytes
    assert caps.remaining(family * 2) == -20
    assert not caps.fits("abcdef")
    assert caps.remaining("abcdef") == -1


def test_result_ok_only_when_published():
    assert PublishResult(Outcome.PUBLISHED).ok
    assert not PublishResult(Outcome.PENDING).ok
