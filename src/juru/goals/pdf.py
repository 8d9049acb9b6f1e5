"""The monthly report as a print document and as PDF (WeasyPrint, imported only when a PDF is made)."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from juru.accounts.models import Organisation
from juru.goals import report


def report_html(organisation: Organisation, month: date, lang: str) -> str:
    """The monthly report as one self-contained HTML document in ``lang`` (no external files)."""
    with translation.override(lang):
        data = report.build(organisation, month)
        return render_to_string("goals/report_document.html", {"report": data, "doc_lang": lang})


def report_pdf(organisation: Organisation, month: date, lang: str) -> bytes:
    """The monthly report in ``lang`` ("id" or "en") as PDF, from the same HTML as the page."""
    from juru.web.pdf import html_to_pdf  # noqa: PLC0415  (WeasyPrint loads only when a PDF is made)

    return html_to_pdf(report_html(organisation, month, lang))
