"""Domain errors of the governance app."""

from __future__ import annotations


class GovernanceError(Exception):
    """A governance request that is refused, with a message for the user."""


class InvalidPolicyConfigError(GovernanceError):
    """The policy's rule configuration is malformed or names unknown rule packs."""


class NotCurrentPolicyError(GovernanceError):
    """Only the current published policy version can be signed."""


class InvalidTrainingResultError(GovernanceError):
    """A training score outside 0-100, or a module of another organisation."""


class InvalidSuspensionError(GovernanceError):
    """A suspension that would end before it starts."""


class StaleEditError(GovernanceError):
    """Someone else saved or published the draft since this person opened it."""


class NoDraftError(GovernanceError):
    """There is no policy draft to save or publish."""


class InvalidModuleError(GovernanceError):
    """A training module with a malformed quiz or settings."""


class InvalidCaseError(GovernanceError):
    """A violation case request that the workflow or the ladder does not allow."""
