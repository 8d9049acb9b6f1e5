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
from collections.abc import Mapping
from datetime import UTC, datetime
from html import unescape
from typing import Any
from urllib.parse import urlsplit

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
from juru.connectors.connecting import (
    NO_CODE,
    Connected,
    ConnectingDefaults,
    Field,
    Kind,
    Probe,
    Redirect,
    Setup,
    as_error,
    fail,
    gettext_noop,
    refused,
    unreachable,
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


SETUP = Setup(
    Kind.OAUTH,
    intro=gettext_noop(
        "You will be sent to your instance to allow Juru to post for this account, then brought back here."
    ),
    fields=(
        Field(
            "instance_url",
            gettext_noop("Instance"),
            help=gettext_noop("For example https://mastodon.social"),
            initial="base_url",
        ),
    ),
)
BAD_INSTANCE = gettext_noop("Enter the address of the Mastodon instance, such as https://mastodon.social.")


def normalise_instance(url: str, *, allow_http: bool = False) -> str:
    """``mastodon.social`` or ``https://mastodon.social/`` → ``https://mastodon.social``; refuses anything else."""
    url = url.strip()
    if "://" not in url:
        url = f"https://{url}"
    url = url.rstrip("/")
    parts = urlsplit(url)
    allowed = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in allowed or not parts.hostname or parts.path or parts.query or parts.username:
        raise fail(BAD_INSTANCE)
    return f"{parts.scheme}://{parts.netloc}"


class MastodonConnector(ConnectingDefaults):
    """Posts, replies, deletes and reads notifications on one Mastodon instance; connects with OAuth there.

    Juru registers itself as an app on each instance the first time an account there is connected
    (``POST /api/v1/apps``); the app's id and secret are kept with the account's credentials.
    """

    capabilities = CAPABILITIES
    setup = SETUP
    options_from_settings = {"allow_http": "JURU_MASTODON_ALLOW_HTTP"}

    def __init__(self, *, base_url: str = "", request_timeout: float = 20.0, allow_http: bool = False) -> None:
        self._base_url = base_url
        self._timeout = request_timeout
        self._allow_http = allow_http  # plain-http instances (development only)

    # -- connecting ---------------------------------------------------------------------------

    def _app(self, stored: Mapping[str, Any], instance: str, redirect_uri: str) -> tuple[str, str]:
        """Juru's app on the instance: the one stored with the account, or a new registration."""
        same = stored.get("base_url") == instance and stored.get("redirect_uri") == redirect_uri
        if same and stored.get("client_id") and stored.get("client_secret"):
            return str(stored["client_id"]), str(stored["client_secret"])
        try:
            client_id, client_secret = Mastodon.create_app(
                "Juru", scopes=SCOPES, redirect_uris=redirect_uri, api_base_url=instance, request_timeout=15
            )
        except (errors.MastodonError, KeyError):
            text = gettext_noop("The instance %(instance)s did not let Juru register. Check the address and try again.")
            raise fail(text, instance=instance) from None
        return str(client_id), str(client_secret)

    def _api(self, keep: Mapping[str, Any], **options: Any) -> Mastodon:
        return Mastodon(
            api_base_url=str(keep.get("instance") or keep.get("base_url") or ""),
            request_timeout=15,
            version_check_mode="none",
            **options,
        )

    def authorisation_origins(self) -> tuple[str, ...]:
        """Instances are reached over https; plain http only where the operator allowed it (development)."""
        return ("http:",) if self._allow_http else ()

    def authorise(
        self, redirect_uri: str, state: str, values: Mapping[str, str], stored: Mapping[str, Any]
    ) -> Redirect:
        """The instance's consent page (after registering Juru there if needed)."""
        instance = normalise_instance(
            values.get("instance_url") or str(stored.get("base_url", "")), allow_http=self._allow_http
        )
        client_id, client_secret = self._app(stored, instance, redirect_uri)
        keep = {"instance": instance, "client_id": client_id, "client_secret": client_secret}
        api = self._api(keep, client_id=client_id, client_secret=client_secret)
        try:
            url = api.auth_request_url(
                redirect_uris=redirect_uri, scopes=SCOPES, state=state, allow_http=self._allow_http
            )
        except errors.MastodonError:
            raise as_error(unreachable("Mastodon")) from None
        return Redirect(str(url), keep)

    def finish(self, code: str, redirect_uri: str, keep: Mapping[str, Any]) -> Connected:
        """Exchange the code for a user token on the instance and check it."""
        if not code:
            raise fail(NO_CODE)
        api = self._api(keep, client_id=keep["client_id"], client_secret=keep["client_secret"])
        try:
            token = api.log_in(code=code, redirect_uri=redirect_uri, scopes=SCOPES, allow_http=self._allow_http)
        except errors.MastodonError:
            raise fail(gettext_noop("The instance did not accept the authorisation. Start connecting again.")) from None
        credentials = {
            "access_token": str(token),
            "base_url": str(keep["instance"]),
            "client_id": str(keep["client_id"]),
            "client_secret": str(keep["client_secret"]),
            "redirect_uri": redirect_uri,
        }
        checked = self.probe(
            Credentials(handle="", access_token=str(token), extra={"base_url": credentials["base_url"]})
        )
        if not checked.ok:
            raise as_error(checked)
        credentials["username"] = checked.remote_user
        return Connected(credentials, remote_user=checked.remote_user)

    def probe(self, credentials: Credentials) -> Probe:
        """``verify_credentials`` with the stored token on the account's instance."""
        api = self._api(credentials.extra, access_token=credentials.access_token)
        try:
            me = api.account_verify_credentials()
        except errors.MastodonUnauthorizedError:
            return refused(gettext_noop("The Mastodon instance no longer accepts Juru's access."))
        except errors.MastodonError:
            return unreachable("Mastodon")
        return Probe(True, remote_user=str(me.get("acct") or ""), remote_id=str(me.get("id") or ""))

    # -- publishing ---------------------------------------------------------------------------

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
