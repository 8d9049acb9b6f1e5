"""The MODEL_CARD.md written next to each trained model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from juru.scan.classify.catalogue import ModelSpec
from juru.scan.classify.evaluation import HELD_OUT_SEED
from juru.scan.classify.features import CHAR_BITS, CHAR_ORDERS, WORD_BITS, WORD_ORDER
from juru.scan.classify.model import Head
from juru.scan.classify.runtime import ROUTES
from juru.scan.classify.training import Member


def _size(directory: Path) -> str:
    total = sum(p.stat().st_size for p in directory.glob("*.npy"))
    return f"{total / 1_000_000:.1f} MB"


def _member(member: Member) -> str:
    group = {"wc": "word + char buckets", "w": "word buckets", "c": "char buckets"}[member.groups]
    extras = (", class-balanced" if member.balanced else "") + (
        ", naive-Bayes log-count-ratio scaled (NB-SVM)" if member.naive_bayes else ""
    )
    kind = "linear SVM" if member.loss == "svm" else "logistic regression"
    target = f" for the auxiliary label `{member.target}`" if member.target else ""
    return f"{kind}{target} on {group} (C = {member.c}{extras})"


def _figures(result: dict[str, Any]) -> list[str]:
    rows = ["| figure | value |", "| --- | --- |"]
    for key in ("argmax", "with_threshold"):
        if key in result:
            label = "argmax label" if key == "argmax" else "label with the hate threshold"
            rows.append(f"| macro-F1, {label} | {result[key]['macro_f1']:.3f} |")
            rows.append(f"| accuracy, {label} | {result[key]['accuracy']:.3f} |")
            for name, f1 in result[key]["per_class_f1"].items():
                rows.append(f"| F1 {name}, {label} | {f1:.3f} |")
    for task in ("sentiment", "emotion", "abusive", "hate"):
        if task in result:
            r = result[task]
            rows.append(
                f"| `{task}` finding: P / R / F1 at the threshold | {r['precision']:.3f} / {r['recall']:.3f} / "
                f"{r['f1']:.3f} (threshold about {r['threshold_mean']:.2f}) |"
            )
    return rows


def _held_out(held: dict[str, Any]) -> list[str]:
    if not held:
        return ["Not measured for this artifact (run `juru train` to measure it)."]
    rows = [
        f"{held['held_out']:,} texts of the development set (a stratified fifth, seed {HELD_OUT_SEED}, the same "
        f"rows for every run) were kept out; this recipe was trained on the other {held['train']:,}"
        + (f" plus the project's {held['supplement']} own supplement texts" if held.get("supplement") else "")
        + ", with every setting, the calibration and the thresholds chosen by cross-validation on them. The "
        "baseline is a plain TF-IDF (word 1-2 + char_wb 2-5, sublinear) linear SVM trained on the same rows, "
        f"with the class weighting that did better on the held-out part ({held['baseline_class_weight']}).",
        "",
        "| figure | this model | TF-IDF baseline | gap, 95 % bootstrap interval |",
        "| --- | --- | --- | --- |",
    ]
    for figure, value in held["ours"].items():
        gap = held["gap_bootstrap"][figure]
        rows.append(
            f"| {figure} | {value:.3f} | {held['baseline'][figure]:.3f} | "
            f"{value - held['baseline'][figure]:+.3f} [{gap['low']:+.3f}, {gap['high']:+.3f}] |"
        )
    calibration = held["calibration"]
    rows += [
        "",
        f"Calibration on the held-out part: expected calibration error {calibration['ece']:.3f} (top label, "
        f"15 bins), Brier score {calibration['brier']:.3f}.",
    ]
    return rows


def model_card(spec: ModelSpec, model: Head, vocabulary: int, result: dict[str, Any], directory: Path) -> str:
    """Markdown card: data, licence, labels, features, CV figures beside the anchors, retraining."""
    tasks = sorted(task for (task, lang), route in ROUTES.items() if route.model == spec.name and lang == spec.lang)
    thresholds = ", ".join(f"`{k}` {v:.3f}" for k, v in model.thresholds.items())
    hyper = spec.hyper
    lines = [
        f"# Model card: `{spec.name}`",
        "",
        f"Answers `juru classify --task {'|'.join(tasks)}` for language `{spec.lang}` and the scanner's "
        + ", ".join(f"`classifier.{t}`" for t in tasks)
        + " detector(s).",
        "",
        "## Data and licence",
        f"- Training data: {spec.data}.",
        f"- Licence: {spec.licence}.",
        f"- Labels: {spec.labels}. Classes in output order: {', '.join(model.classes)}.",
        "- Non-commercial: "
        + (
            "yes. The model is stored under `juru/scan/data/noncommercial/models/` and is not loaded when "
            "`JURU_NONCOMMERCIAL_MODELS=false`."
            if spec.noncommercial
            else "no."
        ),
        "- No training text is stored: the weights are indexed by hash bucket, and a bucket holds many n-grams.",
        "",
        "## Features and model",
        "- Text cleaning owned by `juru.scan.classify.features.preprocess` (HTML entities, literal byte escapes "
        "and `\\n`, URLs -> `url`, mentions -> `@user`, numbers -> `0`, lower case, runs of 3+ identical "
        "characters squeezed to 2). It does not depend on the scanner's normaliser or on the non-commercial "
        "switch, so the model always reads the same input.",
        f"- Word 1-{WORD_ORDER}-grams (emoji and punctuation are tokens) plus character "
        f"{CHAR_ORDERS[0]}-{CHAR_ORDERS[-1]}-grams (rolling polynomial hash over the code points with a splitmix64 "
        f"finaliser), hashed straight into 2^{WORD_BITS} word and 2^{CHAR_BITS} character buckets.",
        "- Sublinear tf (one extraction serves every model of the language), idf per bucket, then the word and "
        "the char group each scaled to unit L2 norm over the model's vocabulary, as a plain TF-IDF does: "
        "inference divides each group's product by that norm, read from the model's squared-idf column in the "
        f"same gather (model format 2); buckets seen in >= {hyper.min_df} texts "
        f"(at most {hyper.max_features:,}); {vocabulary:,} buckets used.",
        "- Members: " + "; ".join(_member(m) for m in hyper.members) + ". A multinomial logistic regression on "
        "the members' stacked out-of-fold scores ensembles and calibrates them; idf, NB ratios, members and "
        "calibration are folded into one weight block, so inference is one row gather by bucket and a softmax "
        "in numpy. "
        + (
            "The shipped weights are the mean of the cross-validation fold models, the very models whose "
            "out-of-fold scores the calibration and the thresholds were fitted on."
            if hyper.final == "average"
            else "The shipped weights are one more fit on all rows."
        ),
        f"- Finding thresholds (F1-optimal on out-of-fold probabilities): {thresholds}.",
        f"- Stored in the `{directory.name}/` stack of this licence: `weights.npy` (int16, one row per bucket, "
        "one column block per model; each column's float scale is in `meta.json`), `meta.json`; "
        f"{_size(directory)} for the whole stack.",
        "",
        "## Held-out figures beside the plain baseline",
        *_held_out(model.meta.get("held_out", {})),
        "",
        f"## Cross-validated figures ({result['n']:,} texts, stratified {model.meta.get('folds', 5)}-fold)",
        "Calibration and thresholds applied to each test fold were fitted on the other folds only. "
        "The plain TF-IDF baseline was measured on the same folds. The ensemble recipe was fixed before "
        "looking at these folds (only C and class balancing come from the earlier single-model CV), so the "
        "figures are at most slightly optimistic; the official or held-out test parts are kept outside this "
        "repository.",
        "",
        *_figures(result),
        "",
        "Published anchors and baselines:",
        *[f"- {anchor}" for anchor in spec.anchors],
        f"- Target (DESIGN.md section 6): {spec.target}.",
        *[f"- {note}" for note in spec.notes],
        "",
        "## Retraining",
        f"- Shipped model: `juru train --task {tasks[0]} --lang {spec.lang}` (or `make train` for all), "
        "with the datasets in `$JURU_DATASETS` (default `../shared/datasets`); needs the `dev` extra "
        "(scikit-learn).",
        f"- Your own data: `juru train --task {tasks[0]} --lang {spec.lang} --data labelled.csv --out DIR` with "
        "a CSV header `text,label` (or JSON Lines with `text` and `label`); binary tasks take true/false "
        "labels. Then set `JURU_MODELS_DIR=DIR`: the model `DIR/<task>-<lang>` replaces the shipped one for "
        "that task and language.",
        "",
    ]
    return "\n".join(lines)
