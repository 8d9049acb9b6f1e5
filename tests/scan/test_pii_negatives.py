"""Hard negatives, odd Unicode, offsets, huge input, and the detectors as the scanner sees them."""

from __future__ import annotations

import pytest

from juru.rules.config import OrgConfig
from juru.scan.detectors.pii import DETECTORS, SPECS, scan_pii
from juru.scan.findings import ScanContext
from juru.scan.registry import default_registry
from juru.scan.text import PreparedText


def found(text: str) -> list[tuple[str, str]]:
    return [(f.entity, text[f.start : f.end]) for f in scan_pii(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Order 081234567890 sudah dikirim",  # order id that starts like a phone number
        "No. pesanan: 3201011508950001",  # order id shaped like a NIK
        "Resi JNE 3201011508950001 sedang transit",
        "AWB 081298765432 tiba besok",
        "Invoice INV/20240512/MPL/3275766734 sudah lunas",
        "Tiket #CS-20260217-0232 tercatat",
        "Kode voucher 4532 0151 1283 0366",  # card-shaped voucher code
        "Total Rp 1.250.000 sudah diterima",
        "Harga Rp. 1.250.000.000,- nego",
        "Update 2024-05-12 14:32:10 WIB",
        "Log ID 2026012515364963",
        "timestamp 20240512143210",
        "Token listrik 1234 5678 9012 3456 7890",
        "Nomor 0812****5678 sudah terdaftar",
        "kartu berakhiran **** **** **** 1234",
        "NIK 3171********0001 sudah diverifikasi",
        "rekening 129****512 sudah menerima refund",
        "hubungi 0812-xxxx-7890",
        "NIK yang diawali 3201 01...",
        "Format nomor HP: 08xx-xxxx-xxxx",
        "IMEI 490154203237518 terdaftar",
        "Diskon 50% untuk 2x24 jam, kuota 10.000 orang",
        "Laporan Kakak tercatat dengan nomor 2509063266",
        "Nomor seri 8977230929982200",
        "Pesanan Kakak 081234567890 sudah dikirim",
        "5318 2290 1142 6635 7706 berhasil",  # 20-digit token: a 16-digit slice of it is not an identifier
    ],
)
def test_hard_negatives_do_not_fire(text: str) -> None:
    assert found(text) == []


def test_offsets_are_code_points_after_emoji() -> None:
    text = "😡🙏🏽👨‍👩‍👧 NIK aku 3201011508950001 🤬 wa 0812-3456-7890"
    (nik, phone) = scan_pii(text)
    assert text[nik.start : nik.end] == "3201011508950001"
    assert text[phone.start : phone.end] == "0812-3456-7890"


def test_full_width_digits_are_read_as_digits() -> None:
    text = "hp saya ０８１２３４５６７８９０"
    assert found(text) == [("PHONE", "０８１２３４５６７８９０")]


def test_zero_width_characters_inside_a_number_do_not_hide_it() -> None:
    text = "NIK 3201\u200b0115\u200b0895\u200b0001 dan hp 0812\u200d3456\u200d7890"
    assert found(text) == [("NIK", "3201\u200b0115\u200b0895\u200b0001"), ("PHONE", "0812\u200d3456\u200d7890")]


def test_huge_text_finishes_and_finds_everything() -> None:
    block = "Halo kak, pesanan ORD-12345678901 dikirim. Rp 150.000. NIK 3201011508950001 wa 0812-3456-7890. "
    text = block * (1_000_000 // len(block))
    findings = scan_pii(text)
    assert len(findings) == 2 * (1_000_000 // len(block))
    assert {f.entity for f in findings} == {"NIK", "PHONE"}


@pytest.mark.parametrize(
    "unit",
    ["1 ", "1.", "12 ", "x@", "@a.co ", "dot ", "a (at) b ", "0 8 ", "nol satu ", "Jl. A, ", "lahir ", "paspor "],
)
def test_adversarial_repetition_finishes(unit: str) -> None:
    # Inputs built to make naive scanners go quadratic; each must come back (no timing asserted).
    text = unit * (200_000 // len(unit))
    assert isinstance(scan_pii(text), list)


def test_empty_and_plain_text() -> None:
    assert found("") == []
    assert found("Selamat pagi semuanya, semoga harimu menyenangkan!") == []


def test_specs_cover_every_contract_entity() -> None:
    assert [spec.name for spec in SPECS] == [name for name, _ in DETECTORS]
    assert {entity for spec in SPECS for entity in spec.entities} == {
        "NIK", "KK", "NPWP", "PHONE", "EMAIL", "CARD", "BANK_ACCOUNT", "PASSPORT", "ADDRESS", "DATE_OF_BIRTH",
    }  # fmt: skip
    assert not any(spec.classifier or spec.noncommercial for spec in SPECS)
    names = {spec.name for spec in default_registry().specs()}
    assert {name for name, _ in DETECTORS} <= names


def test_each_detector_reports_only_its_own_entity() -> None:
    text = "NIK 3201011508950001, email budi.s@gmail.com, hp 0812-3456-7890"
    prepared = PreparedText(original=text, normalised=text.lower(), offsets=tuple(range(len(text) + 1)), lang="id")
    config = OrgConfig()
    seen = {}
    for spec in SPECS:
        detector = spec.factory(config)
        assert detector.name == spec.name
        for finding in detector.detect(prepared, ScanContext()):
            assert finding.detector == spec.name
            assert finding.entity in spec.entities
            seen[finding.entity] = text[finding.start : finding.end]
    assert seen == {"NIK": "3201011508950001", "EMAIL": "budi.s@gmail.com", "PHONE": "0812-3456-7890"}


def test_detectors_honour_the_organisation_allow_list() -> None:
    text = "WA 0812-3456-7890"
    prepared = PreparedText(original=text, normalised=text.lower(), offsets=tuple(range(len(text) + 1)), lang="id")
    phone = next(spec for spec in SPECS if spec.name == "pii.phone")
    assert list(phone.factory(OrgConfig()).detect(prepared, ScanContext()))
    allowed = OrgConfig(allowed_phones=("+62 812 3456 7890",))
    assert list(phone.factory(allowed).detect(prepared, ScanContext())) == []
