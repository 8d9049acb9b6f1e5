"""Template helpers of the inbox: the notice badge and the reply slot's soft links."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from juru.inbox import queries

register = template.Library()


@register.simple_tag
def inbox_notices(member: Any) -> int:
    """How many in-app notices the member has not read (counted once a request: the menu and the tabs show it)."""
    count: int | None = getattr(member, "_inbox_unread_notices", None)
    if count is None:
        count = queries.unread_notifications(member).count()
        member._inbox_unread_notices = count
    return count


@register.simple_tag
def soft_url(name: str, *args: Any) -> str:
    """The URL of ``name`` when that page exists here, else "" (tries without the first argument too)."""
    for attempt in (args, args[1:]):
        try:
            return reverse(name, args=attempt)
        except NoReverseMatch:
            continue
    return ""


@register.simple_tag(takes_context=True)
def optional_include(context: template.Context, name: str, **extra: Any) -> str:
    """Render ``name`` with the current context (plus ``extra``) when the template exists, else nothing."""
    try:
        found = get_template(name)
    except TemplateDoesNotExist:
        return ""
    values: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
    return found.render({**values, **extra}, context.get("request"))
