"""YouTube through the YouTube Data API v3 over httpx: comments on the channel's videos, replies, moderation.

YouTube takes no text posts from an API client: a channel speaks there by answering comments, so
``publish`` sends a reply (``comments.insert`` with ``parentId``) and refuses anything else, and
the capabilities say ``posts=False``. Comments reach Juru as mentions from ``commentThreads.list``
with ``allThreadsRelatedToChannelId`` (newest first, read page by page with ``pageToken`` until the
last comment already seen). Hiding a comment holds it for review (``heldForReview``); showing it
again publishes it; banning rejects the author's latest comment with ``banAuthor=true``.

YouTube offers no idempotency key, so an unknown outcome of a reply is settled by listing the
thread's replies (``comments.list`` with ``parentId``) and matching the exact text written by the
channel since the first attempt. Every API unit counts against a daily quota that resets at
midnight Pacific time: ``quotaExceeded`` waits until then.

Connecting is Google OAuth 2.0 for a web server application with PKCE (S256), offline access (a
refresh token), and the ``youtube.force-ssl`` scope that reading, replying and moderating need.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from juru.connectors.base import Capabilities, Credentials, Mention, OutboundPost, Outcome, PublishResult
from juru.connectors.connecting import (
    Connected,
    ConnectingDefaults,
    Kind,
    Probe,
    Redirect,
    Refreshed,
    Setup,
    as_error,
    exchange_code,
    expires_at,
    fail,
    gettext_noop,
    origin,
    pkce_redirect,
    refresh_tokens,
    refused,
    unreachable,
)
from juru.connectors.errors import ConnectorError
from juru.connectors.httpapi import json_body, make_client, retry_after_seconds, transport_failure, unknown_status
from juru.connectors.matching import in_window, same_text

API_URL = "https://www.googleapis.com"
AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
V3 = "/youtube/v3"
SCOPES = "https://www.googleapis.com/auth/youtube.force-ssl"
MAX_COMMENT = 10_000  # characters in one comment
PAGE = 100  # the most items one commentThreads.list or comments.list page returns
READ_PAGES = 5  # pages of comment threads read per poll; the rest waits for the next poll
LOOKUP_PAGES = 5  # pages of a thread's replies searched before a person checks
RATE_DEFAULT_SECONDS = 60.0

QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
SCOPE_REASONS = {"insufficientPermissions", "authError", "youtubeSignupRequired"}

CAPABILITIES = Capabilities(
    network="youtube",
    display_name="YouTube",
    max_length=MAX_COMMENT,
    length_unit="characters",
    max_media=0,
    media_types=(),
    posts=False,  # the API publishes videos, not text posts: Juru answers comments only
    replies=True,
    delete=True,
    hide_comments=True,
    block_authors=True,
    lookup_by_content=True,
    oauth=True,
    refresh_tokens=True,
    read_mentions=True,
    profile_url="https://www.youtube.com/{handle}",
)

SETUP = Setup(
    Kind.OAUTH,
    intro=gettext_noop(
        "You will be sent to Google to allow Juru to read and answer comments on this YouTube channel, "
        "then brought back here."
    ),
    shows_redirect_uri=True,
)


def _pacific() -> tzinfo:
    try:
        return ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:  # no time zone database: standard time is the later reset, so never early
        return timezone(timedelta(hours=-8))


def seconds_until_quota_reset(now: datetime | None = None) -> float:
    """Seconds until the next midnight Pacific time, when YouTube's daily quota starts again."""
    here = (now or datetime.now(tz=UTC)).astimezone(_pacific())
    midnight = datetime.combine(here.date() + timedelta(days=1), datetime.min.time(), tzinfo=here.tzinfo)
    return max(1.0, (midnight - here).total_seconds())


def _reasons(body: Mapping[str, Any]) -> tuple[set[str], str]:
    """The ``errors[].reason`` codes of a Google API error and its message."""
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    items = [item for item in (error or {}).get("errors") or [] if isinstance(item, dict)]
    reasons = {str(item.get("reason") or "") for item in items} - {""}
    status = str((error or {}).get("status") or "")
    if status:
        reasons.add(status)  # newer errors also carry a gRPC-style status such as PERMISSION_DENIED
    return reasons, str((error or {}).get("message") or "")


