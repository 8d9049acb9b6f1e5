"""Hashed n-gram features: stable across processes and releases, and cleaned the documented way."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import zlib
from collections import Counter

import numpy as np
import pytest

from juru.scan.classify import features
from juru.scan.classify.features import (
    CHAR_BUCKETS,
    CHAR_ORDERS,
    WORD_BUCKETS,
    buckets,
    extract,
    preprocess,
    vector,
    weigh,
)

SAMPLE = "Pelayanan @BankXYZ lambat bangettt!!! https://t.co/x"


def test_preprocess_masks_mentions_urls_and_squeezes_repeats() -> None:
    assert preprocess(SAMPLE) == "pelayanan @user lambat bangett!! url"


def test_preprocess_decodes_literal_byte_escapes_and_entities() -> None:
    assert preprocess("mantap \\xf0\\x9f\\x98\\x84 &amp; USER") == "mantap 😄 & @user"


def test_numbers_share_one_placeholder() -> None:
    assert preprocess("Rp 150.000 untuk 2 jam") == preprocess("Rp 99 untuk 7 jam") == "rp 0 untuk 0 jam"


def test_emoji_are_tokens_of_their_own() -> None:
    with_emoji, _ = extract("mantap 😡")
    without, _ = extract("mantap")
    assert len(set(with_emoji.tolist()) - set(without.tolist())) >= 3  # the emoji word, its bigram, char n-grams


def test_vector_normalises_word_and_char_groups_separately() -> None:
    keys, values = vector("halo halo dunia")
    char = keys >= WORD_BUCKETS
    assert np.sum(values[char] ** 2) == pytest.approx(1.0, abs=1e-5)
    assert np.sum(values[~char] ** 2) == pytest.approx(1.0, abs=1e-5)


def test_repeated_ngrams_weigh_sublinearly() -> None:
    keys = np.array([1, 2], dtype=np.uint32)
    values = weigh(keys, np.array([1.0, np.e], dtype=np.float32))
    assert values[1] / values[0] == pytest.approx(2.0, abs=1e-5)  # 1 + log(e) against 1 + log(1)


def test_empty_text_has_no_features() -> None:
    keys, values = vector("   ")
    assert len(values) == len(keys)


def test_features_ignore_the_noncommercial_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    # A permissive model must read the same input whether or not non-commercial data is switched on.
    text = "gk bgt sih, anjir 4nj1ng"
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "true")
    on = vector(text)
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    off = vector(text)
    assert on[0].tolist() == off[0].tolist()
    assert on[1].tolist() == off[1].tolist()


def test_keys_are_sorted_unique_and_counted() -> None:
    keys, counts = extract("aa aa aa")
    assert keys.dtype == np.uint32
    assert np.all(np.diff(keys.astype(np.int64)) > 0)
    assert counts.sum() > len(keys)  # repeated n-grams are counted, not listed twice


def test_word_and_char_keys_use_separate_halves_of_the_key_space() -> None:
    keys, _ = extract("halo")
    char = keys >= WORD_BUCKETS
    assert char.any()
    assert (~char).any()


def test_features_do_not_depend_on_pythons_hash_seed() -> None:
    code = f"from juru.scan.classify.features import extract; print(extract({SAMPLE!r})[0].sum())"
    sums = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        sums.add(run.stdout.strip())
    assert sums == {str(extract(SAMPLE)[0].sum())}


def test_hash_values_are_frozen() -> None:
    # The shipped weights are indexed by these keys: a change here needs a new FEATURES_VERSION and retraining.
    keys, _ = extract("ok")
    assert keys.tolist() == PINNED_OK


PINNED_OK = [79069, 163979, 187769, 214710, 337942, 379930, 381678]


def test_lone_surrogates_are_replaced_not_a_crash() -> None:
    assert preprocess("halo \ud83d dunia") == "halo \ufffd dunia"
    keys, values = vector("halo \udc00\ud800 dunia")
    assert len(keys) == len(values) > 0


def test_features_are_deterministic_within_a_process() -> None:
    first, again = vector(SAMPLE), vector(SAMPLE)
    assert first[0].tolist() == again[0].tolist()
    assert first[1].tolist() == again[1].tolist()


# A plain-Python reference of the hashing, one n-gram at a time, for the vectorised numpy version.
_M64 = (1 << 64) - 1
_MULT = 0x100000001B3


def _mix_ref(value: int) -> int:
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & _M64
    value ^= value >> 33
    value = (value * 0xC4CEB9FE1A85EC53) & _M64
    return value ^ (value >> 33)


def _reference_buckets(clean: str) -> list[int]:
    out = []
    unigrams = [zlib.crc32(token.encode("utf-8")) for token in features._TOKEN.findall(clean)]
    out += [_mix_ref(h) & (WORD_BUCKETS - 1) for h in unigrams]
    out += [
        _mix_ref((a * _MULT + (b ^ 0x9E3779B97F4A7C15)) & _M64) & (WORD_BUCKETS - 1)
        for a, b in zip(unigrams, unigrams[1:], strict=False)
    ]
    padded = f" {clean} "
    for order in CHAR_ORDERS:
        salt = (0xD6E8FEB86659FD93 * order) % 2**64
        for i in range(len(padded) - order + 1):
            h = 0
            for char in padded[i : i + order]:
                h = (h * _MULT + ord(char)) & _M64
            out.append(WORD_BUCKETS + (_mix_ref(h ^ salt) & (CHAR_BUCKETS - 1)))
    return out


def _random_text(rng: random.Random) -> str:
    alphabet = list("abcdefghijklmnopqrstuvwxyz  ABCXYZ0123456789.,!?'@#") + [
        "😄",
        "😡",
        "👍🏽",
        "é",
        "ß",
        "İ",
        "中",
        "\ud83d",  # lone surrogates, as broken UTF-16 from some APIs delivers them
        "\udc00",
        "\u200b",
        "\n",
    ]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))


def test_vectorised_hashing_equals_the_reference_on_random_strings() -> None:
    rng = random.Random(20251121)
    for _ in range(200):
        clean = preprocess(_random_text(rng))
        assert sorted(buckets(clean).tolist()) == sorted(_reference_buckets(clean)), repr(clean)


def test_extract_counts_every_ngram_occurrence() -> None:
    rng = random.Random(7)
    for _ in range(50):
        text = _random_text(rng)
        keys, counts = extract(text)
        expected = Counter(_reference_buckets(preprocess(text)))
        assert dict(zip(keys.tolist(), counts.tolist(), strict=True)) == expected


def test_training_matrix_rows_are_the_inference_vectors() -> None:
    # Training and inference must read exactly the same numbers for a text.
    pytest.importorskip("scipy")
    from juru.scan.classify.training import Hyper, build_vocabulary, featurise, matrix

    texts = ["pelayanan lambat sekali 😡", "Great flight, thanks @united!!", "halo halo dunia", "ok"]
    feats = featurise(texts)
    keys, _ = build_vocabulary(feats, Hyper(min_df=1))
    x = matrix(feats, keys).toarray()
    for row, text in zip(x, texts, strict=True):
        inference_keys, values = vector(text)
        dense = np.zeros(len(keys), dtype=np.float32)
        dense[np.searchsorted(keys, inference_keys)] = values
        np.testing.assert_array_equal(row, dense)
