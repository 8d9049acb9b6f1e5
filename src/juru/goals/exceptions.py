"""Domain errors of goals and reports, with a message meant for people."""

from __future__ import annotations


class GoalsError(Exception):
    """A request the goals app refuses; ``message`` is translated and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
