"""Domain errors of the publishing workflow: each carries a message a person can act on."""

from __future__ import annotations


class PublishingError(Exception):
    """Base class: ``message`` is translated and shown to the user as is."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidTransitionError(PublishingError):
    """The draft is not in a state that allows this action."""

    status = 409


class VersionConflictError(PublishingError):
    """The draft changed since the actor looked at it."""

    status = 409


class NotSubmittableError(PublishingError):
    """The scan verdict or missing acknowledgements prevent submission."""


class NotAnApproverError(PublishingError):
    """The actor may not decide the current step (including authors on their own drafts)."""

    status = 403


class AlreadyDecidedError(PublishingError):
    """Someone else completed this step first (a race between approvers)."""

    status = 409


class InvalidInputError(PublishingError):
    """A field is wrong (past schedule time, over-long text, unconfirmed account...)."""


class TextTooLongError(InvalidInputError):
    """The text is longer than one scan (and one draft) accepts."""

    status = 422


class UnstorableTextError(InvalidInputError):
    """The text holds a character no database can store (NUL, a lone surrogate)."""

    status = 422
