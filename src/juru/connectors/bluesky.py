"""Bluesky (AT Protocol) through the ``atproto`` SDK: publish, reply, delete, lookup, mentions.

At-most-once: every post is written with a record key derived from its idempotency key, so
``lookup`` is a ``getRecord`` on that key, and a repeated publish can never create a second
record: the server refuses a second record under the same key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from atproto import Client, models
from atproto_client import exceptions as atx
from atproto_client.models.common import XrpcError
from atproto_client.request import Request

from juru.connectors.base import Capabilities, Credentials, Mention, OutboundPost, Outcome, PublishResult
from juru.connectors.connecting import (
    Connected,
    ConnectingDefaults,
    Field,
    Kind,
    Probe,
    Setup,
    as_error,
    fail,
    gettext_noop,
    refused,
    unreachable,
)
from juru.connectors.errors import ConnectorError

CAPABILITIES = Capabilities(
    network="bluesky",
    display_name="Bluesky",
    max_length=300,
    length_unit="graphemes",
    max_bytes=3000,
    max_media=4,
    media_types=("image/jpeg", "image/png", "image/webp", "image/gif"),
    replies=True,
    delete=True,
    lookup_by_idempotency_key=True,
    read_mentions=True,  # through the AppView (listNotifications); a bare PDS answers FAILED
    profile_url="https://bsky.app/profile/{handle}",
)

POST = "app.bsky.feed.post"
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as record keys of type "tid" use
_KEY_EPOCH_US = 1_672_531_200_000_000  # 2023-01-01T00:00:00Z
_AUTH_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing", "AccountTakedown"}
_AUTH_ERRORS |= {"AccountDeactivated", "AuthFactorTokenRequired"}
_URL = re.compile(rb"https?://[^\s<>\"')\]]+")
_MENTION_REASONS = ("mention", "reply", "quote")


def record_key(idempotency_key: str) -> str:
    """A valid TID record key that depends only on the idempotency key.

    Only the key, not any time: whatever else changes between attempts (a re-claim, a new worker),
    the same key always names the same record. The timestamp part is hashed into a window in
    2023-2025, so keys never lie in the future; 56 bits of hash make collisions negligible.
    """
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode("utf-8")).digest()[:8], "big")
    micros = _KEY_EPOCH_US + (digest >> 10) % (1 << 46)
    value = (micros << 10) | (digest & 0x3FF)
    return "".join(TID_ALPHABET[(value >> (5 * i)) & 31] for i in range(12, -1, -1))


def _error_name(error: atx.RequestErrorBase) -> tuple[str, str]:
    content = error.response.content if error.response is not None else None
    if isinstance(content, XrpcError):
        return content.error or "", content.message or ""
    return "", ""


def _retry_after(error: atx.RateLimitExceededError) -> float:
    if error.retry_after is not None:
        return error.retry_after
    if error.reset_at is not None:
        return max((error.reset_at - datetime.now(UTC)).total_seconds(), 1.0)
    return 60.0


def classify_error(error: Exception) -> PublishResult:
    """The one place that turns a Bluesky/SDK error into an outcome the workflow understands."""
    if isinstance(error, ConnectorError):
        return error.result
    if isinstance(error, atx.RateLimitExceededError):
        return PublishResult(Outcome.RATE_LIMITED, retry_after=_retry_after(error), reason=str(error))
    if isinstance(error, atx.InvokeTimeoutError):
        return PublishResult(Outcome.PENDING, reason="no answer in time: the request may have gone through")
    if isinstance(error, atx.NetworkError):
        if error.response is None:
            # A refused connection never reached the server; a broken one may have.
            refused = isinstance(error.__cause__, httpx.ConnectError)
            outcome = Outcome.FAILED if refused else Outcome.PENDING
            return PublishResult(outcome, reason=f"network error: {error.__cause__ or error}")
        status = error.response.status_code
        if status == 413:
            return PublishResult(Outcome.REJECTED, reason="the post or its media is too large")
        return PublishResult(Outcome.PENDING, reason=f"{error}; the record may exist")
    if isinstance(error, atx.RequestErrorBase) and error.response is not None:
        name, message = _error_name(error)
        status = error.response.status_code
        reason = f"{name}: {message}".strip(": ") or str(error)
        if status in (401, 403) or name in _AUTH_ERRORS:
            return PublishResult(Outcome.AUTH_EXPIRED, reason=reason)
        if 400 <= status < 500:
            return PublishResult(Outcome.REJECTED, reason=reason)
        return PublishResult(Outcome.PENDING, reason=f"{reason}; the record may exist")
    if isinstance(error, atx.LoginRequiredError):
        return PublishResult(Outcome.AUTH_EXPIRED, reason=str(error))
    return PublishResult(Outcome.PENDING, reason=f"{type(error).__name__}: {error}; the record may exist")


def _not_found(error: Exception) -> bool:
    return isinstance(error, atx.BadRequestError) and _error_name(error)[0] == "RecordNotFound"


def _link_facets(text: str) -> list[models.AppBskyRichtextFacet.Main]:
    """Make bare URLs clickable (Bluesky needs byte ranges for links)."""
    data = text.encode("utf-8")
    return [
        models.AppBskyRichtextFacet.Main(
            index=models.AppBskyRichtextFacet.ByteSlice(byte_start=m.start(), byte_end=m.end()),
            features=[models.AppBskyRichtextFacet.Link(uri=m.group().decode("utf-8"))],
        )
        for m in _URL.finditer(data)
    ]


def _split_uri(uri: str) -> tuple[str, str, str]:
    """(repo, collection, rkey) of an ``at://`` URI."""
    parts = uri.removeprefix("at://").split("/")
    if not uri.startswith("at://") or len(parts) != 3 or not all(parts):
        raise ConnectorError(PublishResult(Outcome.REJECTED, reason=f"not a Bluesky post id: {uri!r}"))
    return parts[0], parts[1], parts[2]