def map_response(response: httpx.Response, *, now: datetime | None = None) -> PublishResult:
    """The one place YouTube Data API answers become outcomes (developers.google.com/youtube/v3/docs/errors).

    2xx: done (``comments.setModerationStatus`` and ``comments.delete`` answer 204 without a body).
    401: the token no longer works. 403 ``quotaExceeded``: wait for midnight Pacific time. 403
    ``rateLimitExceeded`` or 429: wait as told. 403 ``insufficientPermissions``: reconnect to grant
    the scope. Other 4xx (``commentsDisabled``, ``forbidden``, ``processingFailure``,
    ``commentNotFound``...): refused, nothing created. 5xx and anything else: unknown.
    """
    body = json_body(response)
    status = response.status_code
    reasons, message = _reasons(body)
    reason = f"{', '.join(sorted(reasons))}: {message}" if reasons else message or response.reason_phrase
    if 200 <= status < 300:
        remote_id = str(body.get("id") or "")
        if status != 204 and body and not remote_id and "items" not in body:
            return PublishResult(Outcome.PENDING, reason=f"answer {status} without an id", raw=body)
        return PublishResult(Outcome.PUBLISHED, remote_id=remote_id, url=comment_url(body), raw=body)
    if status == 401:
        return PublishResult(Outcome.AUTH_EXPIRED, reason=reason, raw=body)
    if reasons & QUOTA_REASONS:
        return PublishResult(Outcome.RATE_LIMITED, retry_after=seconds_until_quota_reset(now), reason=reason)
    if status == 429 or reasons & RATE_REASONS:
        retry = retry_after_seconds(response.headers)
        return PublishResult(Outcome.RATE_LIMITED, retry_after=retry or RATE_DEFAULT_SECONDS, reason=reason)
    if status == 403 and reasons & SCOPE_REASONS:
        return PublishResult(Outcome.AUTH_EXPIRED, reason=reason, raw=body)
    if unknown_status(status):
        return PublishResult(Outcome.PENDING, reason=f"{status} {reason}; the comment may exist", raw=body)
    return PublishResult(Outcome.REJECTED, reason=reason, raw=body)


def comment_url(comment: Mapping[str, Any]) -> str:
    """Where a person sees the comment: its video with the comment highlighted ('' without a video)."""
    snippet = comment.get("snippet") if isinstance(comment.get("snippet"), dict) else {}
    video = str((snippet or {}).get("videoId") or "")
    comment_id = str(comment.get("id") or "")
    return f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video and comment_id else ""


def thread_of(comment_id: str) -> str:
    """The top-level comment a comment belongs to: reply ids are ``<thread id>.<reply id>``."""
    return comment_id.split(".", 1)[0]


def _time(raw: Any) -> datetime:
    return datetime.fromisoformat(str(raw or "1970-01-01T00:00:00Z").replace("Z", "+00:00"))


