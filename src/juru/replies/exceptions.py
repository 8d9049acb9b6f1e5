"""Domain errors of replies, with a message meant for people."""

from __future__ import annotations


class RepliesError(Exception):
    """A request the replies app refuses; ``message`` is translated and shown as is."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowedError(RepliesError):
    """The member may not do this (HTTP 403)."""


class ReplyBlockedError(RepliesError):
    """The policy blocks the reply; the message names the rule and its fix."""

    status = 422


class UnfilledVariableError(RepliesError):
    """The text still holds a ``{variable}`` the responder has not filled."""


class OverlapError(RepliesError):
    """Someone else replied or was typing on this conversation since the page was opened."""

    def __init__(self, message: str, names: list[str]) -> None:
        super().__init__(message)
        self.names = names
