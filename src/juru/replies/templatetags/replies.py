"""Template helpers of replies: what the reusable composer needs besides ``mention`` and ``thread_key``."""

from __future__ import annotations

import time
from typing import Any

from django import template

from juru.publishing.scanning import message_lang
from juru.replies import queries, services

register = template.Library()


@register.simple_tag(takes_context=True)
def composer_data(context: template.Context, mention: Any) -> dict[str, Any]:
    """Whether the member may reply here, the saved replies they may pick, the language, when it was opened."""
    member = context.get("member")
    return {
        "may_reply": member is not None and services.may_reply(member, mention),
        "picker": queries.picker(mention.organisation),
        "crisis": bool(mention.organisation.crisis_active),
        "lang": message_lang(),
        "opened_at": context.get("opened_at") or f"{time.time():.3f}",
    }


@register.filter
def text_in(version: Any, lang: str) -> str:
    """A saved-reply version's text in ``lang`` (Indonesian when there is no English text)."""
    return str(version.text_for(lang))
