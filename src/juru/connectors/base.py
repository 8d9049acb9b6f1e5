"""The one protocol every network connector implements, and the outcomes it may report.

Each network module maps *all* of its errors to ``PublishOutcome`` in one function, so the
publishing workflow reasons about six outcomes, never about HTTP codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class Outcome(StrEnum):
    """What happened to a publish (or reply/delete) request."""

    PUBLISHED = "published"
    PENDING = "pending"
    RATE_LIMITED = "rate_limited"
    AUTH_EXPIRED = "auth_expired"
    REJECTED = "rejected"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a network supports and its limits, declared as data (shown live in the editor)."""

    network: str
    max_length: int
    length_unit: str = "characters"  # or "graphemes"
    max_media: int = 4
    media_types: tuple[str, ...] = ("image/jpeg", "image/png")
    max_links: int | None = None
    replies: bool = True
    delete: bool = True
    hide_comments: bool = False
    block_authors: bool = False
    lookup_by_idempotency_key: bool = False
    oauth: bool = False
    read_mentions: bool = True


@dataclass(frozen=True, slots=True)
class Media:
    """An attachment: bytes plus what a network needs to describe it."""

    filename: str
    content_type: str
    data: bytes
    alt_text: str = ""


@dataclass(frozen=True, slots=True)
class OutboundPost:
    """A post (or reply) ready to send. ``idempotency_key`` is unique per publish attempt chain."""

    text: str
    idempotency_key: str
    media: Sequence[Media] = ()
    reply_to: str | None = None


@dataclass(frozen=True, slots=True)
class PublishResult:
    """The mapped outcome of a request, with the network's id and URL when published."""

    outcome: Outcome
    remote_id: str = ""
    url: str = ""
    retry_after: float | None = None
    reason: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Mention:
    """Something the public said to or about an account (comment, reply, mention)."""

    remote_id: str
    author_handle: str
    text: str
    created_at: datetime
    url: str = ""
    in_reply_to: str | None = None
    author_name: str = ""


@dataclass(frozen=True, slots=True)
class Credentials:
    """Decrypted credentials handed to a connector for one call; never stored by it."""

    handle: str
    secret: str = ""
    access_token: str = ""
    refresh_token: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


class Connector(Protocol):
    """One network. Implementations take an injected transport/base URL so tests hit local servers."""

    capabilities: Capabilities

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Send a post or reply and map the network's answer to a ``PublishResult``."""
        ...

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """Find a post already sent with this idempotency key; ``None`` if the network cannot tell."""
        ...

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Remove a published post."""
        ...

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Read new comments/mentions/replies addressed to the account."""
        ...
