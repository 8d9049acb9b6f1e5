"""Training quizzes as data: checking their shape and grading a reader's answers.

A quiz is a list of questions, each ``{"section": n, "question": {"id": ..., "en": ...},
"choices": {"id": [...], "en": [...]}, "answer": k}``: ``section`` is the module text's n-th
section (the one the question tests) and ``answer`` the index of the right choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
        raise QuizFormatError("a quiz is a non-empty list of questions")
    for number, item in enumerate(data, start=1):
        _validate_question(number, item, section_count)
    return data


def _validate_question(number: int, item: Any, section_count: int) -> None:
    if not isinstance(item, Mapping) or set(item) != {"section", "question", "choices", "answer"}:
        raise QuizFormatError(f"question {number}: needs exactly section, question, choices and answer")
    section, answer = item["section"], item["answer"]
    if not isinstance(section, int) or not 1 <= section <= section_count:
        raise QuizFormatError(f"question {number}: section must be between 1 and {section_count}")
    for lang in LANGUAGES:
        if not str(item["question"].get(lang, "")).strip():
            raise QuizFormatError(f"question {number}: the question in '{lang}' is missing")
        choices = item["choices"].get(lang)
        if not isinstance(choices, list) or len(choices) < 2:
            raise QuizFormatError(f"question {number}: at least two choices in '{lang}'")
        if not isinstance(answer, int) or not 0 <= answer < len(choices):
            raise QuizFormatError(f"question {number}: the answer must be the index of a choice")
    if len(item["choices"]["id"]) != len(item["choices"]["en"]):
        raise QuizFormatError(f"question {number}: the same number of choices in both languages")


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
