"""The shipped classifiers: load without scikit-learn, answer clear examples, respect the licence switch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from juru.scan.classify import UnavailableError, classify, classify_texts, unavailable_reason
from juru.scan.classify.features import FEATURES_VERSION, N_BUCKETS
from juru.scan.classify.features import vector as real_vector
from juru.scan.classify.model import Head, ModelError, Stack, build_stack
from juru.scan.classify.runtime import ROUTES, route_for, stack_dir

STACK_DIRS = sorted({stack_dir(lang, r.noncommercial) for (_, lang), r in ROUTES.items()})


def test_every_routed_model_is_shipped_with_a_card() -> None:
    for (_, lang), route in ROUTES.items():
        directory = stack_dir(lang, route.noncommercial)
        assert route.model in Stack.load(directory).heads, route.model
        assert (directory / f"MODEL_CARD-{route.model}.md").is_file(), route.model


def test_noncommercial_heads_never_share_a_stack_with_permissive_ones() -> None:
    for (_, lang), route in ROUTES.items():
        other = Stack.load(stack_dir(lang, not route.noncommercial))
        assert route.model not in other.heads


def test_artifacts_are_plain_arrays_indexed_by_bucket_under_the_size_budget() -> None:
    total = 0
    for directory in STACK_DIRS:
        array = np.load(directory / "weights.npy", allow_pickle=False)  # raises if anything is pickled
        assert array.dtype == np.int16
        assert array.shape[0] == N_BUCKETS
        total += sum(path.stat().st_size for path in directory.glob("*.npy"))
    assert total < 30_000_000


def test_inference_runs_without_sklearn_and_never_unpickles() -> None:
    # numpy itself imports pickle, so the module being loaded proves nothing: every way in is made to fail instead.
    code = (
        "import pickle, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('something was unpickled')\n"
        "pickle.load = pickle.loads = refuse\n"
        "pickle.Unpickler = refuse\n"
        "from juru.scan.classify import classify\n"
        "for task in ('sentiment', 'emotion', 'abusive', 'hate'):\n"
        "    for lang in ('id', 'en'):\n"
        "        classify(task, 'contoh teks biasa saja', lang)\n"
        "assert 'sklearn' not in sys.modules, 'sklearn was imported'\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("task", "lang", "text", "expected"),
    [
        (
            "sentiment",
            "id",
            "makanannya enak sekali , pelayanan ramah , saya sangat puas dan pasti kembali lagi",
            "positive",
        ),
        ("sentiment", "id", "pelayanan buruk sekali , makanan dingin dan mahal , saya sangat kecewa", "negative"),
        ("sentiment", "en", "@united worst airline ever, lost my bag and nobody helps. terrible service", "negative"),
        ("sentiment", "en", "@united thank you so much, the crew was amazing and friendly! great flight", "positive"),
        ("emotion", "id", "aku kesal banget sama kelakuan kamu, bikin emosi dan marah terus!", "anger"),
        ("emotion", "id", "senang sekali hari ini, bahagia bisa kumpul bersama keluarga", "happy"),
        ("emotion", "en", "so furious right now, this is outrageous and I am angry", "anger"),
    ],
)
def test_clear_examples_get_the_obvious_label(task: str, lang: str, text: str, expected: str) -> None:
    assert classify(task, text, lang).label == expected


@pytest.mark.parametrize(
    ("task", "lang", "text", "expected"),
    [
        ("abusive", "id", "dasar bangsat goblok tolol lu anjing", True),
        ("abusive", "id", "selamat pagi, semoga harimu menyenangkan", False),
        ("abusive", "en", "shut up you stupid bitch", True),
        ("abusive", "en", "the weather in jakarta is lovely this morning", False),
        ("hate", "en", "the weather in jakarta is lovely this morning", False),
    ],
)
def test_binary_tasks_give_a_boolean_label(task: str, lang: str, text: str, expected: bool) -> None:
    prediction = classify(task, text, lang)
    assert prediction.label is expected
    assert 0.0 <= prediction.score <= 1.0


def test_sentiment_scores_are_a_distribution() -> None:
    prediction = classify("sentiment", "biasa saja", "id")
    assert set(prediction.scores) == {"positive", "neutral", "negative"}
    assert sum(prediction.scores.values()) == pytest.approx(1.0, abs=1e-4)


def test_mixed_language_uses_the_indonesian_model() -> None:
    assert classify("sentiment", "pelayanan kalian bagus banget, thanks", "mixed").model == "sentiment-id"


def test_noncommercial_switch_off_makes_those_models_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    for task, lang in (("abusive", "id"), ("hate", "id"), ("sentiment", "en")):
        reason = unavailable_reason(task, lang)
        assert reason is not None
        assert "non-commercial" in reason
        with pytest.raises(UnavailableError):
            classify(task, "teks apa saja", lang)
    # permissively licensed models keep working
    assert classify("abusive", "you are an idiot", "en").model == "offensive-en"
    assert classify("sentiment", "bagus", "id").model == "sentiment-id"


def _tiny_model(name: str, classes: tuple[str, ...]) -> Stack:
    head = Head(name, classes, 0, np.array([3.0], dtype=np.float32), {"abusive": 0.5})
    return build_stack([(head, np.array([1, 2], dtype=np.uint32), np.zeros((2, 1), dtype=np.float32))])


def test_an_organisations_own_model_replaces_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tiny_model("abusive-id", ("false", "true")).save(tmp_path / "abusive-id")
    monkeypatch.setenv("JURU_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")  # the own model is not non-commercial
    route = route_for("abusive", "id")
    assert route is not None
    assert route.model == "abusive-id"
    assert not route.noncommercial
    prediction = classify("abusive", "apa saja", "id")
    assert prediction.label is True
    assert prediction.score == pytest.approx(1 / (1 + np.exp(-3.0)), abs=1e-3)


def test_a_model_built_for_other_features_is_refused(tmp_path: Path) -> None:
    model = _tiny_model("x", ("false", "true"))
    model.save(tmp_path)
    meta = (tmp_path / "meta.json").read_text().replace(FEATURES_VERSION, "other-features")
    (tmp_path / "meta.json").write_text(meta)
    with pytest.raises(ModelError):
        Stack.load(tmp_path)


def test_a_missing_model_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot load model"):
        Stack.load(tmp_path / "nothing")


def test_weights_that_do_not_match_the_heads_are_refused(tmp_path: Path) -> None:
    _tiny_model("x", ("false", "true")).save(tmp_path)
    np.save(tmp_path / "weights.npy", np.zeros((2, 3), dtype=np.float32))
    with pytest.raises(ModelError, match="does not match"):
        Stack.load(tmp_path)


def test_all_tasks_of_a_language_share_one_extraction_and_one_gather_per_stack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from juru.scan.classify import runtime

    calls: list[int] = []
    real = Stack.logits

    def counting(self: Stack, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
        calls.append(id(self))
        return real(self, keys, values)

    monkeypatch.setattr(Stack, "logits", counting)
    extractions: list[str] = []
    monkeypatch.setattr(runtime, "vector", lambda text: extractions.append(text) or real_vector(text))
    text = "pelayanan lambat sekali, kecewa berat 12345"
    for task in ("sentiment", "emotion", "abusive", "hate"):
        classify(task, text, "id", True)
    assert extractions == [text]
    assert len(calls) == len(set(calls)) == 2  # the permissive and the non-commercial stack, once each


def test_stacked_scores_equal_each_heads_own_scores() -> None:
    # A head's block taken out of the stack and scored alone gives the same probabilities.
    stack = Stack.load(stack_dir("id", False))
    keys, values = real_vector("makanannya enak, tapi pelayanannya lambat")
    for head in stack.heads.values():
        head_keys, block = stack.head_weights(head.name)
        alone = build_stack([(head, head_keys, block)])
        np.testing.assert_allclose(
            alone.heads[head.name].proba(alone.logits(keys, values)), head.proba(stack.logits(keys, values)), atol=1e-5
        )


def test_a_stack_without_column_scales_is_refused(tmp_path: Path) -> None:
    _tiny_model("x", ("false", "true")).save(tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    del meta["scale"]
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="scale"):
        Stack.load(tmp_path)


def test_stored_int16_weights_score_like_the_float_weights() -> None:
    head = Head("x", ("a", "b", "c"), 0, np.zeros(3, dtype=np.float32))
    rng = np.random.default_rng(0)
    rows = np.arange(0, 5000, 7, dtype=np.uint32)
    block = rng.normal(size=(len(rows), 3)).astype(np.float32)
    stack = build_stack([(head, rows, block)])
    keys, values = rows[:50], rng.random(50).astype(np.float32)
    np.testing.assert_allclose(stack.logits(keys, values), values @ block[:50], atol=1e-3)


BATCH_TEXTS = {
    "id": [
        "pelayanan buruk sekali, makanan dingin dan mahal",
        "",
        "makanannya enak, pasti kembali lagi",
        "dasar goblok lu",
        "🙂",
        "Anak saya keracunan setelah makan nasi kotak, sekarang dirawat di RS",
    ],
    "en": ["@united worst airline ever", "", "thank you, the crew was amazing", "shut up you idiot", "ok"],
}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_batch_gives_the_one_by_one_predictions(lang: str) -> None:
    texts = BATCH_TEXTS[lang]
    batch = classify_texts(texts, lang)
    assert set(batch) == {"sentiment", "emotion", "abusive", "hate"}
    for task, predictions in batch.items():
        assert len(predictions) == len(texts)
        for text, got in zip(texts, predictions, strict=True):
            one = classify(task, text, lang)
            assert (got.model, got.label, got.threshold) == (one.model, one.label, one.threshold), (task, text)
            assert got.scores == pytest.approx(one.scores, abs=1e-5), (task, text)
            assert got.score == pytest.approx(one.score, abs=1e-5)
        assert classify_texts(texts, lang, (task,))[task] == predictions  # one task alone, the same


def test_batch_of_nothing_is_empty_and_unavailable_tasks_still_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    assert classify_texts([], "id", ("sentiment",)) == {"sentiment": []}
    with pytest.raises(UnavailableError):
        classify_texts(["teks"], "id", ("sarcasm",))
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    with pytest.raises(UnavailableError):
        classify_texts(["teks"], "id", ("sentiment", "hate"))


def test_a_model_of_a_newer_format_is_refused_with_a_reason(tmp_path: Path) -> None:
    stack = _tiny_model("abusive-id", ("false", "true"))
    stack.save(tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    (tmp_path / "meta.json").write_text(json.dumps(dict(meta, format=99)), encoding="utf-8")
    with pytest.raises(ModelError, match="newer Juru"):
        Stack.load(tmp_path)
