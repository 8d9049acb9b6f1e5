"""Domain errors of crisis mode: a translated message a person can act on."""

from __future__ import annotations


class CrisisError(Exception):
    """A crisis action that cannot be done, with the reason to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CrisisNotAllowedError(CrisisError):
    """The member's role does not allow this crisis action."""


class CrisisConflictError(CrisisError):
    """The crisis or held post is no longer in the state the action needs (someone was first)."""
