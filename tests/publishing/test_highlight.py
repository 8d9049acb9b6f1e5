"""Server-side highlights: escaping, code-point offsets with emoji, overlapping hits, the one-click fix."""

from __future__ import annotations

import pytest

from juru.publishing.highlight import apply_redaction, highlight, hit_views


def hit(start: int, end: int, action: str = "warn", entity: str = "PHONE") -> dict[str, object]:
    return {
        "rule": "r",
        "action": action,
        "start": start,
        "end": end,
        "entity": entity,
        "message": {"id": "pesan", "en": "msg"},
        "fix": {"id": "perbaiki", "en": "fix"},
        "citation": {"id": "UU 1 Pasal 2", "en": "Law 1, Art. 2"},
    }


def test_emoji_before_a_hit_do_not_shift_it() -> None:
    text = "👨‍👩‍👧 🇮🇩 0812"
    start = text.index("0812")
    html = highlight(text, hit_views(text, [hit(start, start + 4)], "id"))
    assert html.endswith('data-hits="0">0812</mark>')
    assert 'title="pesan · UU 1 Pasal 2 · perbaiki"' in html


def test_citations_read_in_the_readers_language() -> None:
    text = "0812"
    english = highlight(text, hit_views(text, [hit(0, 4)], "en"))
    assert 'title="msg · Law 1, Art. 2 · fix"' in english


def test_a_check_stored_before_citations_were_bilingual_still_shows_its_citation() -> None:
    old = {**hit(0, 4), "citation": "UU 1"}
    assert [view.citation for view in hit_views("0812", [old], "en")] == ["UU 1"]


def test_text_is_escaped_inside_and_outside_marks() -> None:
    text = "<i>x</i> <script>"
    html = highlight(text, hit_views(text, [hit(9, 17, "block")], "en"))
    assert "<script>" not in html
    assert "&lt;script&gt;</mark>" in html
    assert "&lt;i&gt;" in html


def test_overlapping_hits_take_the_strongest_action() -> None:
    text = "abcdef"
    html = highlight(text, hit_views(text, [hit(0, 4, "warn"), hit(2, 6, "block")], "id"))
    assert '<mark class="hit hit-warn" title="pesan · UU 1 Pasal 2 · perbaiki" data-hits="0">ab</mark>' in html
    assert 'class="hit hit-block" title="pesan · UU 1 Pasal 2 · perbaiki" data-hits="0 1">cd</mark>' in html


def test_spans_outside_the_text_are_clipped() -> None:
    views = hit_views("abc", [hit(2, 99)], "id")
    assert (views[0].start, views[0].end, views[0].span) == (2, 3, "c")


def test_redaction_refuses_a_stale_span() -> None:
    assert apply_redaction("call 0812", 5, 9, "9999") is None
    assert apply_redaction("call", 5, 9, "0812") is None


def _fix(text: str, span: str, entity: str = "PHONE") -> str | None:
    start = text.index(span)
    return apply_redaction(text, start, start + len(span), span, entity)


@pytest.mark.parametrize(
    ("text", "span", "fixed"),
    [
        ("hubungi 0812-3456-7890 ya", "0812-3456-7890", "hubungi lewat pesan pribadi (DM) ya"),
        ("Hubungi saya di 0812-3456-7890 ya Kak", "0812-3456-7890", "Hubungi saya lewat pesan pribadi (DM) ya Kak"),
        (
            "Halo Kak, sudah kami hubungi ke 0812-3456-7890.",
            "0812-3456-7890",
            "Halo Kak, sudah kami hubungi lewat pesan pribadi (DM).",
        ),
        (
            "Please send us your details at budi@example.com and we will help.",
            "budi@example.com",
            "Please send us your details by direct message and we will help.",
        ),
        (
            "You can reach our agent on 0812-3456-7890, she is ready to help you.",
            "0812-3456-7890",
            "You can reach our agent by direct message, she is ready to help you.",
        ),
    ],
    ids=["id", "id-after-di", "id-after-ke", "en-email", "en-phone"],
)
def test_personal_data_fix_points_to_a_private_channel_in_the_texts_language(text: str, span: str, fixed: str) -> None:
    assert _fix(text, span) == fixed


def test_a_secret_is_taken_out_leaving_the_sentence() -> None:
    assert _fix("Angka kuartal RAHASIA-Q3 belum boleh dibagikan", "RAHASIA-Q3", "CONFIDENTIAL") == (
        "Angka kuartal belum boleh dibagikan"
    )
