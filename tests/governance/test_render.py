"""Policy texts: Markdown rendered safely, numbered sections, diffs; quizzes; the shipped starter content."""

from __future__ import annotations

import pytest
from django.utils import translation

from juru.governance import quiz, render, starter


def test_markdown_becomes_html_with_numbered_sections() -> None:
    html = render.to_html("# Judul\n\n## Satu\nteks **tebal**\n\n## Dua\n- a\n- b\n")
    assert '<h2 id="section-1">Satu</h2>' in html
    assert '<h2 id="section-2">Dua</h2>' in html
    assert "<strong>tebal</strong>" in html
    assert render.sections("## Satu\n\n### sub\n\n## Dua") == ["Satu", "Dua"]


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[klik](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "## <b onclick=x>judul</b>",
    ],
)
def test_html_in_the_source_never_runs(source: str) -> None:
    html = render.to_html(source)
    for tag in ("<script", "<img", "<b ", 'href="javascript'):
        assert tag not in html
    assert "&lt;" in html or "[klik]" in html  # shown as text instead


def test_links_keep_their_address_and_get_noopener() -> None:
    html = render.to_html("[UU PDP](https://peraturan.go.id/uu-27-2022)")
    assert 'href="https://peraturan.go.id/uu-27-2022"' in html
    assert "noopener" in html


def test_text_diff_marks_added_and_removed_lines_with_context() -> None:
    old = "\n".join(f"baris {n}" for n in range(20))
    new = old.replace("baris 3", "baris tiga").replace("baris 17", "baris tujuh belas")
    lines = render.text_diff(old, new, context=1)
    kinds = [(line.kind, line.text) for line in lines if line is not None]
    assert ("removed", "baris 3") in kinds
    assert ("added", "baris tiga") in kinds
    assert ("added", "baris tujuh belas") in kinds
    assert None in lines  # the unchanged middle is skipped
    assert render.text_diff(old, old) == []


def test_config_diff_lists_added_and_removed_entries() -> None:
    changes = render.config_diff(
        {"competitor_names": ["Rasa Prima"], "brand_names": ["Nusantara"]},
        {"competitor_names": ["Rasa Prima", "Dapur Jaya"], "brand_names": []},
    )
    assert [(c.key, c.added, c.removed) for c in changes] == [
        ("brand_names", [], ["Nusantara"]),
        ("competitor_names", ["Dapur Jaya"], []),
    ]


QUESTION = {
    "section": 1,
    "question": {"id": "Apa?", "en": "What?"},
    "choices": {"id": ["a", "b"], "en": ["a", "b"]},
    "answer": 1,
}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "non-empty"),
        ([{**QUESTION, "section": 3}], "section"),
        ([{**QUESTION, "answer": 2}], "answer"),
        ([{**QUESTION, "choices": {"id": ["a", "b"], "en": ["a"]}}], "two choices"),
        ([{**QUESTION, "question": {"id": "Apa?"}}], "'en'"),
        ([{**QUESTION, "extra": 1}], "exactly"),
    ],
)
def test_malformed_quizzes_are_refused_with_the_reason(data: list[object], problem: str) -> None:
    with translation.override("en"), pytest.raises(quiz.QuizFormatError, match=problem):
        quiz.validate(data, section_count=2)


def test_grading_scores_and_names_the_sections_to_read_again() -> None:
    data = [QUESTION, {**QUESTION, "section": 2, "answer": 0}, {**QUESTION, "section": 2}]
    result = quiz.grade(data, {1: 1, 2: 1, 3: None})
    assert (result.score, result.correct, result.total, result.wrong_sections) == (33, 1, 3, [2])
    assert quiz.grade(data, {1: 1, 2: 0, 3: 1}).score == 100


POLICY_SECTIONS = 9  # who may speak, confidentiality, customer data, language, personal accounts,
# conflict handling, legal, account security, consequences


@pytest.mark.parametrize("lang", ["id", "en"])
def test_policy_template_is_complete_in_both_languages(lang: str) -> None:
    text = starter.policy_text("PT Contoh", lang)
    assert len(render.sections(text)) == POLICY_SECTIONS
    assert "PT Contoh" in text
    assert "{organisation}" not in text
    assert "2FA" in text or "dua langkah" in text or "two-factor" in text
    assert "phishing" in text


def test_starter_modules_have_valid_quizzes_in_both_languages() -> None:
    modules = starter.modules()
    assert [m.title_id for m in modules] == ["Etika membalas komentar", "Kerahasiaan & data pelanggan", "Keamanan akun"]
    for module in modules:
        assert len(render.sections(module.body_id)) == len(render.sections(module.body_en)) >= 3
        assert len(module.quiz) >= 3
