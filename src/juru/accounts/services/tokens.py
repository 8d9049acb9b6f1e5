"""API tokens: created once (shown once), stored as a SHA-256, revocable."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.exceptions import InvalidInputError
from juru.accounts.models import ApiToken, Member
from juru.audit.services import record

TOKEN_PREFIX = "juru_"
# Only refresh last_used_at this often: each API call should not be a write.
LAST_USED_RESOLUTION_SECONDS = 60


@transaction.atomic
def create_api_token(*, actor: AbstractBaseUser | None, member: Member, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the member; returns the row and the raw token (never stored)."""
    if not member.is_active:
        raise InvalidInputError(_("Tokens can only be created for active members."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation_id=member.organisation_id,
        member=member,
        name=(name or "API").strip()[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=ApiToken.hash_token(raw),
    )
    record(
        action="token.create",
        actor=actor,
        organisation=member.organisation,
        obj=token,
        after={"member": member.user.get_username(), "name": token.name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: AbstractBaseUser | None, token: ApiToken) -> ApiToken:
    """Revoke a token; it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            action="token.revoke",
            actor=actor,
            organisation=token.member.organisation,
            obj=token,
            before={"name": token.name, "prefix": token.prefix},
        )
    return token


def authenticate_token(raw: str) -> ApiToken | None:
    """The active token for this raw value (with its active member), or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("member__user", "member__organisation")
        .filter(token_hash=ApiToken.hash_token(raw), revoked_at__isnull=True, member__is_active=True)
        .first()
    )
    if token is None or not token.member.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
