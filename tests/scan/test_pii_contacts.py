"""Phone numbers, e-mail, addresses and dates of birth; a person's contact details versus an organisation's."""

from __future__ import annotations

import pytest

from juru.rules.config import OrgConfig
from juru.scan.detectors.pii import scan_pii


def found(text: str, config: OrgConfig | None = None) -> list[tuple[str, str]]:
    return [(f.entity, text[f.start : f.end]) for f in scan_pii(text, config)]


# ------------------------------------------------------------------ phone formats
@pytest.mark.parametrize(
    "number",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "0812 . 3456 . 7890",
        "+6281234567890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "+62 812-3456-7890",
        "6281234567890",
        "62 812 3456 7890",
        "0857-1234-567",
        "0896 1234 5678",
        "(021) 555 1234",
        "(022) 2501234",
        "021-5551234",
        "+62 21 5551234",
        "0274 512345",
        "0 8 1 2 3 4 5 6 7 8 9 0",
    ],
)
def test_phone_formats(number: str) -> None:
    text = f"tolong hubungi saya di {number} ya"
    assert found(text) == [("PHONE", number)]


def test_whatsapp_link_reports_only_the_number() -> None:
    text = "chat aku di wa.me/6281234567890 aja"
    assert found(text) == [("PHONE", "6281234567890")]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("WA aku 0812 3456 78 sembilan nol", "0812 3456 78 sembilan nol"),
        ("nol delapan satu dua 3456 7890 ya", "nol delapan satu dua 3456 7890"),
        ("kontak O812-3456-789O", "O812-3456-789O"),
    ],
)
def test_obfuscated_phone_numbers(text: str, number: str) -> None:
    assert found(text) == [("PHONE", number)]


def test_phone_explanation_says_why_it_is_a_person() -> None:
    finding = scan_pii("no HP saya 0812-3456-7890")[0]
    assert finding.explanation["owner"] == "person"
    assert finding.explanation["owner_cue"] == "saya"
    assert finding.explanation["validation"]["kind"] == "mobile"


@pytest.mark.parametrize(
    "text",
    [
        "Hubungi call center kami 14045 atau 1500-888.",
        "Bebas pulsa: 0800-1-234567",
        "Call center resmi kami di 0811-1500-888",
        "WA resmi: 0812 1111 2233 (official)",
        "Kontak resmi kami hanya (021) 555 1234",
        "Promo s.d. 30 Juni. Info: 0812-8000-8941",
        "Our official WhatsApp: +62 811 2233 4455",
        "Hotline layanan pelanggan 021-5005000",
        "Customer service kami: 0812 3456 7000",
        "Untuk pemesanan hubungi 0812-3456-7890",
        "WA admin: 0812 3456 7890",
        "For inquiries call 0812-3456-7890",
        "Untuk info lebih lanjut hubungi 021-2922-1234 (Senin-Jumat)",
        "Layanan 24 jam: 0811 2233 4455 (24 jam)",
    ],
)
def test_organisation_numbers_are_not_findings(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Halo admin, nomor saya 0812 3456 7890 tolong dihubungi",
        "Call center kami sudah menghubungi nomor Kakak 0812 3456 7890",
        "Sdr. Andi (0813-9876-5432) belum dihubungi",
        "hubungi 0812-3456-7890 jam 7 malam",
    ],
)
def test_the_nearest_cue_decides_whose_number_it_is(text: str) -> None:
    assert [e for e, _ in found(text)] == ["PHONE"]


def test_allowed_phones_are_skipped_in_any_format() -> None:
    config = OrgConfig(allowed_phones=("0812-3456-7890",))
    assert found("hubungi 0812 3456 7890 atau +62 812-3456-7890", config) == []
    assert found("hubungi 0812 3456 7891", config) == [("PHONE", "0812 3456 7891")]


# ------------------------------------------------------------------ e-mail
def test_personal_email() -> None:
    assert found("email saya rina.wulandari88@gmail.com ya") == [("EMAIL", "rina.wulandari88@gmail.com")]
    assert found("kirim CV ke budi.s@perusahaan.co.id (u.p. Pak Budi)") == [("EMAIL", "budi.s@perusahaan.co.id")]


