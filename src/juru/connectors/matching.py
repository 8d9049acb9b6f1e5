"""Finding an earlier post by its text and time, for networks that take no idempotency key.

A lookup compares the text Juru sent with what the network shows, after undoing what networks do
to text on the way (HTML entities, link wrapping such as X's t.co, Mastodon's HTML paragraphs,
runs of white space), and only among the account's posts made since the first attempt started,
less a few minutes for clocks that disagree.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime, timedelta

from juru.connectors.base import OutboundPost

CLOCK_SKEW = timedelta(minutes=5)
DEFAULT_WINDOW = timedelta(hours=24)  # searched when the first attempt's time is not known
_LINK = re.compile(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def comparable(text: str) -> str:
    """``text`` reduced to what survives a network's rewriting: NFC, entities decoded, links as one token."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    return _SPACE.sub(" ", _LINK.sub("\x00link", text)).strip()


def same_text(sent: str, shown: str, *, media_link: bool = False) -> bool:
    """Whether ``shown`` (as the network returns it) is the text that was sent.

    ``media_link``: the network appends one link to the attached media (X does), which is ignored.
    """
    wanted, seen = comparable(sent), comparable(shown)
    if media_link and seen.endswith("\x00link") and seen != wanted:
        seen = seen.removesuffix("\x00link").rstrip()
    return wanted == seen


def search_from(post: OutboundPost, *, now: datetime | None = None) -> datetime:
    """The earliest creation time an earlier attempt's post can have."""
    started = post.attempted_since or post.created_at
    if started is None:
        return (now or datetime.now(tz=UTC)) - DEFAULT_WINDOW
    if started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    return started - CLOCK_SKEW


def in_window(created: datetime, post: OutboundPost) -> bool:
    """Whether a post created at ``created`` may be one of ``post``'s attempts."""
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created >= search_from(post)
