"""``juru report`` and the report document: both languages, PDF with charts, an empty month, hard text."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from juru.goals import report, services
from juru.goals.pdf import report_html, report_pdf
from tests.goals.conftest import MONTH

pytestmark = pytest.mark.django_db

LONG_WORD = "ketidakberpertanggungjawabannya" * 4  # one very long Indonesian "word"
EMOJI = "Pedasnya pas 🌶️🔥😋"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ["Laporan bulanan, November 2026", "Angka utama", "Postingan terbit", "Program percontohan"]),
        ("en", ["Monthly report, November 2026", "Key figures", "Posts published", "Pilot programmes"]),
    ],
)
def test_juru_report_writes_a_pdf_with_charts_in_both_languages(org, activity, team, tmp_path, lang, words):
    services.save_pilot(
        actor=None, organisation=org, name="Pilot Humas", team=team, start=date(2026, 11, 2), end=date(2026, 11, 29)
    )
    out = tmp_path / f"report-{lang}.pdf"
    call_command("report", "--org", org.slug, "--month", "2026-11", "--lang", lang, "--format", "pdf", "-o", str(out))
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(text_of(pdf).split())
    for word in words:
        assert word in text
    assert "Pilot Humas" in text
    assert "sari" in text  # the pilot's spokesperson, per person
    html = report_html(org, MONTH, lang)
    assert html.count("<svg") >= 2  # both charts
    assert "<rect fill=" in html  # with bars


def test_juru_report_writes_html(org, activity, tmp_path):
    out = tmp_path / "report.html"
    call_command("report", "--org", org.slug, "--month", "2026-11", "--lang", "en", "--format", "html", "-o", str(out))
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert '<html lang="en">' in html
    assert "http://" not in html  # self-contained: nothing to fetch
    assert "https://" not in html


@pytest.mark.parametrize(("lang", "words"), [("id", "Tidak ada aktivitas"), ("en", "No activity")])
def test_an_empty_month_says_so(org, lang, words):
    data = report.build(org, MONTH)
    assert data.empty
    text = " ".join(text_of(report_pdf(org, MONTH, lang)).split())
    assert words in text


def test_a_month_with_activity_is_not_empty(org, activity):
    assert not report.build(org, MONTH).empty


def test_long_words_and_emoji_do_not_break_the_layout(org, owner, team):
    goal = services.create_objective(
        actor=None,
        organisation=org,
        function="pr",
        title=f"{LONG_WORD} {EMOJI}",
        period_start=MONTH,
        period_end=date(2026, 11, 30),
    )
    services.save_pilot(
        actor=None, organisation=org, name=EMOJI, team=team, start=MONTH, end=date(2026, 11, 20), lessons=LONG_WORD
    )
    assert goal.title.startswith(LONG_WORD)
    reader = PdfReader(io.BytesIO(report_pdf(org, MONTH, "id")))
    text = "".join(page.extract_text() for page in reader.pages)
    text = text.replace("\x00", "").replace("\n", "").replace("‐", "")  # pypdf: UTF-16 runs, wraps, hyphens
    assert LONG_WORD in text  # wrapped, never cut off
    assert "Pedasnya pas" in text
    for page in reader.pages:  # every page stays A4
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "tidak-ada"], "no organisation"),
        (["--org", "nusantara", "--month", "2026-13"], "2026-11"),  # the example of the right form
    ],
)
def test_juru_report_refuses_bad_arguments(org, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, "--lang", "en")
