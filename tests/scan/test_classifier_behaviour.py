"""What users rely on the shipped classifiers for, in texts written for this check (no dataset rows).

A model may only replace the shipped one when this file passes: complaints about food poisoning
must read as negative (the demo's keracunan wave must raise its alert), praise as positive,
gambling spam must not be taken for hate speech, and a plain complaint is not abuse.
"""

from __future__ import annotations

import pytest

from juru.sandbox.scenarios import CITIES, CRITIC, KERACUNAN, PRODUCTS, PRODUCTS_EN, SPAM
from juru.scan.classify import classify

COMPLAINTS_ID = (
    "Anak saya keracunan setelah makan ayam goreng dari warung kalian, sekarang dirawat di RS",
    "Semalam satu rumah sakit perut dan diare gara-gara lauk yang dibeli di sini",
    "Rotinya sudah basi waktu sampai, ada jamurnya. Saya minta refund",
    "Istri saya harus dirawat di RS setelah minum jus dari gerai kalian, mohon tanggung jawab",
    "Kecewa sekali, pesanan katering untuk arisan basi semua dan tamu-tamu sakit perut",
    "Sudah seminggu minta refund tapi tidak ada kabar sama sekali, kecewa berat",
    "Kok bisa ya makanan basi dijual, adik saya muntah-muntah dan sakit perut sampai pagi",
    "Tiga karyawan kami keracunan setelah makan nasi box pesanan kantor, sampai sekarang belum ada permintaan maaf",
    "Susu yang saya beli kemarin sudah kedaluwarsa dan rasanya asam, anak saya langsung sakit perut",
    "Tolong diusut, banyak warga keracunan setelah makan di acara hajatan yang pakai katering ini",
)
PRAISE_ID = (
    "Makanannya enak banget, pelayanannya cepat dan ramah. Pasti balik lagi!",
    "Terima kasih, pesanan sampai tepat waktu dan rasanya mantap sekali",
    "Puas banget belanja di sini, barangnya bagus dan harganya terjangkau",
    "Kopinya juara, tempatnya nyaman, recommended buat kerja seharian",
)
GAMBLING_SPAM = (
    "Slot gacor malam ini, jackpot pasti cair! Info lengkap link di bio",
    "Main sekarang dapat bonus new member 100%, slot gacor anti rungkad, link di bio ya kak",
    "Mau cuan tiap hari? Gabung situs slot terpercaya, deposit pulsa tanpa potongan, klik link di bio",
    "Bosku yang lagi butuh modal, cek bio ada link slot gacor hari ini maxwin",
)
PLAIN_COMPLAINTS_ID = (
    "Paket saya sudah telat lima hari dan belum ada kabar dari kurirnya",
    "Aplikasinya error terus sejak update kemarin, tolong diperbaiki",
    "Harga naik tapi porsinya makin kecil, saya kecewa dengan perubahan ini",
    "Sudah tiga kali telepon CS tapi tidak ada yang bisa bantu, mengecewakan",
)


def _scenario_texts(templates: tuple[str, ...]) -> list[str]:
    # Every template with each product and city of the sandbox demo, as the scenario writes them.
    return [
        template.format(brand="Warung Sedap", product=product, product_en=PRODUCTS_EN[0], city=CITIES[0], n=12)
        for template in templates
        for product in PRODUCTS
    ]


def _lang(text: str) -> str:
    # The scenario's English lines are routed to the English model, as the scanner's language detection does.
    return "en" if text.startswith(("My ", "Stomach ")) else "id"


@pytest.mark.parametrize("text", COMPLAINTS_ID)
def test_food_poisoning_and_complaints_read_as_negative(text: str) -> None:
    assert classify("sentiment", text, "id").label == "negative"


@pytest.mark.parametrize("template", KERACUNAN)
def test_every_keracunan_scenario_text_reads_as_negative(template: str) -> None:
    for text in _scenario_texts((template,)):
        assert classify("sentiment", text, _lang(text)).label == "negative", text


@pytest.mark.parametrize("text", PRAISE_ID)
def test_clear_praise_reads_as_positive(text: str) -> None:
    assert classify("sentiment", text, "id").label == "positive"


@pytest.mark.parametrize("text", GAMBLING_SPAM + SPAM)
def test_gambling_spam_is_not_taken_for_hate_speech(text: str) -> None:
    assert classify("hate", text, "id").score < 0.8


@pytest.mark.parametrize("text", PLAIN_COMPLAINTS_ID + tuple(_scenario_texts(CRITIC)))
def test_a_plain_complaint_is_not_abuse(text: str) -> None:
    assert classify("abusive", text, "id").label is False
