"""Domain errors of the accounts app; views and the API turn them into messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from juru.accounts.access import Eligibility
    from juru.accounts.models import BrandAccount


class AccountsError(Exception):
    """Base class: a request the accounts app refuses, with a message for the user."""


class CredentialsUnreadableError(AccountsError):
    """Stored credentials cannot be decrypted (wrong or missing JURU_ENCRYPTION_KEY)."""


class NotEligible(PermissionDenied):
    """The member may not do this on this account now; ``eligibility.reasons`` says why."""

    def __init__(self, eligibility: Eligibility, account: BrandAccount | None = None) -> None:
        self.eligibility = eligibility
        self.account = account  # the account that refused, so a message can name it
        super().__init__("; ".join(str(r.message) for r in eligibility.reasons))


class ActionNotAllowed(PermissionDenied):
    """The member's role does not allow this organisation-wide action."""


class LastOwnerError(AccountsError):
    """The change would leave the organisation without an active owner."""


class RoleChangeNotAllowedError(AccountsError):
    """The actor may not give this role: no one raises their own, and only an owner grants or removes owner."""


class InvalidTwoFactorCodeError(AccountsError):
    """The code from the authenticator app was wrong or expired."""


class DuplicateNameError(AccountsError):
    """Another row of the organisation already uses this name or handle."""


class InvalidInputError(AccountsError):
    """An argument is outside what the service accepts (unknown role, empty name...)."""


# Shorter names used elsewhere in the code base (kept as aliases).
CredentialsUnreadable = CredentialsUnreadableError
LastOwner = LastOwnerError
InvalidTwoFactorCode = InvalidTwoFactorCodeError
DuplicateName = DuplicateNameError
InvalidInput = InvalidInputError
