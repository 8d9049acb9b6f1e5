"""The slang map leaves ordinary words alone: reviewed exclusions keep their meaning, real slang still maps."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from juru.rules.config import OrgConfig
from juru.scan.detectors.orgterms import OrgTermsDetector
from juru.scan.findings import ScanContext
from juru.scan.lexicon import matcher_for
from juru.scan.normalise import prepare, slang_map

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_lexicons.py"

pytestmark = pytest.mark.skipif(not slang_map(), reason="non-commercial slang data not shipped")


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_lexicons", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def terms(text: str, detector: str) -> list[str]:
    prepared = prepare(text, lang="id", slang=True)
    return [m.term.term for m in matcher_for(True).matches_for(prepared, detector)]


def disparaged(text: str) -> list[str]:
    config = OrgConfig(brand_names=("Kopi Kita",), competitor_names=("BrewCo",))
    detector = OrgTermsDetector("orgterms.disparagement", "disparagement", config, noncommercial=True)
    prepared = prepare(text, lang="id", slang=True)
    return [text[f.start : f.end] for f in detector.detect(prepared, ScanContext())]


def test_shipped_map_has_none_of_the_excluded_keys_and_each_has_a_reason() -> None:
    excluded = build_script().SLANG_EXCLUDE
    assert {"kaya", "kw", "qq", "si", "aseng"} <= set(excluded)
    assert all(reason.strip() for reason in excluded.values())
    assert not set(excluded) & set(slang_map())


def test_get_rich_claim_is_found_and_like_is_not_rich() -> None:
    assert prepare("Kerja dari rumah, cepat kaya!", lang="id", slang=True).normalised.endswith("cepat kaya!")
    assert terms("Kerja dari rumah, cepat kaya!", "lexicon.claim_finance") == ["cepat kaya"]
    # "kayak" means "like": fast like lightning is no get-rich promise.
    assert terms("Larinya cepat kayak kilat", "lexicon.claim_finance") == []


def test_domino_qq_is_gambling_and_stays_as_written() -> None:
    assert "domino qq" in prepare("Yuk main domino qq malam ini", lang="id", slang=True).normalised
    assert terms("Yuk main domino qq malam ini", "lexicon.gambling") == ["domino qq"]


@pytest.mark.parametrize(
    "text",
    ["BrewCo atau Kopi Kita, kamu pilih yang mana?", "BrewCo atau Kopi Kita, km pilih yang mana?"],
)
def test_asking_which_one_you_pick_is_not_disparagement(text: str) -> None:
    assert disparaged(text) == []


def test_calling_a_competitor_kw_is_still_disparagement() -> None:
    assert disparaged("Jangan beli BrewCo, barangnya kw semua") == ["BrewCo"]


def test_neutral_words_do_not_become_slurs_or_profanity() -> None:
    assert terms("Banyak turis asing datang ke Bali", "lexicon.sara") == []
    assert terms("Usir aseng dari sini", "lexicon.sara")
    assert terms("ew, jijik banget sama kuahnya", "lexicon.profanity") == []
    assert "si budi" in prepare("Kata si Budi enak", lang="id", slang=True).normalised


@pytest.mark.parametrize(
    ("slang", "formal"),
    [("gak", "tidak"), ("emang", "memang"), ("gw", "gue"), ("yg", "yang"), ("lo", "kamu"), ("kyk", "kayak")],
)
def test_common_slang_still_maps(slang: str, formal: str) -> None:
    assert slang_map()[slang] == formal
    assert prepare(f"ya {slang} dong", lang="id", slang=True).normalised == f"ya {formal} dong"


def test_foreigner_is_not_an_insult_without_a_target() -> None:
    from juru.rules.config import OrgConfig
    from juru.scan.scanner import Scanner

    result = Scanner(OrgConfig(), classifiers=False).scan("Banyak turis asing suka rendang kami.")
    assert not [f for f in result.findings if f.entity == "INSULT"]
