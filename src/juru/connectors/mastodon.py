"""Mastodon (and compatible servers) through Mastodon.py.

Mastodon honours an ``Idempotency-Key`` header on ``POST /api/v1/statuses``: sending the same
key again returns the status already created instead of a second one, but servers keep keys for
about an hour only. ``lookup`` relies on the key while the first attempt is well inside that
window; later it searches the account's own statuses for the exact text since the first attempt,
so a reconciliation after the window never posts a second time.
Credentials: ``access_token`` (OAuth user token); ``extra["base_url"]`` is the instance URL.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from typing import Any

import requests
import urllib3
from mastodon import Mastodon, errors

from juru.connectors.base import (
    Capabilities,
    Credentials,
    Mention,
    OutboundPost,
    Outcome,
    PublishResult,
)
from juru.connectors.errors import ConnectorError
from juru.connectors.matching import in_window, same_text

IDEMPOTENCY_WINDOW_SECONDS = 3600
KEY_SAFETY_MARGIN_SECONDS = 600  # re-send with the key only while it is surely still remembered
LOOKUP_PAGE = 40  # statuses per page of the account's timeline (Mastodon's maximum)
LOOKUP_PAGES = 5
DEFAULT_LIMIT = 500
# OAuth scopes Juru asks an instance for when an account is connected.
SCOPES = ["read", "write"]
_PARAGRAPH = re.compile(r"</p>\s*<p[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")

CAPABILITIES = Capabilities(
    network="mastodon",
    max_length=DEFAULT_LIMIT,
    length_unit="characters",
    max_media=4,
    media_types=("image/jpeg", "image/png", "image/gif", "image/webp"),
    replies=True,
    delete=True,
    lookup_by_idempotency_key=True,
    lookup_by_content=True,
    oauth=True,
    read_mentions=True,
)


def map_error(exc: Exception) -> PublishResult:
    """The one place Mastodon.py exceptions become outcomes (docs.joinmastodon.org, "Entities: Error").

    429: wait for the ``X-RateLimit-Reset`` time. 401: the token was revoked. Other 4xx (403, 404,
    410, 422 "Validation failed"): refused, nothing created. 5xx, and a network error (Mastodon.py
    wraps "could not connect" and "no answer" alike): the status may exist; re-sending with the
    same ``Idempotency-Key`` (or the lookup after the key window) tells.
    """
    reason = _reason(exc)
    if isinstance(exc, errors.MastodonRatelimitError):
        return PublishResult(Outcome.RATE_LIMITED, retry_after=_retry_after(exc), reason=reason)
    if isinstance(exc, errors.MastodonUnauthorizedError):
        return PublishResult(Outcome.AUTH_EXPIRED, reason=reason)
    if isinstance(exc, errors.MastodonNetworkError) and _never_sent(exc):
        return PublishResult(Outcome.FAILED, reason=f"server unreachable: {reason}")
    if isinstance(exc, errors.MastodonNetworkError | errors.MastodonServerError):
        return PublishResult(Outcome.PENDING, reason=f"{reason}; the status may exist")
    if isinstance(exc, errors.MastodonAPIError | errors.MastodonIllegalArgumentError | errors.MastodonVersionError):
        return PublishResult(Outcome.REJECTED, reason=reason)
    if isinstance(exc, errors.MastodonFileNotFoundError):
        return PublishResult(Outcome.REJECTED, reason=reason)
    return PublishResult(Outcome.PENDING, reason=f"{reason}; the status may exist")


def _never_sent(exc: Exception) -> bool:
    """Whether the request Mastodon.py wrapped failed while connecting (refused, connect timeout)."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(cause, requests.exceptions.ConnectionError):
        return False
    inner = cause.args[0] if cause.args else None
    return isinstance(getattr(inner, "reason", inner), urllib3.exceptions.NewConnectionError)


def _reason(exc: Exception) -> str:
    args = [str(a) for a in getattr(exc, "args", ()) if a]
    return " ".join(args[-2:]) if args else exc.__class__.__name__


def _retry_after(exc: Exception) -> float:
    """Seconds until the limit resets: Mastodon.py records the reset as an epoch on the exception."""
    reset = getattr(exc, "reset", None) or getattr(exc, "ratelimit_reset", None)
    if isinstance(reset, int | float):
        return max(1.0, float(reset) - datetime.now(tz=UTC).timestamp())
    return 300.0


