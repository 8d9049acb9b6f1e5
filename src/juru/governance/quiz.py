"""Training quizzes as data: checking their shape and grading a reader's answers.

A quiz is a list of questions, each ``{"section": n, "question": {"id": ..., "en": ...},
"choices": {"id": [...], "en": [...]}, "answer": k}``: ``section`` is the module text's n-th
section (the one the question tests) and ``answer`` the index of the right choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

LANGUAGES = ("id", "en")


class QuizFormatError(ValueError):
    """A quiz that does not have the documented shape."""


@dataclass(frozen=True)
class Question:
    """One question, ready to show in a language."""

    number: int
    section: int
    text: str
    choices: list[str]
    answer: int


@dataclass(frozen=True)
class Grade:
    """The result of one attempt."""

    score: int
    correct: int
    total: int
    wrong_sections: list[int]


def validate(data: Any, section_count: int) -> list[dict[str, Any]]:
    """The quiz if it has the documented shape and names existing sections; ``QuizFormatError`` otherwise."""
    if not isinstance(data, list) or not data:
        raise QuizFormatError(_("a quiz is a non-empty list of questions"))
    for number, item in enumerate(data, start=1):
        _validate_question(number, item, section_count)
    return data


def _validate_question(number: int, item: Any, section_count: int) -> None:
    params: dict[str, Any] = {"n": number, "count": section_count}
    if not isinstance(item, Mapping) or set(item) != {"section", "question", "choices", "answer"}:
        raise QuizFormatError(_("question %(n)s: needs exactly section, question, choices and answer") % params)
    section, answer = item["section"], item["answer"]
    if not isinstance(section, int) or not 1 <= section <= section_count:
        raise QuizFormatError(_("question %(n)s: section must be between 1 and %(count)s") % params)
    if not isinstance(item["question"], Mapping) or not isinstance(item["choices"], Mapping):
        raise QuizFormatError(_("question %(n)s: question and choices need an 'id' and an 'en' part") % params)
    for lang in LANGUAGES:
        params["lang"] = lang
        if not str(item["question"].get(lang, "")).strip():
            raise QuizFormatError(_("question %(n)s: the question in '%(lang)s' is missing") % params)
        choices = item["choices"].get(lang)
        if not isinstance(choices, list) or len(choices) < 2:
            raise QuizFormatError(_("question %(n)s: at least two choices in '%(lang)s'") % params)
        if not isinstance(answer, int) or not 0 <= answer < len(choices):
            raise QuizFormatError(_("question %(n)s: the answer must be the number of a choice, from 0") % params)
    if len(item["choices"]["id"]) != len(item["choices"]["en"]):
        raise QuizFormatError(_("question %(n)s: the same number of choices in both languages") % params)


def questions(data: Sequence[Mapping[str, Any]], lang: str) -> list[Question]:
    """The questions in the given language (Indonesian unless English is asked for)."""
    code = "en" if lang.startswith("en") else "id"
    return [
        Question(n, item["section"], item["question"][code], list(item["choices"][code]), item["answer"])
        for n, item in enumerate(data, start=1)
    ]


def grade(data: Sequence[Mapping[str, Any]], answers: Mapping[int, int | None]) -> Grade:
    """Score ``answers`` (question number to chosen index, ``None`` if unanswered) out of 100."""
    total = len(data)
    wrong: list[int] = []
    for number, item in enumerate(data, start=1):
        if answers.get(number) != item["answer"] and item["section"] not in wrong:
            wrong.append(item["section"])
    correct = sum(1 for number, item in enumerate(data, start=1) if answers.get(number) == item["answer"])
    score = round(100 * correct / total) if total else 0
    return Grade(score, correct, total, sorted(wrong))
