"""Questions the sign-in flow asks about a user's second factor (writes live in accounts.services)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.models import SPEAKING_PERMISSIONS, Grant, Member, RecoveryCodeDevice, Role, TeamMembership
from juru.accounts.services import has_two_factor

__all__ = [
    "confirmed_totp",
    "enrolment_reason",
    "has_two_factor",
    "is_verified",
    "needs_two_factor",
    "recovery_device",
]

AnyUser = AbstractBaseUser | AnonymousUser

ENROLMENT_REQUIRED = _("Your role lets you speak for a brand account, so two-factor sign-in is required.")
MANAGER_ENROLMENT_REQUIRED = _(
    "Your role lets you change people, roles, grants, tokens or the policy, so two-factor sign-in is required."
)
# Roles that change who may do what: a stolen password alone must not be enough for them.
MANAGING_ROLES = (Role.OWNER, Role.ADMIN)


def confirmed_totp(user: AnyUser) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def recovery_device(user: AnyUser) -> RecoveryCodeDevice | None:
    """The user's recovery-code device, if any."""
    return RecoveryCodeDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def is_verified(user: AnyUser) -> bool:
    """True when this session passed the second factor (django-otp's middleware adds the method)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def needs_two_factor(user: AnyUser) -> bool:
    """True when the user manages an organisation or may speak for a brand account."""
    return enrolment_reason(user) is not None


def enrolment_reason(user: AnyUser) -> str | None:
    """Why this user must enrol a second factor (a managing role, then speaking grants), or None."""
    if _manages_an_organisation(user):
        return str(MANAGER_ENROLMENT_REQUIRED)
    if _holds_speaking_grant(user):
        return str(ENROLMENT_REQUIRED)
    return None


def _manages_an_organisation(user: AnyUser) -> bool:
    user_id: Any = user.pk
    return Member.objects.filter(user_id=user_id, is_active=True, role__in=MANAGING_ROLES).exists()


def _holds_speaking_grant(user: AnyUser) -> bool:
    user_id: Any = user.pk
    teams = TeamMembership.objects.filter(member__user_id=user_id, member__is_active=True).values("team_id")
    direct = Q(member__user_id=user_id, member__is_active=True)
    speaking = Q(permission__in=[str(p) for p in SPEAKING_PERMISSIONS])
    return Grant.objects.filter(speaking & (direct | Q(team_id__in=teams))).exists()
