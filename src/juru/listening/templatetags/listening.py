"""Template helpers of listening: the open-alert badge in the navigation."""

from __future__ import annotations

from typing import Any

from django import template

from juru.listening.queries import open_alert_count

register = template.Library()


@register.simple_tag
def open_alerts(member: Any) -> int:
    """How many alerts of the member's organisation nobody has acknowledged."""
    return open_alert_count(member.organisation)
