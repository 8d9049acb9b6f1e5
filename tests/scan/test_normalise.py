"""Normalisation: the copy detectors match on, and the map back to what the author typed."""

from __future__ import annotations

import random

import pytest

from juru.scan import normalise as normalise_module
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


# The string-method paths must find exactly what the reference regexes find. Random texts mix
# letters, digits, leet symbols, separators, "#", "@", "*", emoji and accented letters.
_ALPHABET = "ab0123 .-_@$!+#*?'😀é–"


def _random_texts(count: int, size: int) -> list[str]:
    rng = random.Random(20260101)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(size))) for _ in range(count)]


def test_leetspeak_hints_match_the_reference_pattern() -> None:
    for text in _random_texts(20000, 16):
        assert normalise_module._leet_hints(text) == [m.span() for m in normalise_module._LEET_HINT.finditer(text)]


def test_fast_slang_squeeze_and_spacing_match_the_regex_paths() -> None:
    mapping = slang_map()
    words = sorted(mapping)[:: max(1, len(mapping) // 300)] + ["aaa", "bbbb", "a b c", "x.y.z", "k-l-m", "p_q_r"]
    rng = random.Random(7)
    for noise in _random_texts(5000, 5):
        text = "".join(rng.choice(["", " ", "#", "@", "*", "1", "😀", "é", "."]) + rng.choice(words) for _ in range(3))
        text += noise
        identity = list(range(len(text)))
        expected = normalise_module._replace(
            text, identity, normalise_module._SLANG_TOKEN, lambda m: mapping.get(m.group())
        )
        got = normalise_module._map_slang(text, range(len(text)))
        assert (got[0], list(got[1])) == (expected[0], list(expected[1])), text
        squeezed = normalise_module._squeeze(text, range(len(text)))
        reference = normalise_module._replace(text, identity, normalise_module._REPEATS, lambda m: m.group(1))
        assert (squeezed[0], list(squeezed[1])) == (reference[0], list(reference[1])), text
        spaced = normalise_module._join_letter_spaced(text, range(len(text)))[0]
        assert (spaced != text) == bool(normalise_module._LETTER_SPACED.search(text)), text


def test_unchanged_texts_keep_an_identity_offset_map() -> None:
    prepared = prepare("Halo kak, pesanan sudah dikirim ya 🙏", lang="en")
    assert list(prepared.offsets) == list(range(len(prepared.original) + 1))
    assert prepared.to_original(0, 4) == (0, 4)
