"""Query matching on plain text: whole words and phrases, exclusions, language."""

from __future__ import annotations

from juru.listening.matching import Matcher, matching, parse_terms


def test_terms_are_one_per_line_folded_and_unquoted():
    assert parse_terms('Nusantara Rasa\n\n"Nasi  Kotak"\nCafé\nnusantara rasa') == [
        "nusantara rasa",
        "nasi kotak",
        "cafe",
    ]


def test_a_term_matches_whole_words_only():
    brand = Matcher.build("b", "rasa")
    assert matching([brand], "Nusantara RASA enak", "id") == ["b"]
    assert matching([brand], "perasaan saya campur aduk", "id") == []


def test_exclusions_and_language_leave_mentions_out():
    jobs = Matcher.build("b", "acme", exclusions="lowongan", language="id")
    assert matching([jobs], "Lowongan kerja di Acme", "id") == []
    assert matching([jobs], "Acme rocks", "en") == []
    assert matching([jobs], "Acme mantap, love it", "mixed") == ["b"]


def test_a_query_without_terms_matches_nothing():
    assert matching([Matcher.build("b", "\n  \n")], "anything", "id") == []
