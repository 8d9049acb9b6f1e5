"""Organisation-wide actions follow the member's role (and crisis-team leadership).

A small module of its own so apps that ``accounts.access`` reads from (governance) can check roles
without importing the access module (an import-linter contract keeps it so).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from juru.accounts.exceptions import ActionNotAllowed
from juru.accounts.models import Member, OrgAction, Role, TeamKind, TeamMembership

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(OrgAction.values),
    Role.ADMIN: frozenset(OrgAction.values) - {OrgAction.OVERRIDE_BLOCK},
    Role.APPROVER: frozenset({OrgAction.VIEW_AUDIT, OrgAction.DECLARE_CRISIS}),
    Role.SPOKESPERSON: frozenset(),
    Role.RESPONDER: frozenset(),
    Role.CONTRIBUTOR: frozenset(),
    Role.VIEWER: frozenset(),
}


def role_can(member: Member, action: OrgAction | str) -> bool:
    """True if the member's role allows this organisation-wide action (leads of the crisis team may
    also declare a crisis)."""
    if not member.is_active:
        return False
    if action in ROLE_ACTIONS.get(member.role, frozenset()):
        return True
    if action == OrgAction.DECLARE_CRISIS:
        return TeamMembership.objects.filter(member=member, is_lead=True, team__kind=TeamKind.CRISIS).exists()
    return False


def require_role(member: Member, action: OrgAction | str) -> None:
    """Raise ``ActionNotAllowed`` (HTTP 403) unless ``role_can``."""
    if not role_can(member, action):
        raise ActionNotAllowed(_("Your role does not allow this action."))
