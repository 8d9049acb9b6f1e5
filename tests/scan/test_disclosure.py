"""Disclosure tags, personal disclaimers and promotional wording."""

from __future__ import annotations

import pytest

from juru.rules.config import OrgConfig
from juru.scan.detectors import disclosure
from juru.scan.findings import Finding, ScanContext
from juru.scan.normalise import prepare


def findings(text: str, detector: str, config: OrgConfig | None = None) -> list[Finding]:
    spec = next(s for s in disclosure.SPECS if s.name == detector)
    return list(spec.factory(config or OrgConfig()).detect(prepare(text), ScanContext(account="personal")))


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Skincare favoritku bulan ini #iklan", "#iklan"),
        ("Loving this serum #ad", "#ad"),
        ("New drop from @brand #Sponsored", "#Sponsored"),
        ("Paid partnership with Kopi Kita", "Paid partnership"),
        ("Disponsori oleh Kopi Kita", "Disponsori oleh"),
    ],
)
def test_disclosure_tags(text: str, tag: str) -> None:
    found = findings(text, "disclosure.tag")
    assert [text[f.start : f.end] for f in found] == [tag]
    assert found[0].entity == "DISCLOSURE_PRESENT"


@pytest.mark.parametrize("text", ["New kicks from #adidas", "Read the #adventure blog", "Iklan layanan masyarakat"])
def test_lookalikes_are_not_disclosures(text: str) -> None:
    assert findings(text, "disclosure.tag") == []


def test_organisation_disclosure_tags() -> None:
    config = OrgConfig(disclosure_tags=("#KolaborasiKopiKita",))
    assert findings("Seru! #KolaborasiKopiKita", "disclosure.tag", config)


@pytest.mark.parametrize(
    "text",
    ["Ini pendapat pribadi, bukan sikap kantor.", "Views are my own.", "Opinions are my own #iamintel"],
)
def test_disclaimers(text: str) -> None:
    found = findings(text, "disclosure.disclaimer")
    assert found
    assert found[0].entity == "DISCLAIMER_PRESENT"


def test_organisation_disclaimers() -> None:
    config = OrgConfig(personal_disclaimers=("bukan pernyataan resmi",))
    assert findings("Ini bukan pernyataan resmi ya", "disclosure.disclaimer", config)


@pytest.mark.parametrize(
    "text",
    [
        "Pakai kode voucher KITA10 buat diskon 10%, link di bio!",
        "Use my code SARAH20 for 20% off",
        "Flash sale! Beli sekarang sebelum kehabisan",
        "Shop now, link in bio",
    ],
)
def test_promotional_text(text: str) -> None:
    found = findings(text, "disclosure.promotional")
    assert len(found) == 1
    assert found[0].entity == "PROMOTIONAL"
    assert found[0].explanation["cues"]


def test_more_cues_score_higher() -> None:
    one = findings("Ada promo", "disclosure.promotional")[0].score
    many = findings("Promo diskon 50%, pakai kode voucher, link di bio", "disclosure.promotional")[0].score
    assert many > one


@pytest.mark.parametrize("text", ["Hari ini hujan terus, ngopi di rumah aja", "Proud of my team today"])
def test_ordinary_posts_are_not_promotional(text: str) -> None:
    assert findings(text, "disclosure.promotional") == []
