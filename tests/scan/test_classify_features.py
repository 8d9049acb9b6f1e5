"""Hashed n-gram features: stable across processes and releases, and cleaned the documented way."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from juru.scan.classify.features import extract, preprocess, vector, weigh

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
    char = keys >= 0x80000000
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
    char = keys >= 0x80000000
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


PINNED_OK = [162346205, 2907757945, 3045271574, 3063927534, 3496298166, 3504065562, 4100751499]
