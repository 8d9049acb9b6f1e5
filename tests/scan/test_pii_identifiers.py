"""Indonesian identifiers: NIK, KK, NPWP, payment cards, bank accounts, passports (made-up values)."""

from __future__ import annotations

import pytest

from juru.scan.detectors.pii import scan_pii
from juru.scan.detectors.pii.validators import card_check, kk_check, nik_check, npwp_check


def _luhn_complete(prefix: str) -> str:
    """Append the check digit that makes ``prefix`` pass Luhn (written independently of the detector)."""
    for check in "0123456789":
        digits = prefix + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return digits
    raise AssertionError


def found(text: str) -> list[tuple[str, str]]:
    return [(f.entity, text[f.start : f.end]) for f in scan_pii(text)]


# ------------------------------------------------------------------ NIK
@pytest.mark.parametrize(
    "nik",
    [
        "3201011508950001",  # Kab. Bogor, man born 15-08-1995
        "3171015708450001",  # Jakarta, woman (day 17 + 40)
        "6501015001900001",  # Kalimantan Utara (Bulungan)
        "6571016212880003",  # Kota Tarakan
        "9171012503800002",  # Kota Jayapura
        "9202011010700001",  # Papua Barat (Manokwari)
        "9301013112990004",  # Papua Selatan (Merauke)
        "9401010101010009",  # Papua Tengah (Nabire)
        "9501012002020002",  # Papua Pegunungan (Jayawijaya)
        "9601014407770005",  # Papua Barat Daya (Sorong)
        "9701011501900002",  # Papua Pegunungan under BPS numbering
    ],
)
def test_valid_nik_in_every_region_is_found(nik: str) -> None:
    text = f"NIK saya {nik} mohon dicek"
    assert found(text) == [("NIK", nik)]


def test_nik_explains_region_sex_and_birth_date() -> None:
    finding = scan_pii("no KTP 3171015708450001")[0]
    validation = finding.explanation["validation"]
    assert validation["sex"] == "F"
    assert validation["birth_date"] == "1945-08-17"
    assert validation["region"]["province"] == "Daerah Khusus Ibukota Jakarta"
    assert finding.explanation["context"] == ["nik"]
    assert finding.detector == "pii.nik"


@pytest.mark.parametrize(
    ("nik", "why"),
    [
        ("3201013102950001", "31 February"),
        ("3201017202950001", "31 February for a woman (72 - 40)"),
        ("3201013213950001", "month 13"),
        ("3201010008950001", "day 00"),
        ("3201013508950001", "day 35 (neither 1-31 nor 41-71)"),
        ("3201011508950000", "serial 0000"),
        ("3200011508950001", "regency 00"),
        ("3299011508950001", "regency that does not exist"),
        ("2001011508950001", "province 20 does not exist"),
        ("9901011508950001", "province 99 does not exist"),
        ("1234567890123456", "placeholder"),
        ("3201012902010001", "29 February 2001 and 1901 are not leap days"),
    ],
)
def test_invalid_nik_is_not_reported(nik: str, why: str) -> None:
    assert nik_check(nik) is None, why
    assert not [e for e, _ in found(f"NIK {nik}") if e in ("NIK", "KK")], why


def test_nik_in_the_future_is_rejected() -> None:
    import datetime as dt

    assert nik_check("3201011508250001", limit=dt.date(2020, 1, 1))["birth_date"] == "1925-08-15"  # type: ignore[index]
    assert nik_check("3201011508950001", limit=dt.date(1990, 1, 1)) is None


@pytest.mark.parametrize(
    "typed",
    ["3201 0115 0895 0001", "32.01.01.150895.0001", "320101-150895-0001", "320101 150895 0001", "3201-01-15-0895-0001"],
)
def test_nik_typed_with_separators(typed: str) -> None:
    text = f"Data KTP a.n. Budi: {typed}."
    assert found(text) == [("NIK", typed)]


# ------------------------------------------------------------------ KK
def test_kk_uses_issue_date_without_plus_forty() -> None:
    assert kk_check("3273012204150007")["issued"] == "2015-04-22"  # type: ignore[index]
    assert found("No. KK: 3273 0122 0415 0007") == [("KK", "3273 0122 0415 0007")]
    assert found("nomor kartu keluarga 3273-01-220415-0007 ya") == [("KK", "3273-01-220415-0007")]


def test_kk_with_invalid_region_is_ignored() -> None:
    assert found("No KK 9912 0122 0415 0007") == []


# ------------------------------------------------------------------ NPWP
def test_npwp_old_format_with_valid_check_digit() -> None:
    nine = _luhn_complete("07234567")
    formatted = f"{nine[:2]}.{nine[2:5]}.{nine[5:8]}.{nine[8]}-123.000"
    assert found(f"NPWP saya {formatted}") == [("NPWP", formatted)]
    assert found(f"npwp {nine}123000") == [("NPWP", f"{nine}123000")]


