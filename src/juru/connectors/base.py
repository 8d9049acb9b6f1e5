"""The one protocol every network connector implements, and the outcomes it may report.

Each network module maps *all* of its errors to ``Outcome`` in one function, so the publishing
workflow reasons about six outcomes, never about HTTP codes.

At-most-once contract: ``OutboundPost.idempotency_key`` stays the same for every attempt to send
one post. A connector whose capabilities say ``lookup_by_idempotency_key`` must make ``lookup``
find a post that an earlier attempt sent with that key, even when that attempt's answer was lost,
and a second ``publish`` with the same key must never create a second post. A connector whose
capabilities say ``lookup_by_content`` finds it instead by its exact text among the account's
posts made since ``OutboundPost.attempted_since``. Callers check ``lookup`` after an
``Outcome.PENDING`` (or a crash) before they try again; where neither lookup exists, a person decides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

import regex

# Extended grapheme clusters (UAX #29): what a reader sees as one character, such as a family
# emoji built with zero-width joiners, a flag, or a letter with combining marks.
_GRAPHEME = regex.compile(r"\X")


class Outcome(StrEnum):
    """What happened to a publish, reply or delete request."""

    PUBLISHED = "published"  # the request took effect (posted, replied, deleted)
    PENDING = "pending"  # no answer: it may have taken effect; ``lookup`` before any retry
    RATE_LIMITED = "rate_limited"  # try again after ``retry_after`` seconds
    AUTH_EXPIRED = "auth_expired"  # the account must be reconnected by a person
    REJECTED = "rejected"  # the network refused this content; retrying will not help
    FAILED = "failed"  # the network failed; it did not take effect; a later retry may work


def count_graphemes(text: str) -> int:
    """Number of user-perceived characters (extended grapheme clusters) in ``text``."""
    return len(_GRAPHEME.findall(text))


# How each length unit is counted. A network with its own rule (X's weighted length) registers
# it from its module with ``register_length_unit``.
LENGTH_UNITS: dict[str, Callable[[str], int]] = {
    "characters": len,
    "graphemes": count_graphemes,
    "bytes": lambda text: len(text.encode("utf-8")),
}


def register_length_unit(unit: str, counter: Callable[[str], int]) -> None:
    """Teach ``measure`` a network-specific length unit."""
    LENGTH_UNITS[unit] = counter


def measure(text: str, unit: str = "characters") -> int:
    """Length of ``text`` the way a network counts it (``characters``, ``graphemes``, ``bytes`` or a registered unit).

    An unknown unit counts code points: an editor should show an approximate count, never fail.
    """
    return LENGTH_UNITS.get(unit, len)(text)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a network supports and its limits, declared as data (shown live in the editor)."""

    network: str
    max_length: int
    length_unit: str = "characters"  # or "graphemes"
    max_media: int = 4
    media_types: tuple[str, ...] = ("image/jpeg", "image/png")
    max_links: int | None = None
    posts: bool = True  # takes new posts (YouTube: no, only replies to comments)
    replies: bool = True
    delete: bool = True
    hide_comments: bool = False
    block_authors: bool = False
    lookup_by_idempotency_key: bool = False
    lookup_by_content: bool = False  # finds an earlier post by its text and time (networks without keys)
    media_by_url: bool = False  # fetches attachments from a public URL (``media_url_for``) instead of taking bytes
    oauth: bool = False
    refresh_tokens: bool = False  # access tokens expire and are renewed with a refresh token
    read_mentions: bool = True
    max_bytes: int | None = None  # a second, byte-based ceiling (Bluesky: 3000 bytes of UTF-8)
    display_name: str = ""
    profile_url: str = ""  # where a person sees the account's posts, with ``{handle}`` (no leading @)

    def profile(self, handle: str) -> str:
        """The address of ``handle``'s public page on this network ('' when the network has none we know)."""
        return self.profile_url.format(handle=handle.strip().lstrip("@")) if self.profile_url and handle else ""

    @property
    def can_look_up(self) -> bool:
        """Whether ``lookup`` can tell that a post is surely not there (else a person must check)."""
        return self.lookup_by_idempotency_key or self.lookup_by_content

    def measure(self, text: str) -> int:
        """Length of ``text`` in this network's unit."""
        return measure(text, self.length_unit)

    def remaining(self, text: str) -> int:
        """How many units are left (negative when the text is too long)."""
        left = self.max_length - self.measure(text)
        if self.max_bytes is not None:
            # Report the tighter of the two limits, in the network's own unit where possible.
            over_bytes = measure(text, "bytes") - self.max_bytes
            if over_bytes > 0:
                return min(left, -over_bytes)
        return left

    def fits(self, text: str) -> bool:
        """True when ``text`` is within every length limit of the network."""
        return self.remaining(text) >= 0


