"""Brand-safety detectors: each risk is found by its combination of cues, not by single words."""

from __future__ import annotations

import pytest

from juru.rules.config import OrgConfig
from juru.scan.detectors import brandsafety
from juru.scan.findings import ScanContext
from juru.scan.normalise import prepare
from juru.scan.scanner import RecordError, Scanner, parse_record
from tests.scan.brand_posts import BRAND_POSTS_EN, BRAND_POSTS_ID


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(classifiers=False)


def _entities(scanner: Scanner, text: str, **context) -> set[str]:
    return {f.entity for f in scanner.scan(text, ScanContext(**context)).findings}


def test_running_down_an_unconfigured_rival_is_not_clean_on_a_brand_account(scanner):
    result = scanner.scan("Rendang kami jauh lebih enak dari Indofood yang rasanya kayak plastik", ScanContext())
    assert result.verdict == "require_approval"
    rival = [f for f in result.findings if f.detector == "brand.rival"]
    assert [f.explanation["term"] for f in rival] == ["Indofood"]


@pytest.mark.parametrize(
    "text",
    [
        "Kopi kami lebih enak dari kopi sachet biasa",  # no brand named
        "Lebih hemat dari Jakarta ke Bandung naik kereta",  # a place, and nothing negative
        "Congratulations to the team at Harbor Street Bakery on 50 years!",
    ],
)
def test_a_comparison_without_a_named_rival_run_down_is_not_disparagement(scanner, text):
    assert "COMPETITOR_DISPARAGEMENT" not in _entities(scanner, text)


def test_a_tragedy_is_a_tiein_only_next_to_a_sales_cue_that_is_not_paused(scanner):
    assert "TRAGEDY_PROMOTION" in _entities(scanner, "Gempa lagi! Pakai kode promo GEMPA untuk diskon 20%")
    assert "TRAGEDY_PROMOTION" not in _entities(scanner, "Banjir diskon akhir tahun! Pakai kode promo HEMAT")
    assert "TRAGEDY_PROMOTION" not in _entities(scanner, "Turut berduka atas banjir. Promo kami hentikan dulu.")
    assert "TRAGEDY_PROMOTION" not in _entities(scanner, "Turut berduka cita atas korban gempa di Cianjur.")
    assert "TRAGEDY" in _entities(scanner, "Turut berduka cita atas korban gempa di Cianjur.")
    assert "TRAGEDY" not in _entities(scanner, "Pesanan diterima pada 9/11/2026, diskon 10% berlaku.")
    bored = "Stuck inside because of the storm? Take 20% off everything online"
    assert "TRAGEDY_PROMOTION" in _entities(scanner, bored, lang="en")


def test_campaign_hashtags_are_split_into_names(scanner):
    findings = scanner.scan("#PrabowoGibran2024 #Kemhan", ScanContext()).findings
    political = [f for f in findings if f.entity == "POLITICAL"]
    assert [(f.explanation["term"], f.score) for f in political] == [("#PrabowoGibran2024", 0.95)]


def test_the_organisation_extends_the_political_list(scanner):
    text = "Dukung Pak Sutrisno untuk kepala desa!"
    assert "POLITICAL" not in _entities(scanner, text)
    extended = Scanner(OrgConfig(political_terms=("Sutrisno",)), classifiers=False)
    assert extended.scan(text, ScanContext()).verdict == "require_approval"


def test_acronyms_in_the_political_list_do_not_match_everyday_words(scanner):
    assert "POLITICAL" not in _entities(scanner, "Stok belum tersedia, p kak, ditunggu ya")


def test_religion_alone_is_a_greeting_but_next_to_an_office_it_is_sara(scanner):
    assert "SARA_SENSITIVE" not in _entities(scanner, "Selamat Idul Fitri bagi umat muslim yang merayakan")
    assert "SARA_SENSITIVE" in _entities(scanner, "Jangan pilih gubernur non muslim")


