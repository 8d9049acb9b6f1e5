"""Normalisation: the copy detectors match on, and the map back to what the author typed."""

from __future__ import annotations

import pytest

from juru.scan.normalise import normalise, prepare, slang_map, stem_id


def roundtrip(text: str, needle: str) -> str:
    """The original slice that a match of ``needle`` on the normalised copy maps back to."""
    prepared = prepare(text, lang="id", slang=False)
    start = prepared.normalised.index(needle)
    a, b = prepared.to_original(start, start + len(needle))
    return text[a:b]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A N J I N G kamu", "anjing kamu"),
        ("b.a.n.g.s.a.t", "bangsat"),
        ("Bangsaaaat!!", "bangsat!!"),
        ("4nj1ng lu", "anjing lu"),
        ("sl0t g4c0r", "slot gacor"),
        ("b!tch a$$hole", "bitch asshole"),
        ("Ｆｕｃｋ", "fuck"),
        ("𝐛𝐚𝐧𝐠𝐬𝐚𝐭", "bangsat"),
        ("ban\u200bg\u200dsat", "bangsat"),
        ("i\u2019ll", "i'll"),
        ("Cafe\u0301", "cafe"),
    ],
)
def test_normalise_undoes_obfuscation(text: str, expected: str) -> None:
    assert normalise(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Harga Rp50.000, hemat 10k, iPhone15 dan 5G",
        "Telp 0812-3456-7890 atau NIK 3171015708450001",
        "Promo 12.12 jam 10",
    ],
)
def test_numbers_in_normal_text_are_not_leetspoken(text: str) -> None:
    assert normalise(text)[0] == text.lower()


def test_offsets_have_one_entry_per_char_plus_end() -> None:
    text = "Halo 😀 Ｋａｋ e\u0301 bangsaaat"
    normalised, offsets = normalise(text)
    assert len(offsets) == len(normalised) + 1
    assert offsets[-1] == len(text)
    assert list(offsets) == sorted(offsets)


def test_spans_map_back_past_emoji_and_combining_marks() -> None:
    text = "😀🇮🇩 e\u0301 dasar 4nj1ng 👍🏽"
    assert roundtrip(text, "anjing") == "4nj1ng"
    assert roundtrip(text, "dasar") == "dasar"


def test_squeezed_run_maps_back_to_the_whole_run() -> None:
    assert roundtrip("dasar bangsaaaaat lu", "bangsat") == "bangsaaaaat"


def test_letter_spaced_word_maps_back_to_the_spaced_span() -> None:
    assert roundtrip("kamu a n j i n g!", "anjing") == "a n j i n g"


def test_lone_surrogates_become_replacement_chars() -> None:
    text = "ok \ud800 lagi \udfff"
    normalised, offsets = normalise(text)
    assert normalised == "ok \ufffd lagi \ufffd"
    assert len(offsets) == len(normalised) + 1


def test_slang_maps_to_formal_and_keeps_spans() -> None:
    if not slang_map():
        pytest.skip("non-commercial slang data not shipped")
    prepared = prepare("gw gk suka yg begitu", lang="id", slang=True)
    assert prepared.normalised.split()[1:3] == ["tidak", "suka"]
    start = prepared.normalised.index("tidak")
    a, b = prepared.to_original(start, start + len("tidak"))
    assert prepared.original[a:b] == "gk"


def test_slang_is_not_applied_to_english_hashtags_or_when_off() -> None:
    assert "#ad" in prepare("Loving it #ad", lang="id", slang=True).normalised
    assert prepare("so good", lang="en", slang=True).normalised == "so good"
    assert prepare("gk suka", lang="id", slang=False).normalised == "gk suka"


def test_slang_follows_the_noncommercial_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    assert prepare("gk suka", lang="id").normalised == "gk suka"


def test_stemming_is_optional() -> None:
    assert stem_id("menyembuhkan") == "sembuh"
    assert stem_id("dijamin") == "jamin"
    assert stem_id("makan") == "makan"
    assert prepare("menyembuhkan", lang="id", stem=True).normalised == "sembuh"
    assert prepare("menyembuhkan", lang="id").normalised == "menyembuhkan"


def test_empty_and_whitespace_texts() -> None:
    assert normalise("") == ("", (0,))
    assert prepare("   ", lang="id").normalised == "   "


def test_one_megabyte_text() -> None:
    text = ("Promo kopi 4nj1ng 😀 e\u0301 bangsaaat a n j i n g Rp50.000 " * 20000)[:1_000_000]
    normalised, offsets = normalise(text, slang=True)
    assert len(offsets) == len(normalised) + 1
    assert offsets[-1] == len(text)
