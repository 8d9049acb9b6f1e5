"""What can go wrong in advocacy, as messages a person can act on."""

from __future__ import annotations


class AdvocacyError(Exception):
    """A refused advocacy action; the message is translated and shown to the person."""


class AdvocacyPausedError(AdvocacyError):
    """Sharing is paused while the organisation is in crisis mode."""


class NotYourAccountError(AdvocacyError):
    """Only the employee who owns a personal account shares from it."""


class AlreadySharedError(AdvocacyError):
    """The item was already shared from this account."""
