"""Brand accounts (credentials encrypted at rest) and grants on them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from juru.accounts.exceptions import DuplicateNameError, InvalidInputError
from juru.accounts.models import (
    AccountType,
    BrandAccount,
    ConnectionStatus,
    Grant,
    Member,
    Organisation,
    Permission,
    Team,
)
from juru.audit.services import record

Actor = AbstractBaseUser | None
UNCHANGED: Any = object()


def account_summary(account: BrandAccount) -> dict[str, Any]:
    """What the audit log keeps about an account (never the credentials themselves)."""
    return {
        "network": account.network,
        "handle": account.handle,
        "display_name": account.display_name,
        "account_type": account.account_type,
        "owner_member": str(account.owner_member.public_id) if account.owner_member else None,
        "connection_status": account.connection_status,
        "is_active": account.is_active,
        "has_credentials": account.has_credentials,
    }


def _validate(organisation: Organisation, handle: str, account_type: str, owner_member: Member | None) -> None:
    if not handle.strip():
        raise InvalidInputError(_("An account needs a handle."))
    if account_type not in AccountType.values:
        raise InvalidInputError(_("Unknown account type: %(type)s") % {"type": account_type})
    if account_type == AccountType.PERSONAL and owner_member is None:
        raise InvalidInputError(_("A personal account needs the employee who owns it."))
    if owner_member is not None and owner_member.organisation_id != organisation.pk:
        raise InvalidInputError(_("The owner must be a member of this organisation."))


@transaction.atomic
def create_brand_account(
    *,
    actor: Actor,
    organisation: Organisation,
    network: str,
    handle: str,
    display_name: str = "",
    account_type: str = AccountType.BRAND,
    owner_member: Member | None = None,
    credentials: dict[str, Any] | None = None,
    connection_status: str = ConnectionStatus.DISCONNECTED,
) -> BrandAccount:
    """Register an account; credentials are encrypted before they reach the database."""
    _validate(organisation, handle, account_type, owner_member)
    handle = handle.strip()
    if BrandAccount.objects.filter(organisation=organisation, network=network, handle=handle).exists():
        raise DuplicateNameError(
            _("%(handle)s on %(network)s is already registered.") % {"handle": handle, "network": network}
        )
    account = BrandAccount(
        organisation=organisation,
        network=network,
        handle=handle,
        display_name=display_name or handle,
        account_type=account_type,
        owner_member=owner_member,
        connection_status=connection_status,
    )
    account.credentials = credentials
    account.save()
    record(action="account.create", actor=actor, organisation=organisation, obj=account, after=account_summary(account))
    return account


@transaction.atomic
def update_brand_account(
    *,
    actor: Actor,
    account: BrandAccount,
    display_name: str = UNCHANGED,
    credentials: dict[str, Any] | None = UNCHANGED,
    connection_status: str = UNCHANGED,
    is_active: bool = UNCHANGED,
) -> BrandAccount:
    """Change an account's name, credentials (replaced as a whole), status or on/off switch."""
    before = account_summary(account)
    if display_name is not UNCHANGED:
        account.display_name = display_name.strip() or account.handle
    if credentials is not UNCHANGED:
        account.credentials = credentials
    if connection_status is not UNCHANGED:
        if connection_status not in ConnectionStatus.values:
            raise InvalidInputError(_("Unknown connection status: %(status)s") % {"status": connection_status})
        account.connection_status = connection_status
    if is_active is not UNCHANGED:
        account.is_active = bool(is_active)
    account.save(update_fields=["display_name", "credentials_encrypted", "connection_status", "is_active"])
    after = account_summary(account)
    if credentials is not UNCHANGED:
        after["credentials_changed"] = True
    record(
        action="account.update", actor=actor, organisation=account.organisation, obj=account, before=before, after=after
    )
    return account


@transaction.atomic
def delete_brand_account(*, actor: Actor, account: BrandAccount) -> None:
    """Remove an account and its grants (its history stays in the audit log)."""
    record(
        action="account.delete",
        actor=actor,
        organisation=account.organisation,
        obj=account,
        before=account_summary(account),
    )
    account.delete()


def grant_summary(grant: Grant) -> dict[str, Any]:
    """What the audit log keeps about a grant."""
    return {
        "account": grant.account.handle,
        "permission": grant.permission,
        "member": grant.member.user.get_username() if grant.member else None,
        "team": grant.team.name if grant.team else None,
    }


@transaction.atomic
def set_grant(
    *, actor: Actor, account: BrandAccount, permission: str, member: Member | None = None, team: Team | None = None
) -> Grant:
    """Give a member or a team a permission on an account (no-op if it already exists).

    Granting publish/reply/approve to someone without 2FA is allowed; they stay ineligible
    until they enrol (the access review says so).
    """
    if permission not in Permission.values:
        raise InvalidInputError(_("Unknown permission: %(permission)s") % {"permission": permission})
    if (member is None) == (team is None):
        raise InvalidInputError(_("A grant goes to exactly one member or one team."))
    holder = member if member is not None else team
    if holder is None or holder.organisation_id != account.organisation_id:
        raise InvalidInputError(_("Grants can only be given within the account's organisation."))
    grant, created = Grant.objects.get_or_create(
        account=account,
        permission=permission,
        member=member,
        team=team,
        defaults={"organisation": account.organisation},
    )
    if created:
        record(
            action="grant.set", actor=actor, organisation=account.organisation, obj=grant, after=grant_summary(grant)
        )
    return grant


@transaction.atomic
def revoke_grant(*, actor: Actor, grant: Grant) -> None:
    """Take a grant away."""
    record(action="grant.revoke", actor=actor, organisation=grant.organisation, obj=grant, before=grant_summary(grant))
    grant.delete()