def test_placeholders_block_but_masked_profanity_is_not_one(scanner):
    findings = scanner.scan("Halo [NAME], cek {{link}} ****", ScanContext()).findings
    placeholders = [f for f in findings if f.entity == "DRAFT_PLACEHOLDER"]
    assert [f.explanation["term"] for f in placeholders] == ["[NAME]", "{{link}}", "****"]
    assert "DRAFT_PLACEHOLDER" in _entities(scanner, "New menu is here! (insert link) #yum", lang="en")
    assert "DRAFT_PLACEHOLDER" not in _entities(scanner, "[INFO] Jadwal operasional [PROMO] Lebaran")
    nested = scanner.scan("Cek promo di [INSERT LINK]", ScanContext()).findings
    assert [f.explanation["term"] for f in nested if f.entity == "DRAFT_PLACEHOLDER"] == ["[INSERT LINK]"]
    assert "DRAFT_PLACEHOLDER" not in _entities(scanner, "Big day for $AAPL holders")
    assert "DRAFT_PLACEHOLDER" not in _entities(scanner, "Thank f*** it's Friday", lang="en")


@pytest.mark.parametrize(
    "text",
    ["Follow @BRKFSTCLB for more", "pic.twitter.com/xKzPqTwLmR", "Shhhhhh, it's a secret menu", "NASDAQ listing"],
)
def test_handles_links_acronyms_and_held_keys_are_not_keyboard_mash(scanner, text):
    assert "DRAFT_SUSPECT" not in _entities(scanner, text)


def test_symbol_masked_swearing_counts_as_profanity(scanner):
    result = scanner.scan("This playlist is a catchy f*!#$% mess!", ScanContext(lang="en"))
    assert result.verdict == "block"
    assert scanner.scan("Yahoo!!! we won", ScanContext(lang="en")).verdict == "allow"


def test_a_legal_threat_needs_someone_addressed(scanner):
    assert "LEGAL_THREAT" in _entities(scanner, "Saudara Budi, unggahan Anda melanggar UU ITE")
    assert "LEGAL_THREAT" not in _entities(scanner, "Webinar: mengenal UU ITE untuk UMKM, Kamis pukul 19.00")


def test_government_accounts_get_the_organisation_rules(scanner):
    text = "Kalau tidak cocok dengan layanan kami, tinggal unfollow aja, Kak."
    assert scanner.scan(text, ScanContext(account="government")).verdict == "require_approval"
    assert scanner.scan(text, ScanContext(account="personal")).verdict == "warn"
    assert parse_record({"text": "x", "account": "government"})[1].account == "government"
    with pytest.raises(RecordError):
        parse_record({"text": "x", "account": "ministry"})


def test_personal_voice_is_checked_on_government_accounts_too(scanner):
    text = "Duh capek banget hari ini, pengen rebahan aja sama pacarku 😴 besok cuti ah"
    assert scanner.scan(text, ScanContext(account="government")).verdict == "block"


@pytest.mark.parametrize("text", BRAND_POSTS_ID + BRAND_POSTS_EN)
def test_ordinary_brand_posts_raise_no_brand_safety_finding(scanner, text):
    assert not [f for f in scanner.scan(text, ScanContext()).findings if f.detector.startswith("brand.")]


def test_each_detector_alone_gives_what_the_shared_pass_gives():
    config = OrgConfig()
    text = prepare("Every woman belongs in the kitchen. Promo **** #Jokowi2019 lebih enak dari Indofood yang basi")
    detectors = [spec.factory(config) for spec in brandsafety.SPECS]
    group = detectors[0].group.detect_group(text, ScanContext())
    for spec, detector in zip(brandsafety.SPECS, detectors):
        assert list(detector.detect(text, ScanContext())) == list(group.get(spec.name, []))
    assert {"STEREOTYPE", "DRAFT_PLACEHOLDER", "POLITICAL", "COMPETITOR_DISPARAGEMENT"} <= {
        f.entity for found in group.values() for f in found
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Laba bersih kami kuartal depan diperkirakan tembus Rp 2 triliun", True),
        ("Heads up: Q3 revenue will be up 40% when we report next week", True),
        ("Promo penjualan akhir tahun, diskon 50% akan berlaku besok", False),
        ("Sales will open at 10am, up to 30% off", False),
        ("Penjualan tiket konser akan dibuka 12 Mei pukul 10.00 WIB.", False),
    ],
)
def test_results_ahead_of_a_release_need_a_forward_word_and_an_amount(scanner, text, expected):
    assert ("MARKET_MOVING" in _entities(scanner, text)) is expected