class MastodonConnector:
    """Posts, replies, deletes and reads notifications on one Mastodon instance."""

    capabilities = CAPABILITIES

    def __init__(self, *, base_url: str = "", request_timeout: float = 20.0) -> None:
        self._base_url = base_url
        self._timeout = request_timeout

    def client(self, credentials: Credentials) -> Mastodon:
        """A Mastodon.py client that raises on rate limits instead of sleeping in a worker."""
        return Mastodon(
            access_token=credentials.access_token,
            api_base_url=credentials.extra.get("base_url") or self._base_url,
            ratelimit_method="throw",
            request_timeout=self._timeout,
            version_check_mode="none",
        )

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Post a status with the attempt's idempotency key (media uploaded first)."""
        try:
            api = self.client(credentials)
            media_ids = [
                api.media_post(m.data, mime_type=m.content_type, description=m.alt_text or None, file_name=m.filename)
                for m in post.media
            ]
            status = api.status_post(
                post.text,
                in_reply_to_id=post.reply_to,
                media_ids=media_ids or None,
                idempotency_key=post.idempotency_key,
            )
        except errors.MastodonError as exc:
            return map_error(exc)
        return _published(status)

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """Within the key window, re-send with the same key; after it, search the account's statuses."""
        if key_remembered(post):
            return self.publish(credentials, post)
        try:
            return self._find(self.client(credentials), post)
        except errors.MastodonError as exc:
            return map_error(exc)

    def _find(self, api: Mastodon, post: OutboundPost) -> PublishResult | None:
        """The account's status with ``post``'s exact text since its first attempt, newest pages first."""
        page = api.account_statuses(api.me()["id"], limit=LOOKUP_PAGE)
        for _ in range(LOOKUP_PAGES):
            if not page:
                return None
            for status in page:
                created = status.get("created_at")
                if isinstance(created, datetime) and not in_window(created, post):
                    return None  # older than the first attempt: nothing further back can match
                if same_text(post.text, _plain(str(status.get("content") or ""))):
                    return _published(status)
            page = api.fetch_next(page)
        return PublishResult(Outcome.PENDING, reason="too many statuses since the first attempt to search them all")

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Delete a status."""
        try:
            self.client(credentials).status_delete(remote_id)
        except errors.MastodonNotFoundError:
            return PublishResult(Outcome.PUBLISHED, remote_id=remote_id, reason="already deleted")
        except errors.MastodonError as exc:
            return map_error(exc)
        return PublishResult(Outcome.PUBLISHED, remote_id=remote_id, reason="deleted")

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Mentions from the notifications API, oldest first."""
        try:
            notes = self.client(credentials).notifications(types=["mention"], since_id=since)
        except errors.MastodonError as exc:
            raise ConnectorError(map_error(exc)) from exc
        return [_mention(n) for n in reversed(notes) if n.get("status")]


def key_remembered(post: OutboundPost, *, now: datetime | None = None) -> bool:
    """Whether the server surely still remembers the key of ``post``'s first attempt."""
    if post.attempted_since is None:
        return True
    age = ((now or datetime.now(tz=UTC)) - post.attempted_since).total_seconds()
    return age < IDEMPOTENCY_WINDOW_SECONDS - KEY_SAFETY_MARGIN_SECONDS


def _published(status: Any) -> PublishResult:
    return PublishResult(
        Outcome.PUBLISHED,
        remote_id=str(status.get("id", "")),
        url=str(status.get("url") or status.get("uri") or ""),
    )


def _mention(note: Any) -> Mention:
    status = note["status"]
    account = status.get("account") or {}
    created = status.get("created_at")
    return Mention(
        remote_id=str(status.get("id")),
        author_handle=str(account.get("acct") or ""),
        author_name=str(account.get("display_name") or ""),
        text=_plain(str(status.get("content") or "")),
        created_at=created if isinstance(created, datetime) else datetime.now(tz=UTC),
        url=str(status.get("url") or ""),
        in_reply_to=str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None,
    )


def _plain(html: str) -> str:
    """Mastodon sends HTML; the inbox and the classifiers want the text."""
    text = _PARAGRAPH.sub("\n\n", html)
    text = _BREAK.sub("\n", text)
    return unescape(_TAG.sub("", text)).strip()
