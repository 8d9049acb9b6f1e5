"""Template helpers of the moderation pages: readable names for strike evidence and automatic reasons."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

SIGNALS: dict[str, Promise] = {
    "gambling": _("online gambling promotion"),
    "promoted_link": _("a link with a sales pitch"),
    "repeated_link": _("the same site linked a third time or more"),
    "repeated_text": _("the same text posted again (copy number)"),
    "link": _("link"),
    "abusive": _("abusive language (classifier)"),
    "hate": _("hate speech (classifier)"),
}
REASONS: dict[str, Promise] = {
    "spam": _("Spam is hidden automatically."),
    "abuse": _("Abusive comments are hidden automatically."),
    "hate": _("Hateful comments are hidden automatically."),
    "banned author": _("The author is banned: new comments are hidden."),
}


@register.filter
def signal_label(code: str) -> str:
    """What a strike signal means, in the reader's language."""
    return str(SIGNALS.get(code, code))


@register.filter
def reason_label(reason: str) -> str:
    """An automatic action's reason in the reader's language (a person's own words stay as written)."""
    return str(REASONS.get(reason, reason))


@register.simple_tag
def can_moderate(member: Any) -> bool:
    """Whether the navigation shows Moderation: the role, or a ``moderate`` grant (one query; the
    pages themselves ask ``access.can_moderate``, which also weighs a suspension)."""
    from django.db.models import Q

    from juru.accounts import access
    from juru.accounts.models import Grant, Permission

    if member.role in access.MODERATING_ROLES:
        return member.is_active
    grants = Grant.objects.filter(permission=Permission.MODERATE, account__is_active=True)
    return grants.filter(Q(member=member) | Q(team__memberships__member=member)).exists()
