"""Domain errors of listening, with a message meant for people."""

from __future__ import annotations


class ListeningError(Exception):
    """A request listening refuses; ``message`` is translated and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
