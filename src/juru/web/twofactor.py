"""Questions the sign-in flow asks about a user's second factor (writes live in accounts.services)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.access import SPEAKING_PERMISSIONS
from juru.accounts.models import Grant, RecoveryCodeDevice, TeamMembership
from juru.accounts.services import has_two_factor

__all__ = ["confirmed_totp", "has_two_factor", "is_verified", "needs_two_factor", "recovery_device"]

AnyUser = AbstractBaseUser | AnonymousUser

ENROLMENT_REQUIRED = _("Your role lets you speak for a brand account, so two-factor sign-in is required.")


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
    """True when the user holds a publish, reply or approve grant (directly or through a team)."""
    user_id: Any = user.pk
    teams = TeamMembership.objects.filter(member__user_id=user_id, member__is_active=True).values("team_id")
    direct = Q(member__user_id=user_id, member__is_active=True)
    speaking = Q(permission__in=[str(p) for p in SPEAKING_PERMISSIONS])
    return Grant.objects.filter(speaking & (direct | Q(team_id__in=teams))).exists()