def test_npwp_with_wrong_check_digit_is_ignored() -> None:
    nine = _luhn_complete("07234567")
    wrong = nine[:8] + str((int(nine[8]) + 1) % 10)
    assert npwp_check(wrong + "123000") is None
    assert found(f"NPWP {wrong[:2]}.{wrong[2:5]}.{wrong[5:8]}.{wrong[8]}-123.000") == []


def test_company_npwp_is_not_personal_data() -> None:
    nine = _luhn_complete("01876543")  # taxpayer type 1: an entity (badan)
    text = f"NPWP PT Maju Jaya: {nine[:2]}.{nine[2:5]}.{nine[5:8]}.{nine[8]}-091.000"
    assert found(text) == []
    assert npwp_check(nine + "091000")["taxpayer"] == "entity"  # type: ignore[index]


def test_npwp_sixteen_digits_zero_prefix_and_nik_as_npwp() -> None:
    nine = _luhn_complete("07234567")
    assert found(f"NPWP baru 0{nine}123000") == [("NPWP", f"0{nine}123000")]
    assert found("npwp 3201011508950001") == [("NPWP", "3201011508950001")]


# ------------------------------------------------------------------ cards
@pytest.mark.parametrize(
    ("prefix", "brand"),
    [("453201511283036", "visa"), ("552000123456789", "mastercard"), ("222300004840001", "mastercard"),
     ("353011133330000", "jcb"), ("621234567890123", "unionpay")],
)  # fmt: skip
def test_luhn_valid_cards_by_issuer(prefix: str, brand: str) -> None:
    number = _luhn_complete(prefix)
    assert card_check(number)["brand"] == brand  # type: ignore[index]
    spaced = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    assert found(f"tagihan ganda di kartu kredit {spaced}, mohon dicek") == [("CARD", spaced)]


def test_amex_fifteen_digits() -> None:
    number = _luhn_complete("37828224631000")
    typed = f"{number[:4]}-{number[4:10]}-{number[10:]}"
    assert found(f"kartu {typed} exp 06/28") == [("CARD", typed)]


def test_luhn_invalid_and_placeholder_cards_are_ignored() -> None:
    number = _luhn_complete("453201511283036")
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert found(f"member card no. {broken}") == []
    assert found("contoh nomor kartu 0000 0000 0000 0000") == []
    assert found("test card 4111 1111 1111 1111") == []


# ------------------------------------------------------------------ bank accounts
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("refund ke rekening BCA 1234567890 a.n. Sari", "1234567890"),
        ("no rek Mandiri: 123-00-0987654-3", "123-00-0987654-3"),
        ("transfer ke BRI 0123-01-012345-50-1 ya kak", "0123-01-012345-50-1"),
        ("tolong kirim ke rek 0987654321 (BNI) a.n. saya", "0987654321"),
        ("my account no. 001234567890 at OCBC", "001234567890"),
    ],
)
def test_bank_account_needs_bank_context(text: str, number: str) -> None:
    assert found(text) == [("BANK_ACCOUNT", number)]


def test_number_without_bank_context_is_not_an_account() -> None:
    assert found("tiket kamu 1234567890 sudah kami catat") == []


def test_bank_named_in_the_next_sentence_does_not_make_an_account() -> None:
    text = "Laporan tercatat dengan nomor 6489803261. Refund ke rekening BCA 2822927689 a.n. Budi"
    assert found(text) == [("BANK_ACCOUNT", "2822927689")]
    assert found("transfer ke 1234567890 (BCA) a.n. Budi ya") == [("BANK_ACCOUNT", "1234567890")]


def test_account_length_must_fit_the_bank() -> None:
    assert found("rekening BCA 12345678901234") == []  # BCA accounts have 10 digits


@pytest.mark.parametrize(
    "text",
    [
        "Rekening resmi: Bank BCA 1234567890 a.n. PT Maju Jaya",
        "Pembayaran ke rekening BNI 0987654321",
        "Donasi ke rekening BSI 7123456789 a.n. Yayasan Peduli",
        "Transfer ke BCA 1234567890 a.n. PT Sinar Terang",
    ],
)
def test_company_accounts_are_not_personal(text: str) -> None:
    assert found(text) == []


# ------------------------------------------------------------------ passport
@pytest.mark.parametrize(
    "text", ["No. Paspor: B1234567", "passport number X 7654321 expires soon", "paspor saya a1234567"]
)
def test_passport_with_context(text: str) -> None:
    assert [e for e, _ in found(text)] == ["PASSPORT"]


def test_passport_shape_without_context_is_ignored() -> None:
    assert found("kode B1234567 untuk voucher") == []
    assert found("flight GA1234567 delayed") == []
