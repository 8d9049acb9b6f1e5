"""Lexicon engine and the lexicon detectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from juru.rules.config import OrgConfig
from juru.scan.detectors import lexicons
from juru.scan.findings import Finding, ScanContext
from juru.scan.lexicon import (
    LexiconError,
    LexiconMatcher,
    PhraseMatcher,
    PhraseSet,
    lexicon_files,
    lexicon_headers,
    load_lexicon,
    parse_lexicon,
    term_key,
)
from juru.scan.normalise import _normalise, prepare

CTX = ScanContext()


def scan(text: str, config: OrgConfig | None = None) -> list[Finding]:
    prepared = prepare(text)
    config = config or OrgConfig()
    return [f for spec in lexicons.SPECS for f in spec.factory(config).detect(prepared, CTX)]


def found(text: str, detector: str, config: OrgConfig | None = None) -> list[str]:
    return [text[f.start : f.end] for f in scan(text, config) if f.detector == detector]


def test_specs_cover_every_detector_id_once() -> None:
    names = [spec.name for spec in lexicons.SPECS]
    assert len(names) == len(set(names))
    for name in ("profanity", "insult", "sara", "threat", "gambling", "hoax", "drugs"):
        assert f"lexicon.{name}" in names


def _fully_normalised(term: str, slang: bool) -> str:
    """What ``term_key`` gives when every normalising pass runs."""
    return " ".join(_normalise(term, slang=slang, stem=False, lang="id" if slang else None)[0].split())


def _shipped_terms() -> list[str]:
    return sorted({term.term for lexicon in lexicon_files(True) for term in lexicon.terms})


@pytest.mark.parametrize("slang", [False, True])
def test_term_keys_of_every_shipped_term_equal_the_full_normalisation(slang: bool) -> None:
    terms = _shipped_terms()
    assert len(terms) > 1000
    assert [term_key(t, slang=slang) for t in terms] == [_fully_normalised(t, slang) for t in terms]


@pytest.mark.parametrize(
    "term",
    ["Anjing", "bangsaaat", "a n j i n g", "4njing", "anj*ng", "kopi  kita", " kopi", "kafé", "gw", "gw bunuh lo", "x"],
)
@pytest.mark.parametrize("slang", [False, True])
def test_terms_that_need_normalising_still_get_it(term: str, slang: bool) -> None:
    assert term_key(term, slang=slang) == _fully_normalised(term, slang)


def test_headers_name_the_same_detectors_as_the_parsed_files() -> None:
    parsed = [(f.detector, f.entity, f.noncommercial) for f in lexicon_files(True)]
    assert [tuple(header) for header in lexicon_headers()] == parsed


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Dasar bangsaaaat!", "bangsaaaat"),
        ("kamu 4nj1ng", "4nj1ng"),
        ("a n j i n g lu", "a n j i n g"),
        ("what the fuck is this", "fuck"),
        ("no one here knows how to f***ing drive", "f***ing"),
        ("anj*ng kau", "anj*ng"),
        ("Ｋｏｎｔｏｌ", "Ｋｏｎｔｏｌ"),
    ],
)
def test_profanity_through_obfuscation(text: str, span: str) -> None:
    assert span in found(text, "lexicon.profanity")


def test_finding_explains_term_severity_lang_and_list() -> None:
    finding = next(f for f in scan("dasar bangsat") if f.detector == "lexicon.profanity")
    assert finding.entity == "PROFANITY"
    assert finding.explanation["term"] == "bangsat"
    assert finding.explanation["severity"] == "high"
    assert finding.explanation["lang"] == "id"
    assert finding.explanation["list"] == "profanity_id"


def test_masked_match_is_marked() -> None:
    finding = next(f for f in scan("sh*t happens") if f.detector == "lexicon.profanity")
    assert finding.explanation["masked"] is True
    assert finding.explanation["term"] == "shit"


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe United won",
        "Join our class to assess your skills",
        "Makanan anjing premium diskon 20%",
        "Babi guling khas Bali, mengandung babi (non-halal)",
        "Kunjungi monyet ekor panjang di kebun binatang",
        "Ada tahi lalat di pipi kiri",
        "Magna cum laude graduates get a free coffee",
        "Dong, ini promo terakhir!",
    ],
)
def test_innocent_words_are_not_profanity(text: str) -> None:
    assert found(text, "lexicon.profanity") == []


def test_animal_word_without_innocent_context_is_profanity() -> None:
    assert found("Anjing, macet banget hari ini", "lexicon.profanity") == ["Anjing"]


def test_allowed_terms_suppress_lexicon_matches() -> None:
    config = OrgConfig(allowed_terms=("Babi Panggang Karo",))
    assert found("Warung Babi Panggang Karo buka lagi", "lexicon.profanity", config) == []


@pytest.mark.parametrize(
    ("text", "detector"),
    [
        ("Slot gacor hari ini, RTP 98%, depo 10k langsung maxwin", "lexicon.gambling"),
        ("sl0t g4c0r anti rungkad", "lexicon.gambling"),
        ("gw bunuh lo kalau ketemu", "lexicon.threat"),
        ("I'll kill you", "lexicon.threat"),
        ("Kalau tidak bayar, foto kamu kami sebar ke kantor", "lexicon.threat"),
        ("Semua orang cina itu pencuri", "lexicon.sara"),
        ("usir orang papua dari sini", "lexicon.sara"),
        ("all immigrants are criminals", "lexicon.sara"),
        ("SEBARKAN SEBELUM DIHAPUS!!", "lexicon.hoax"),
        ("share before it's deleted", "lexicon.hoax"),
        ("ready sabu, DM aja", "lexicon.drugs"),
        ("kamu goblok banget", "lexicon.insult"),
        ("you idiot", "lexicon.insult"),
    ],
)
def test_each_list_fires_on_its_examples(text: str, detector: str) -> None:
    assert found(text, detector)


@pytest.mark.parametrize(
    "text",
    [
        "Slot interview terbatas, daftar paling lambat 30 Juni",
        "Jackpot diskon akhir tahun!",
        "Bandar Lampung, kota tapis berseri",
        "Harga yang bikin mati gaya",
        "Selamat Hari Raya Nyepi bagi umat Hindu",
        "Menu halal untuk semua",
    ],
)
def test_ordinary_marketing_copy_hits_no_harm_lists(text: str) -> None:
    harmful = {"lexicon.gambling", "lexicon.threat", "lexicon.sara", "lexicon.profanity", "lexicon.insult"}
    assert [f.detector for f in scan(text) if f.detector in harmful] == []


def test_longest_match_wins_within_a_detector() -> None:
    assert found("slot gacor", "lexicon.gambling") == ["slot gacor"]


def test_noncommercial_lists_follow_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "dasar keparat"
    on = [f for f in scan(text) if f.explanation.get("list") == "abusive_id"]
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    off = [f for f in scan(text) if f.explanation.get("list") == "abusive_id"]
    assert on
    assert not off


def test_slang_forms_follow_the_switch_in_every_matcher() -> None:
    # "gk" is read as "tidak" only by the (non-commercial) slang dictionary.
    assert PhraseMatcher(["gk"], slang=True).search("tidak") is not None
    assert PhraseMatcher(["gk"], slang=False).search("tidak") is None
    assert "negative" not in PhraseSet({"negative": ["gk"]}, slang=False).hits(prepare("tidak", "id", slang=False))
    data = {"detector": "lexicon.test", "entity": "TEST", "terms": [{"term": "x", "unless": ["bangke"]}]}
    with_slang = parse_lexicon(data, path=Path("t.yaml"), slang=True).terms[0].unless
    without = parse_lexicon(data, path=Path("t.yaml"), slang=False).terms[0].unless
    assert with_slang is not None
    assert with_slang.search("bangkai")
    assert without is not None
    assert not without.search("bangkai")
    off = LexiconMatcher(lexicon_files(False), slang=False)
    assert [m.term.term for m in off.matches(prepare("dasar bangkai", "id", slang=False))] == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Investasi di sini kak, double your money dalam sebulan, gak pake ribet", "id"),
        ("Invest with us and double your money in a month", "en"),
        ("Investasi di sini kak, double your money dalam sebulan", None),
    ],
)
def test_english_terms_match_in_indonesian_text_despite_slang_mapping(text: str, lang: str | None) -> None:
    # The slang dictionary maps "money" to "uang"; the term is still found on what the author wrote.
    prepared = prepare(text, lang, slang=True)
    detector = next(s for s in lexicons.SPECS if s.name == "lexicon.claim_finance").factory(OrgConfig())
    spans = [text[f.start : f.end] for f in detector.detect(prepared, CTX)]
    assert "double your money" in spans


def test_indonesian_slang_still_matches_after_the_unmapped_pass() -> None:
    text = "dasar bangsaaaat, double your money gk bakal terjadi"
    assert found(text, "lexicon.profanity") == ["bangsaaaat"]
    assert found(text, "lexicon.claim_finance") == ["double your money"]


def test_malformed_lexicon_files_are_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    with pytest.raises(LexiconError, match="bad.yaml: 'detector' is required"):
        parse_lexicon({"entity": "X", "terms": ["a"]}, path=path)
    with pytest.raises(LexiconError, match="unknown keys colour"):
        parse_lexicon({"detector": "x", "entity": "X", "terms": ["a"], "colour": 1}, path=path)
    with pytest.raises(LexiconError, match="severity must be one of"):
        parse_lexicon({"detector": "x", "entity": "X", "terms": [{"term": "a", "severity": "huge"}]}, path=path)
    path.write_text("detector: [unclosed", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid YAML"):
        load_lexicon(path)


def test_a_custom_file_is_matched_with_defaults_and_context(tmp_path: Path) -> None:
    data = {
        "detector": "lexicon.test",
        "entity": "TEST",
        "severity": "low",
        "lang": "id",
        "terms": ["kopi luwak", {"term": "susu", "needs": ["segar"]}, {"term": "teh", "unless": ["tawar"]}],
    }
    matcher = LexiconMatcher([parse_lexicon(data, path=tmp_path / "t.yaml")])
    terms = [
        m.term.term for m in matcher.matches(prepare("KOPI LUWAK dan susu segar, teh tawar." + " lalu" * 20 + " susu"))
    ]
    assert terms == ["kopi luwak", "susu"]


def test_one_megabyte_text_scans() -> None:
    text = ("Promo kopi hari ini, dasar bangsat 😀 " * 30000)[:1_000_000]
    assert len(found(text, "lexicon.profanity")) > 1000
