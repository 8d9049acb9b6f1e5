"""Invitation links: Django's password-reset token machinery under its own salt.

A token stops working once the person sets a password (the hash covers the password) and after
``settings.PASSWORD_RESET_TIMEOUT`` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for invitation links; a password-reset token is not an invitation and vice versa."""

    key_salt = "juru.accounts.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


@dataclass(frozen=True)
class InvitationKey:
    """The two parts of an invitation link."""

    uidb64: str
    token: str


def valid_days() -> int:
    """How many days an invitation link works."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def make_key(user: User) -> InvitationKey:
    """A fresh link key for a person who has no password yet."""
    return InvitationKey(uidb64=urlsafe_base64_encode(force_bytes(user.pk)), token=invitation_tokens.make_token(user))


def invited_user(uidb64: str, token: str) -> AbstractBaseUser | None:
    """The person a link invites, or None when the link is unknown, expired or already used."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if user is None or user.has_usable_password() or not invitation_tokens.check_token(user, token):
        return None
    return user
