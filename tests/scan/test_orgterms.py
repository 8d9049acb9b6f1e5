"""Brand and competitor mentions, disparagement, confidential material."""

from __future__ import annotations

import pytest

from juru.rules.config import OrgConfig
from juru.scan.detectors import orgterms
from juru.scan.findings import Finding, ScanContext
from juru.scan.normalise import prepare

CONFIG = OrgConfig(
    brand_names=("Kopi Kita",),
    competitor_names=("Kopi Senja", "BrewCo"),
    confidential_terms=("Project Garuda",),
)


def findings(text: str, detector: str, config: OrgConfig = CONFIG) -> list[Finding]:
    spec = next(s for s in orgterms.SPECS if s.name == detector)
    return list(spec.factory(config).detect(prepare(text), ScanContext()))


def spans(text: str, detector: str, config: OrgConfig = CONFIG) -> list[str]:
    return [text[f.start : f.end] for f in findings(text, detector, config)]


def test_brand_mentions_in_text_and_hashtags() -> None:
    text = "Ngopi pagi di KOPI KITA 😀 #KopiKita"
    assert spans(text, "orgterms.brand") == ["KOPI KITA", "KopiKita"]
    assert findings(text, "orgterms.brand")[0].entity == "BRAND_MENTION"


def test_brand_names_match_whole_words_only() -> None:
    assert spans("BrewCompany news", "orgterms.competitor") == []


def test_competitor_mention_without_negative_is_not_disparagement() -> None:
    text = "Selamat untuk Kopi Senja atas pembukaan outlet barunya!"
    assert spans(text, "orgterms.competitor") == ["Kopi Senja"]
    assert findings(text, "orgterms.disparagement") == []


@pytest.mark.parametrize(
    "text",
    [
        "Kopi Senja itu basi dan payah, pindah ke kami!",
        "Kopi kami lebih enak dari Kopi Senja",
        "BrewCo is worse than instant coffee",
        "Our cold brew is better than BrewCo's",
    ],
)
def test_competitor_near_negative_or_comparison_is_disparagement(text: str) -> None:
    found = findings(text, "orgterms.disparagement")
    assert found
    assert found[0].entity == "COMPETITOR_DISPARAGEMENT"


def test_generic_competitor_reference_with_negative() -> None:
    found = findings("Provider sebelah cuma janji, sinyalnya lemot & abal-abal.", "orgterms.disparagement", OrgConfig())
    assert found
    assert found[0].explanation["generic"] is True


def test_allowed_terms_suppress_mentions() -> None:
    config = OrgConfig(competitor_names=("Senja",), allowed_terms=("Kopi Senja Sore",))
    assert spans("Menu Kopi Senja Sore kami payah? Tidak!", "orgterms.competitor", config) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Bocoran Project Garuda: launching bulan depan", "codename"),
        ("INTERNAL ONLY - do not share the Q3 deck", "marker"),
        ("Jangan disebar ya, ini dokumen rahasia", "marker"),
        ("Angka belum dirilis: omzet Q3 naik 40%", "unreleased_figure"),
    ],
)
def test_confidential_material(text: str, kind: str) -> None:
    found = findings(text, "orgterms.confidential")
    assert kind in {f.explanation["kind"] for f in found}
    assert all(f.entity == "CONFIDENTIAL" for f in found)


@pytest.mark.parametrize(
    "text",
    ["Resep rahasia kami: biji kopi pilihan", "Memori internal 128GB", "Fitur baru belum dirilis, nantikan ya"],
)
def test_marketing_uses_of_secret_words_are_not_confidential(text: str) -> None:
    assert findings(text, "orgterms.confidential", OrgConfig()) == []


def test_no_names_configured_means_no_mentions() -> None:
    assert findings("Kopi Kita", "orgterms.brand", OrgConfig()) == []