SETUP = Setup(
    Kind.FORM,
    intro=gettext_noop(
        "Juru signs in with an app password, never your main Bluesky password. "
        "You can revoke it in Bluesky at any time."
    ),
    fields=(
        Field("handle", gettext_noop("Bluesky handle"), max_length=253, initial="handle"),
        Field(
            "app_password",
            gettext_noop("App password"),
            help=gettext_noop("Create one in Bluesky under Settings → Privacy and security → App passwords."),
            secret=True,
        ),
    ),
)


class BlueskyConnector(ConnectingDefaults):
    """Bluesky through one PDS (``base_url``); ``transport`` lets tests answer instead of a server.

    Credentials: ``handle`` and an app password in ``secret``; ``extra["session"]`` may hold a
    session string saved earlier (``on_session`` is called with a fresh one whenever it changes).
    """

    capabilities = CAPABILITIES
    setup = SETUP
    options_from_settings = {"base_url": "JURU_BLUESKY_URL"}

    def __init__(
        self,
        *,
        base_url: str = "https://bsky.social",
        web_url: str = "https://bsky.app",
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
        on_session: Callable[[str, str], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.web_url = web_url.rstrip("/")
        self.timeout = timeout
        self.transport = transport
        self.on_session = on_session
        self._clients: dict[str, Client] = {}

    # -- connecting ---------------------------------------------------------------------------

    def connect(self, values: Mapping[str, str]) -> Connected:
        """Sign in with the handle and app password; keep them only when the sign-in works."""
        handle = values.get("handle", "").strip().lstrip("@")
        password = values.get("app_password", "").strip()
        if not handle or not password:
            raise fail(gettext_noop("Enter the Bluesky handle and an app password."))
        checked = self.probe(Credentials(handle=handle, secret=password))
        if not checked.ok:
            raise as_error(checked)
        return Connected({"handle": handle, "secret": password, "did": checked.remote_id}, remote_user=handle)

    def probe(self, credentials: Credentials) -> Probe:
        """A password sign-in (``createSession``), without fetching the profile."""
        client = self._new_client()
        handle = credentials.handle.strip().lstrip("@")
        try:
            client.login(handle, credentials.secret, fetch_bsky_profile=False)
        except (atx.UnauthorizedError, atx.BadRequestError):
            return refused(gettext_noop("Bluesky refused this handle and app password."))
        except atx.AtProtocolError:
            return unreachable("Bluesky")
        session = client._session  # the SDK keeps the signed-in DID only here without a profile fetch
        return Probe(True, remote_user=handle, remote_id=str(session.did) if session else "")

    # -- session ------------------------------------------------------------------------------

    def _new_client(self) -> Client:
        options: dict[str, Any] = {"timeout": self.timeout}
        if self.transport is not None:
            options["transport"] = self.transport
        return Client(base_url=self.base_url, request=Request(**options))

    def _login(self, credentials: Credentials, *, fresh: bool = False) -> Client:
        """A signed-in client for the account: cached, else from a saved session, else by password."""
        if not fresh and credentials.handle in self._clients:
            return self._clients[credentials.handle]
        client = self._new_client()
        saved = credentials.extra.get("session", "")
        if saved and not fresh:
            client.login(session_string=saved, fetch_bsky_profile=False)
        elif credentials.secret:
            client.login(credentials.handle, credentials.secret, fetch_bsky_profile=False)
        else:
            raise ConnectorError(PublishResult(Outcome.AUTH_EXPIRED, reason="no app password and no saved session"))
        if self.on_session is not None:
            handle, callback = credentials.handle, self.on_session
            client.on_session_change(lambda _event, _session: callback(handle, client.export_session_string()))
            callback(handle, client.export_session_string())
        self._clients[credentials.handle] = client
        return client

    def _call(self, credentials: Credentials, action: Callable[[Client, str], PublishResult]) -> PublishResult:
        """Run ``action`` signed in; one fresh password login when the saved session was refused."""
        try:
            client = self._login(credentials)
            try:
                return action(client, self._did(client))
            except (atx.UnauthorizedError, atx.BadRequestError) as error:
                if classify_error(error).outcome is not Outcome.AUTH_EXPIRED or not credentials.secret:
                    raise
                # A 401 is answered before anything is written, so one retry cannot double-post.
                self._clients.pop(credentials.handle, None)
                client = self._login(credentials, fresh=True)
                return action(client, self._did(client))
        except Exception as error:
            return classify_error(error)

    @staticmethod
    def _did(client: Client) -> str:
        session = client._session  # the SDK exposes the DID only here when no AppView profile is fetched
        if session is None:
            raise atx.LoginRequiredError
        return str(session.did)

    # -- publish ------------------------------------------------------------------------------

    def post_url(self, uri: str, handle: str) -> str:
        """Web address of a post (on bsky.app unless ``web_url`` says otherwise)."""
        return f"{self.web_url}/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}" if self.web_url else ""

    def _result(self, uri: str, cid: str, handle: str) -> PublishResult:
        return PublishResult(
            Outcome.PUBLISHED, remote_id=uri, url=self.post_url(uri, handle), raw={"uri": uri, "cid": cid}
        )

    def _reply_ref(self, client: Client, parent_uri: str) -> models.AppBskyFeedPost.ReplyRef:
        repo, collection, rkey = _split_uri(parent_uri)
        parent = client.com.atproto.repo.get_record({"repo": repo, "collection": collection, "rkey": rkey})
        parent_ref = models.ComAtprotoRepoStrongRef.Main(uri=parent.uri, cid=parent.cid or "")
        existing = getattr(parent.value, "reply", None)
        root_ref = existing.root if existing is not None else parent_ref
        return models.AppBskyFeedPost.ReplyRef(root=root_ref, parent=parent_ref)

    def _embed(self, client: Client, post: OutboundPost) -> models.AppBskyEmbedImages.Main | None:
        if not post.media:
            return None
        images = []
        for media in post.media:
            blob = client.upload_blob(media.data).blob
            images.append(models.AppBskyEmbedImages.Image(alt=media.alt_text, image=blob))
        return models.AppBskyEmbedImages.Main(images=images)

    def _check(self, post: OutboundPost) -> PublishResult | None:
        if not post.text.strip() and not post.media:
            return PublishResult(Outcome.REJECTED, reason="a post needs text or an image")
        if not self.capabilities.fits(post.text):
            over = -self.capabilities.remaining(post.text)
            return PublishResult(Outcome.REJECTED, reason=f"the text is {over} over Bluesky's limit (300 graphemes)")
        if len(post.media) > self.capabilities.max_media:
            return PublishResult(Outcome.REJECTED, reason=f"Bluesky takes at most {self.capabilities.max_media} images")
        unsupported = [m.content_type for m in post.media if m.content_type not in self.capabilities.media_types]
        if unsupported:
            return PublishResult(Outcome.REJECTED, reason=f"unsupported media type: {', '.join(unsupported)}")
        return None

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Create the post (a reply when ``post.reply_to`` is a post's at:// URI) under its derived record key."""
        refused = self._check(post)
        if refused is not None:
            return refused
        rkey = record_key(post.idempotency_key)

        def create(client: Client, did: str) -> PublishResult:
            created_at = (post.created_at or datetime.now(UTC)).astimezone(UTC)
            record = models.AppBskyFeedPost.Record(
                text=post.text,
                created_at=created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                facets=_link_facets(post.text) or None,
                reply=self._reply_ref(client, post.reply_to) if post.reply_to else None,
                embed=self._embed(client, post),
            )
            data = {"repo": did, "collection": POST, "rkey": rkey, "record": record}
            try:
                created = client.com.atproto.repo.create_record(data)
            except (atx.RequestException, atx.NetworkError):
                # The PDS answers a second record under the same key with a 500, and a lost answer
                # looks like a network error: in both cases the record may exist, so ask.
                found = self._get(client, did, rkey)
                if found is None:
                    raise
                return found
            return self._result(created.uri, created.cid, credentials.handle)

        return self._call(credentials, create)

    def _get(self, client: Client, did: str, rkey: str) -> PublishResult | None:
        try:
            record = client.com.atproto.repo.get_record({"repo": did, "collection": POST, "rkey": rkey})
        except Exception as error:
            if _not_found(error):
                return None
            raise
        return self._result(record.uri, record.cid or "", client._session.handle if client._session else "")

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """``getRecord`` on the post's derived record key: PUBLISHED, None (not there) or why it could not ask."""
        rkey = record_key(post.idempotency_key)
        missing = PublishResult(Outcome.REJECTED, reason="not found")
        result = self._call(credentials, lambda client, did: self._get(client, did, rkey) or missing)
        return None if result is missing else result

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Delete one of the account's posts (deleting a post that is already gone succeeds)."""

        def remove(client: Client, did: str) -> PublishResult:
            repo, collection, rkey = _split_uri(remote_id)
            if repo != did:
                return PublishResult(Outcome.REJECTED, reason="the post belongs to another account")
            client.com.atproto.repo.delete_record({"repo": did, "collection": collection, "rkey": rkey})
            return PublishResult(Outcome.PUBLISHED, remote_id=remote_id)

        return self._call(credentials, remove)

    # -- listen -------------------------------------------------------------------------------

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Mentions, replies and quotes since ``since`` (an indexedAt time), oldest first, via the AppView."""
        found: list[Mention] = []

        def read(client: Client, _did: str) -> PublishResult:
            cursor: str | None = None
            while True:
                params = models.AppBskyNotificationListNotifications.Params(limit=50, cursor=cursor)
                page = client.app.bsky.notification.list_notifications(params)
                fresh = [n for n in page.notifications if not since or n.indexed_at > since]
                found.extend(self._mention(n) for n in fresh if n.reason in _MENTION_REASONS)
                if not page.cursor or len(fresh) < len(page.notifications) or not page.notifications:
                    return PublishResult(Outcome.PUBLISHED)
                cursor = page.cursor

        result = self._call(credentials, read)
        if result.outcome is not Outcome.PUBLISHED:
            if "No service configured" in result.reason:
                reason = "this Bluesky server has no AppView, so mentions cannot be read from it"
                result = PublishResult(Outcome.FAILED, reason=reason)
            raise ConnectorError(result)
        return sorted(found, key=lambda m: m.cursor)

    def _mention(self, item: models.AppBskyNotificationListNotifications.Notification) -> Mention:
        record: Any = item.record
        reply = getattr(record, "reply", None)
        created = getattr(record, "created_at", None) or item.indexed_at
        return Mention(
            remote_id=item.uri,
            author_handle=item.author.handle,
            author_name=item.author.display_name or "",
            text=getattr(record, "text", "") or "",
            created_at=datetime.fromisoformat(created.replace("Z", "+00:00")),
            url=self.post_url(item.uri, item.author.handle),
            in_reply_to=reply.parent.uri if reply is not None else None,
            kind="comment" if item.reason == "reply" else item.reason,
            cursor=item.indexed_at,
        )
