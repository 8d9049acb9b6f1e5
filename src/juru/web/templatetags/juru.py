"""Template helpers for the layout: memberships, role checks, navigation, query strings."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

register = template.Library()

# url_name prefixes -> the navigation section they belong to
SECTIONS = (
    ("member", "members"),
    ("team", "teams"),
    ("brand_account", "accounts"),
    ("grant", "accounts"),
    ("access", "access"),
    ("event", "audit"),
    ("org_home", "home"),
    ("policy", "policy"),
    ("training", "training"),
    ("suspension", "policy"),
    ("violation", "violations"),
    ("organisation_settings", "settings"),
)


@register.simple_tag
def user_memberships(user: Any) -> list[Any]:
    """The user's active memberships with their organisations, by organisation name."""
    from juru.accounts.models import Member

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Member.objects.filter(user_id=user.pk, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


@register.simple_tag
def role_can(member: Any, action: str) -> bool:
    """Whether the member's role allows an organisation-wide action (for buttons and links)."""
    from juru.accounts.models import OrgAction
    from juru.accounts.roles import role_can as can

    if not member:
        return False
    return bool(can(member, OrgAction(action)))


@register.filter
def nav_section(request: HttpRequest) -> str:
    """The navigation section of the current page, from its URL name."""
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", "") or ""
    for prefix, section in SECTIONS:
        if name.startswith(prefix):
            return section
    return ""


@register.simple_tag
def query_with(request: HttpRequest, **changes: Any) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = str(value)
    return params.urlencode()


@register.filter
def pretty_json(value: Any) -> str:
    """Indented JSON for before/after snapshots (escaped by the template as usual)."""
    import json

    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