@dataclass(frozen=True, slots=True)
class Media:
    """An attachment: bytes plus what a network needs to describe it."""

    filename: str
    content_type: str
    data: bytes
    alt_text: str = ""
    ref: str = ""  # what the host application knows this file by (Juru: the attachment's public id)


@dataclass(frozen=True, slots=True)
class OutboundPost:
    """A post (or reply) ready to send. ``idempotency_key`` is unique per publish attempt chain.

    ``reply_to`` is the ``remote_id`` of the post or comment being answered. ``created_at`` is the
    time the post says it was written (networks that take one, such as Bluesky); default: now.
    ``attempted_since`` is when the first attempt that may have reached the network started: a
    lookup by content searches the account's posts from then on.
    """

    text: str
    idempotency_key: str
    media: Sequence[Media] = ()
    reply_to: str | None = None
    created_at: datetime | None = None
    attempted_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class PublishResult:
    """The mapped outcome of a request, with the network's id and URL when published."""

    outcome: Outcome
    remote_id: str = ""
    url: str = ""
    retry_after: float | None = None
    reason: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the request took effect."""
        return self.outcome is Outcome.PUBLISHED


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
    kind: str = "mention"  # "comment" (under one of the account's posts), "reply" or "mention"
    cursor: str = ""  # pass the newest item's cursor as ``since`` to read only what came after it


@dataclass(frozen=True, slots=True)
class Credentials:
    """Decrypted credentials handed to a connector for one call; never stored by it."""

    handle: str
    secret: str = ""
    access_token: str = ""
    refresh_token: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class Connector(Protocol):
    """One network. Implementations take an injected transport/base URL so tests hit local servers.

    Failures are never raised from ``publish``, ``lookup`` and ``delete``: they come back as a
    ``PublishResult`` whose outcome says what the caller should do next. ``fetch_mentions`` raises
    ``juru.connectors.errors.ConnectorError`` (which carries such a result) because it returns a list.
    """

    capabilities: Capabilities

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Send a post or reply (``post.reply_to``) and map the network's answer to a ``PublishResult``."""
        ...

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """Find a post already sent with this idempotency key.

        Returns a ``PUBLISHED`` result when the post exists, ``None`` when it surely does not
        (meaningful only when ``capabilities.can_look_up``), or another outcome when the network
        could not be asked (then nothing is known: do not publish again yet).
        """
        ...

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Remove a published post."""
        ...

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Read new comments/mentions/replies addressed to the account, oldest first."""
        ...


@runtime_checkable
class ModeratingConnector(Connector, Protocol):
    """A network that lets the account hide comments and block authors (see ``Capabilities``)."""

    def hide(self, credentials: Credentials, remote_id: str, *, hidden: bool = True) -> PublishResult:
        """Hide (or show again) a comment under one of the account's posts."""
        ...

    def block(self, credentials: Credentials, author_handle: str, *, blocked: bool = True) -> PublishResult:
        """Block (or unblock) an author from commenting on the account's posts."""
        ...
