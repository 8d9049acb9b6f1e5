"""A policy version as PDF (WeasyPrint), from the same sanitised HTML as the page; nothing is fetched."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from juru.governance import render
from juru.governance.models import PolicyVersion
from juru.web.pdf import html_to_pdf


def print_html(version: PolicyVersion, lang: str) -> str:
    """The print document the PDF is made from: the version's text in ``lang``, with its number and revision."""
    with translation.override(lang):
        return render_to_string(
            "governance/policy_pdf.html",
            {"version": version, "doc_lang": lang, "doc_html": render.to_html(version.body_for(lang))},
        )


def policy_pdf(version: PolicyVersion, lang: str) -> bytes:
    """The version's text in ``lang`` ("id" or "en") as a PDF."""
    return html_to_pdf(print_html(version, lang))
