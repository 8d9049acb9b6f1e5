"""Language identification: Indonesian, English or both."""

from __future__ import annotations

import pytest

from juru.scan.lang import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "Halo Kak, mohon maaf atas ketidaknyamanannya. Boleh DM nomor pesanannya ya",
        "Promo spesial akhir pekan! Diskon 30% untuk semua menu kopi",
        "gw kesel bgt sama bos gw hari ini",
        "Selamat pagi",
        "Kopi susu gula aren",
    ],
)
def test_indonesian(text: str) -> None:
    assert detect_language(text) == "id"


@pytest.mark.parametrize(
    "text",
    [
        "I find it ironic that Detroit is known as the #motorcity and yet no one here knows how to drive",
        "We're so excited to launch our new cold brew this Friday",
        "Good morning everyone",
        "Congratulations to the winners of our latte art competition",
    ],
)
def test_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_mixed_when_both_languages_are_substantial() -> None:
    assert detect_language("Meeting hari ini jam 3 ya, don't be late and bring the laptop yang baru") == "mixed"


@pytest.mark.parametrize("text", ["", "   ", "12345 !!!", "😀😀", "\ud800"])
def test_no_words_defaults_to_indonesian(text: str) -> None:
    assert detect_language(text) == "id"