@pytest.mark.parametrize(
    "address",
    ["cs@tokoku.id", "humas@pemda.go.id", "info@contoh-usaha.com", "support@app.io", "halo@brand.co.id",
     "hello@ojekku.id", "rekrutmen@bank.co.id", "noreply@service.com", "cs.jakarta@bank.co.id", "care2@shop.id"],
)  # fmt: skip
def test_role_mailboxes_are_not_findings(address: str) -> None:
    assert found(f"Hubungi kami di {address}") == []


def test_placeholder_emails_are_not_findings() -> None:
    assert found("format email: nama@email.com atau user@example.com") == []


def test_obfuscated_email() -> None:
    text = "email aku yuni_kusuma (at) gmail (dot) com ya"
    assert found(text) == [("EMAIL", "yuni_kusuma (at) gmail (dot) com")]
    text = "rina.w [at] gmail [dot] com"
    assert found(text) == [("EMAIL", text)]


def test_masked_email_is_not_a_finding() -> None:
    assert found("link reset dikirim ke zh*****t@gmail.com") == []


def test_allowed_emails_are_skipped() -> None:
    config = OrgConfig(allowed_emails=("Budi.Santoso@Brand.co.id",))
    assert found("email budi.santoso@brand.co.id", config) == []


# ------------------------------------------------------------------ address
@pytest.mark.parametrize(
    "address",
    [
        "Jl. Melati No. 5, RT 03/RW 02, Kel. Sukamaju, Kec. Coblong, Kota Bandung 40132",
        "Jln. Kenanga no 12 RT 01 RW 07 Sleman 55281",
        "Gg. Mawar II No. 3B, RT.004/RW.009, Kelurahan Pasar Minggu, Jakarta Selatan",
        "Perum Griya Asri Blok C2 No. 7, Kec. Cibinong, Kab. Bogor 16911",
        "jalan pahlawan nomor 8, RT 2/3, Desa Sukoharjo, Kab. Malang",
    ],
)
def test_private_street_address(address: str) -> None:
    text = f"tolong kirim ke {address}. Makasih"
    assert found(text) == [("ADDRESS", address)]


@pytest.mark.parametrize(
    "text",
    [
        "Kunjungi toko kami di Jl. Merdeka No. 10, Jakarta Pusat",
        "Acara bertempat di Jl. Asia Afrika No. 8, Kota Bandung",
        "Kantor cabang: Jl. Sudirman No. 1, Kota Medan",
        "Jl. Gatot Subroto No. 42, Jakarta Selatan (kantor pusat)",
        "Yuk mampir ke outlet baru kami di Jl. Braga No. 12, Kota Bandung!",
    ],
)
def test_office_and_store_addresses_are_not_findings(text: str) -> None:
    assert found(text) == []


def test_street_name_alone_is_not_an_address() -> None:
    assert found("macet parah di Jl. Sudirman pagi ini") == []
    assert found("jalan-jalan ke Bandung 3 hari") == []


# ------------------------------------------------------------------ date of birth
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Budi lahir 12 Mei 1990 di Bandung", "12 Mei 1990"),
        ("TTL: Surabaya, 17-08-1990", "17-08-1990"),
        ("Tempat/tanggal lahir: Kab. Kepulauan Seribu, 01/02/2000", "01/02/2000"),
        ("DOB: March 3, 1985", "March 3, 1985"),
        ("born on 28/03/1991, address unknown", "28/03/1991"),
        ("tgl lahir 2.9.2000", "2.9.2000"),
        ("DOB 1990-08-17", "1990-08-17"),
        ("my DOB is 03/04/1988", "03/04/1988"),
        ("born 17 August 1990 in Medan", "17 August 1990"),
    ],
)
def test_date_of_birth_next_to_a_cue(text: str, date: str) -> None:
    assert found(text) == [("DATE_OF_BIRTH", date)]


@pytest.mark.parametrize(
    "text",
    [
        "Promo berlaku s.d. 12 Mei 2026",
        "Event tanggal 17-08-2026 jam 10.00",
        "lahir 31 Februari 1990",  # not a date
        "Hari lahir Pancasila diperingati tiap tahun, acara 1 Juni 2030",  # future date
    ],
)
def test_other_dates_are_not_birth_dates(text: str) -> None:
    assert found(text) == []
