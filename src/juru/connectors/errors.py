"""The error a connector raises where it cannot return a ``PublishResult`` (reads, configuration)."""

from __future__ import annotations

from juru.connectors.base import Outcome, PublishResult


class ConnectorError(Exception):
    """A connector call failed; ``result`` carries the mapped outcome, retry hint and reason."""

    def __init__(self, result: PublishResult) -> None:
        super().__init__(f"{result.outcome.value}: {result.reason}" if result.reason else result.outcome.value)
        self.result = result

    @property
    def outcome(self) -> Outcome:
        """The mapped outcome (rate_limited, auth_expired, rejected, failed, ...)."""
        return self.result.outcome


class UnknownNetworkError(LookupError):
    """No connector is registered under this network name."""


UnknownNetwork = UnknownNetworkError  # the earlier name, kept for callers that import it
