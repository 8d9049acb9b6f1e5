"""Server-side highlighting of hits: escaped text with each hit's span wrapped in ``<mark>``.

Offsets are Python code-point indices into the original text (as the scanner reports them),
so slicing the same Python string here puts every mark exactly where the hit is, emoji or not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from juru.scan.lang import detect_language

ACTION_ORDER = ("allow", "warn", "require_approval", "block")
# Personal data and secrets have a one-click fix ("apply fix").
REDACTABLE = frozenset(
    {
        "NIK",
        "KK",
        "NPWP",
        "PHONE",
        "EMAIL",
        "CARD",
        "BANK_ACCOUNT",
        "PASSPORT",
        "ADDRESS",
        "DATE_OF_BIRTH",
        "CONFIDENTIAL",
    }
)
# Personal data in a public text moves to a private channel; anything else is taken out.
PERSONAL = REDACTABLE - {"CONFIDENTIAL"}
PRIVATE_CHANNEL = {"id": "lewat pesan pribadi (DM)", "en": "by direct message"}
# Words that only introduced the removed detail ("hubungi saya di 0812...", "call me at 0812...").
_INTRODUCER = re.compile(r"(?:\s+(?:di|ke|pada|via|lewat|melalui|at|on|to))?[\s:]*$", re.IGNORECASE)


@dataclass(frozen=True)
class HitView:
    """One hit as the editor shows it."""

    index: int
    rule: str
    action: str
    severity: str
    start: int
    end: int
    span: str
    entity: str
    message: str
    fix: str
    citation: str
    redactable: bool


def hit_views(text: str, hits: Sequence[Mapping[str, Any]], lang: str) -> list[HitView]:
    """Hits in text order with messages in ``lang``; spans outside the text are clipped."""
    views = []
    for index, hit in enumerate(sorted(hits, key=lambda h: (h.get("start", 0), h.get("end", 0)))):
        start = max(0, min(len(text), int(hit.get("start", 0))))
        end = max(start, min(len(text), int(hit.get("end", 0))))
        views.append(
            HitView(
                index=index,
                rule=str(hit.get("rule", "")),
                action=str(hit.get("action", "warn")),
                severity=str(hit.get("severity", "")),
                start=start,
                end=end,
                span=text[start:end],
                entity=str(hit.get("entity", "")),
                message=str((hit.get("message") or {}).get(lang, "")),
                fix=str((hit.get("fix") or {}).get(lang, "")),
                citation=in_language(hit.get("citation"), lang),
                redactable=str(hit.get("entity", "")) in REDACTABLE and end > start,
            )
        )
    return views


def in_language(value: Any, lang: str) -> str:
    """A stored text in ``lang``: checks stored before citations were bilingual hold one string."""
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("id") or "")
    return str(value or "")


def highlight(text: str, hits: Sequence[HitView]) -> SafeString:
    """Escaped ``text`` with each covered segment in a ``<mark>`` naming its strongest hit."""
    bounds = sorted({0, len(text), *(h.start for h in hits), *(h.end for h in hits)})
    parts: list[str] = []
    for left, right in zip(bounds, bounds[1:]):
        segment = text[left:right]
        covering = [h for h in hits if h.start <= left and right <= h.end and h.start < h.end]
        if not covering:
            parts.append(escape(segment))
            continue
        top = max(covering, key=lambda h: ACTION_ORDER.index(h.action) if h.action in ACTION_ORDER else 0)
        title = " · ".join(filter(None, [top.message, top.citation, top.fix]))
        parts.append(
            format_html(
                '<mark class="hit hit-{}" title="{}" data-hits="{}">{}</mark>',
                top.action,
                title,
                " ".join(str(h.index) for h in covering),
                segment,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308  # every part was escaped above


def apply_redaction(text: str, start: int, end: int, expected: str, entity: str = "") -> str | None:
    """``text`` fixed at ``[start, end)``, or ``None`` if that span no longer holds ``expected``.

    Personal data becomes a pointer to a private channel in the text's language; anything else
    is removed, so the result is still a sentence a person would post.
    """
    if not (0 <= start < end <= len(text)) or text[start:end] != expected:
        return None
    before, after = _INTRODUCER.sub("", text[:start]), text[end:].lstrip(" ")
    if entity in PERSONAL:
        pointer = PRIVATE_CHANNEL["en" if detect_language(text) == "en" else "id"]
        before = f"{before} {pointer}" if before else pointer[:1].upper() + pointer[1:]
    glue = " " if before and after and (after[0].isalnum() or after[0] in "([") else ""
    return before + glue + after
