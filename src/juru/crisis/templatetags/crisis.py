"""Template helpers of the crisis pages."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration_text(value: timedelta) -> str:
    """A response time people read at a glance: "2 h 05 min", "12 min", "40 s"."""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return _("%(seconds)d s") % {"seconds": seconds}
    minutes, _seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
