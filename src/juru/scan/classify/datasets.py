"""Loaders for the labelled sets the shipped models are trained on (training time only).

Each loader returns texts and string labels, with the dataset-specific clean-up documented in
the model cards. The data directory defaults to ``../shared/datasets`` beside the checkout and
can be set with ``JURU_DATASETS``.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from pathlib import Path

Loader = Callable[[Path], tuple[list[str], list[str]]]
# Auxiliary yes/no labels of the same rows, in the same order as the loader's texts.
TargetLoader = Callable[[Path], dict[str, list[bool]]]
SUPPLEMENTS = Path(__file__).resolve().parent / "supplements"

_AIRLINE_DAMAGE = (
    (re.compile(r"Cancelled Flight", re.IGNORECASE), "cancel"),
    (re.compile(r"Late Flight", re.IGNORECASE), "late"),
    (re.compile(r"Flight Booking Problems", re.IGNORECASE), "booking"),
)


def default_root() -> Path:
    """Where the datasets live: ``$JURU_DATASETS`` or ``../shared/datasets`` next to the repository."""
    env = os.environ.get("JURU_DATASETS")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[4]
    return repo.parent / "shared" / "datasets"


def supplement(model: str) -> tuple[list[str], list[str]]:
    """Texts written by the project for ``model`` (``supplements/<model>.csv``), added to its training data only.

    They teach vocabulary the public set lacks (SmSA has almost no food-poisoning complaints); they are never
    part of a held-out evaluation, and the behaviour tests use other sentences.
    """
    path = SUPPLEMENTS / f"{model}.csv"
    if not path.is_file():
        return [], []
    rows = _rows(path)
    return [r["text"] for r in rows], [r["label"] for r in rows]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def smsa(root: Path) -> tuple[list[str], list[str]]:
    """IndoNLU SmSA sentiment: positive / neutral / negative."""
    rows = _rows(root / "id-smsa" / "train.csv")
    return [r["text"] for r in rows], [r["label"] for r in rows]


def emot(root: Path) -> tuple[list[str], list[str]]:
    """IndoNLU EmoT: anger / fear / happy / love / sadness."""
    rows = _rows(root / "id-emot" / "train.csv")
    return [r["tweet"] for r in rows], [r["label"] for r in rows]


def _ibrohim(root: Path, column: str) -> tuple[list[str], list[str]]:
    rows = _rows(root / "id-multilabel-hate-abusive" / "train.csv")
    return [r["Tweet"] for r in rows], ["true" if r[column] == "1" else "false" for r in rows]


def ibrohim_targets(root: Path) -> dict[str, list[bool]]:
    """The other labels of the Ibrohim & Budi 2019 rows: abusive, hate, and whom hate speech targets."""
    rows = _rows(root / "id-multilabel-hate-abusive" / "train.csv")
    columns = {"abusive": "Abusive", "hate": "HS", "hate_individual": "HS_Individual", "hate_group": "HS_Group"}
    return {name: [r[column] == "1" for r in rows] for name, column in columns.items()}


def ibrohim_abusive(root: Path) -> tuple[list[str], list[str]]:
    """Ibrohim & Budi 2019, ``Abusive`` column as true / false."""
    return _ibrohim(root, "Abusive")


def ibrohim_hate(root: Path) -> tuple[list[str], list[str]]:
    """Ibrohim & Budi 2019, ``HS`` column as true / false."""
    return _ibrohim(root, "HS")


def undo_airline_damage(text: str) -> str:
    """Reverse the upstream find-and-replace damage ("Late Flightr", "Cancelled Flightled")."""
    for pattern, replacement in _AIRLINE_DAMAGE:
        text = pattern.sub(replacement, text)
    return text


def airline(root: Path) -> tuple[list[str], list[str]]:
    """Twitter US Airline Sentiment, damage undone: positive / neutral / negative."""
    rows = _rows(root / "en-airline-sentiment" / "train.csv")
    return [undo_airline_damage(r["text"]) for r in rows], [r["label"] for r in rows]


_EMOTION_EN = {"anger": "anger", "joy": "happy", "optimism": "happy", "sadness": "sadness"}


def tweeteval_emotion(root: Path) -> tuple[list[str], list[str]]:
    """TweetEval emotion mapped to anger / happy (joy + optimism) / sadness."""
    rows = _rows(root / "en-tweeteval-emotion" / "train.csv")
    return [r["text"].strip() for r in rows], [_EMOTION_EN[r["label"]] for r in rows]


_DAVIDSON = {"0": "hate", "1": "offensive", "2": "neither"}


def davidson(root: Path) -> tuple[list[str], list[str]]:
    """Davidson et al. 2017: hate / offensive / neither."""
    rows = _rows(root / "en-davidson-hate-offensive" / "train.csv")
    return [r["tweet"] for r in rows], [_DAVIDSON[r["class"]] for r in rows]