class YouTubeConnector(ConnectingDefaults):
    """Reads, answers and moderates comments on one YouTube channel (``extra["channel_id"]``)."""

    capabilities = CAPABILITIES
    setup = SETUP
    options_from_settings = {
        "base_url": "JURU_YOUTUBE_API_URL",
        "authorize_url": "JURU_YOUTUBE_AUTHORIZE_URL",
        "token_url": "JURU_YOUTUBE_TOKEN_URL",
        "client_id": "JURU_YOUTUBE_CLIENT_ID",
        "client_secret": "JURU_YOUTUBE_CLIENT_SECRET",
    }

    def __init__(
        self,
        *,
        base_url: str = API_URL,
        client: httpx.Client | None = None,
        authorize_url: str = AUTHORIZE_URL,
        token_url: str = TOKEN_URL,
        client_id: str = "",
        client_secret: str = "",
    ) -> None:
        self._client = make_client(base_url, client)
        self._authorize_url = authorize_url
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret

    # -- connecting ---------------------------------------------------------------------------

    def authorisation_origins(self) -> tuple[str, ...]:
        """Where the connect form sends the person (the configured consent page)."""
        return (origin(self._authorize_url),)

    def authorise(
        self, redirect_uri: str, state: str, values: Mapping[str, str], stored: Mapping[str, Any]
    ) -> Redirect:
        """Google's consent page: PKCE S256, offline access, and consent asked again so a refresh token comes back."""
        if not (self._client_id and self._client_secret):
            text = gettext_noop(
                "YouTube is not set up on this server: the operator must set JURU_YOUTUBE_CLIENT_ID and _SECRET."
            )
            raise fail(text)
        query = {
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "state": state,
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
        }
        return pkce_redirect(self._authorize_url, query)

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """POST to Google's token endpoint (client id and secret in the form, as Google documents)."""
        form = {**form, "client_id": self._client_id, "client_secret": self._client_secret}
        response = self._client.post(self._token_url, data=form)
        return response.status_code, json_body(response)

    def finish(self, code: str, redirect_uri: str, keep: Mapping[str, Any]) -> Connected:
        """Exchange the code (with the PKCE verifier) and find the channel the tokens belong to."""
        not_accepted = gettext_noop("Google did not accept the authorisation. Start connecting again.")
        body = exchange_code(self._token, code, redirect_uri, keep, network="YouTube", not_accepted=not_accepted)
        checked = self.probe(Credentials(handle="", access_token=str(body["access_token"])))
        if not checked.ok:
            raise as_error(checked)
        credentials = {
            "handle": checked.remote_id,
            "access_token": str(body["access_token"]),
            "refresh_token": str(body.get("refresh_token") or ""),
            "expires_at": expires_at(body),
            "channel_id": checked.remote_id,
            "username": checked.remote_user,
        }
        return Connected(credentials, remote_user=checked.remote_user)

    def probe(self, credentials: Credentials) -> Probe:
        """``channels.list?mine=true``: the channel of the token, or why there is none."""
        params = {"part": "snippet", "mine": "true"}
        try:
            response = self._client.get(f"{V3}/channels", params=params, headers=self._auth(credentials))
        except httpx.HTTPError:
            return unreachable("YouTube")
        result = map_response(response)
        if result.outcome is Outcome.AUTH_EXPIRED:
            return refused(gettext_noop("YouTube no longer accepts Juru's access to this channel."))
        if result.outcome is not Outcome.PUBLISHED:
            return unreachable("YouTube")
        items = [item for item in json_body(response).get("items") or [] if isinstance(item, dict)]
        if not items:
            return refused(gettext_noop("This Google account has no YouTube channel. Create one, then connect again."))
        snippet = items[0].get("snippet") or {}
        name = str(snippet.get("customUrl") or snippet.get("title") or items[0].get("id"))
        return Probe(True, remote_user=name, remote_id=str(items[0].get("id") or ""))

    def refresh(self, credentials: Credentials) -> Refreshed:
        """A new access token for the refresh token (Google keeps the refresh token unless it sends a new one)."""
        refused_text = gettext_noop("Google refused to renew the sign-in (%(error)s). Connect the account again.")
        return refresh_tokens(self._token, credentials, refused_text=refused_text)

    # -- answering ----------------------------------------------------------------------------

    @staticmethod
    def _auth(credentials: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {credentials.access_token}"}

    def _call(self, credentials: Credentials, method: str, path: str, **kwargs: Any) -> PublishResult:
        try:
            response = self._client.request(method, f"{V3}/{path}", headers=self._auth(credentials), **kwargs)
        except httpx.HTTPError as exc:
            return transport_failure(exc)
        return map_response(response)

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Answer a comment (``comments.insert``); YouTube takes no text posts, so anything else is refused."""
        if not post.reply_to:
            return PublishResult(Outcome.REJECTED, reason="YouTube takes replies to comments only, not posts")
        if post.media:
            return PublishResult(Outcome.REJECTED, reason="a YouTube reply cannot carry images")
        if len(post.text) > MAX_COMMENT:
            return PublishResult(Outcome.REJECTED, reason=f"longer than {MAX_COMMENT} characters")
        body = {"snippet": {"parentId": thread_of(post.reply_to), "textOriginal": post.text}}
        return self._call(credentials, "POST", "comments", params={"part": "snippet"}, json=body)

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """The channel's reply with this exact text in the thread since the first attempt, ``None`` if there is none."""
        if not post.reply_to:
            return None  # nothing but replies is ever sent
        params = {"part": "snippet", "parentId": thread_of(post.reply_to), "maxResults": str(PAGE)}
        params["textFormat"] = "plainText"
        channel = credentials.extra.get("channel_id", "")
        for _page in range(LOOKUP_PAGES):
            try:
                response = self._client.get(f"{V3}/comments", params=params, headers=self._auth(credentials))
            except httpx.HTTPError as exc:
                return transport_failure(exc)
            if response.status_code != 200:
                return map_response(response)
            body = json_body(response)
            for item in body.get("items") or []:
                if isinstance(item, dict) and self._is_ours(item, post, channel):
                    return PublishResult(Outcome.PUBLISHED, remote_id=str(item.get("id", "")), url=comment_url(item))
            token = body.get("nextPageToken")
            if not token:
                return None
            params["pageToken"] = str(token)
        return PublishResult(Outcome.PENDING, reason="too many replies in the thread to search them all")

    @staticmethod
    def _is_ours(item: Mapping[str, Any], post: OutboundPost, channel: str) -> bool:
        snippet = item.get("snippet") or {}
        author = str((snippet.get("authorChannelId") or {}).get("value") or "")
        if channel and author and author != channel:
            return False
        text = str(snippet.get("textOriginal") or snippet.get("textDisplay") or "")
        return in_window(_time(snippet.get("publishedAt")), post) and same_text(post.text, text)

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Delete one of the channel's own comments (``comments.delete``)."""
        result = self._call(credentials, "DELETE", "comments", params={"id": remote_id})
        if result.outcome is Outcome.PUBLISHED:
            return PublishResult(Outcome.PUBLISHED, remote_id=remote_id, reason="deleted")
        return result

    # -- moderating ---------------------------------------------------------------------------

    def _moderate(self, credentials: Credentials, comment_id: str, status: str, *, ban: bool = False) -> PublishResult:
        params = {"id": comment_id, "moderationStatus": status}
        if ban:
            params["banAuthor"] = "true"  # valid only with "rejected"
        result = self._call(credentials, "POST", "comments/setModerationStatus", params=params)
        if result.outcome is Outcome.PUBLISHED:
            return PublishResult(Outcome.PUBLISHED, remote_id=comment_id, reason=status)
        return result

    def hide(self, credentials: Credentials, remote_id: str, *, hidden: bool = True) -> PublishResult:
        """Hold a comment for review (hidden from viewers), or publish it again."""
        return self._moderate(credentials, remote_id, "heldForReview" if hidden else "published")

    def block(self, credentials: Credentials, author_handle: str, *, blocked: bool = True) -> PublishResult:
        """Ban an author: reject their latest comment on the channel with ``banAuthor``.

        ``author_handle`` is the author's channel id (what ``fetch_mentions`` reports). YouTube's
        API can only ban through one of the author's comments, and cannot lift a ban.
        """
        if not blocked:
            return PublishResult(
                Outcome.REJECTED, reason="YouTube's API cannot lift a ban: remove it in YouTube Studio"
            )
        try:
            latest = next((m for m in self._read(credentials, None) if m.author_handle == author_handle), None)
        except ConnectorError as failure:
            return failure.result
        if latest is None:
            return PublishResult(Outcome.REJECTED, reason="no recent comment by this author to ban them through")
        return self._moderate(credentials, latest.remote_id, "rejected", ban=True)

    # -- reading ------------------------------------------------------------------------------

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Comments and replies on the channel's videos newer than ``since``, oldest first (not the channel's own)."""
        channel = credentials.extra.get("channel_id", "")
        return sorted(
            (m for m in self._read(credentials, since) if not channel or m.author_handle != channel),
            key=lambda m: (m.created_at, m.remote_id),
        )

    def _read(self, credentials: Credentials, since: str | None) -> list[Mention]:
        """Newest threads first, page by page, until a comment at or before ``since`` (a cursor) is reached."""
        channel = credentials.extra.get("channel_id") or credentials.handle
        params = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": channel,
            "maxResults": str(PAGE),
            "order": "time",
            "textFormat": "plainText",
        }
        found: list[Mention] = []
        for _page in range(READ_PAGES):
            try:
                response = self._client.get(f"{V3}/commentThreads", params=params, headers=self._auth(credentials))
            except httpx.HTTPError as exc:
                raise ConnectorError(transport_failure(exc)) from exc
            if response.status_code != 200:
                raise ConnectorError(map_response(response))
            body = json_body(response)
            older = False
            for thread in body.get("items") or []:
                for mention in _thread_mentions(thread) if isinstance(thread, dict) else []:
                    if since and mention.cursor <= since:
                        older = True
                    else:
                        found.append(mention)
            token = body.get("nextPageToken")
            if older or not token:
                break
            params["pageToken"] = str(token)
        return found


def _thread_mentions(thread: Mapping[str, Any]) -> list[Mention]:
    """The thread's top-level comment and the replies it carries."""
    snippet = thread.get("snippet") or {}
    top = snippet.get("topLevelComment") if isinstance(snippet.get("topLevelComment"), dict) else None
    mentions = [_mention(top, kind="comment")] if top else []
    replies = (thread.get("replies") or {}).get("comments") or []
    mentions.extend(_mention(reply, kind="reply") for reply in replies if isinstance(reply, dict))
    return mentions


def _mention(comment: Mapping[str, Any], *, kind: str) -> Mention:
    snippet = comment.get("snippet") or {}
    created = _time(snippet.get("publishedAt"))
    comment_id = str(comment.get("id") or "")
    parent = str(snippet.get("parentId") or snippet.get("videoId") or "") or None  # a reply's comment, else the video
    return Mention(
        remote_id=comment_id,
        author_handle=str((snippet.get("authorChannelId") or {}).get("value") or ""),
        author_name=str(snippet.get("authorDisplayName") or ""),
        text=str(snippet.get("textOriginal") or snippet.get("textDisplay") or ""),
        created_at=created,
        url=comment_url(comment),
        in_reply_to=parent,
        kind=kind,
        # Sortable: the time first, then the id, so comments in the same second are told apart.
        cursor=f"{created.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}|{comment_id}",
    )
