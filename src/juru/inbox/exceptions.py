"""Domain errors of the inbox, with a message meant for people."""

from __future__ import annotations


class InboxError(Exception):
    """A request the inbox refuses; ``message`` is translated and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
