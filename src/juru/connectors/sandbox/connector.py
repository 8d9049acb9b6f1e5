"""The sandbox connector: Juru's built-in practice network, with planned faults for tests and demos."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from juru.connectors.base import Capabilities, Credentials, Mention, OutboundPost, Outcome, PublishResult
from juru.connectors.connecting import Connected, ConnectingDefaults, Kind, Probe, Setup, gettext_noop
from juru.connectors.errors import ConnectorError
from juru.connectors.sandbox.store import Fault, SandboxError, SandboxPost, SandboxStore

CAPABILITIES = Capabilities(
    network="sandbox",
    display_name="Sandbox",
    max_length=500,
    length_unit="graphemes",
    max_media=4,
    replies=True,
    delete=True,
    hide_comments=True,
    block_authors=True,
    lookup_by_idempotency_key=True,
    read_mentions=True,
    profile_url="/sandbox/@{handle}",
)


def classify_error(status: int | None, *, retry_after: float | None = None, reason: str = "") -> PublishResult:
    """Map what the sandbox answered (an HTTP-like status, None for no answer) to an outcome."""
    if status is None:
        return PublishResult(Outcome.PENDING, reason=reason or "no answer: the request may have gone through")
    if status == 429:
        return PublishResult(Outcome.RATE_LIMITED, retry_after=retry_after or 60.0, reason=reason or "rate limited")
    if status in (401, 419):
        return PublishResult(Outcome.AUTH_EXPIRED, reason=reason or "the account must be reconnected")
    if 400 <= status < 500:
        return PublishResult(Outcome.REJECTED, reason=reason or f"refused ({status})")
    # A 5xx says nothing about whether the post was stored: look it up by key before sending again.
    return PublishResult(Outcome.PENDING, retry_after=retry_after, reason=reason or f"server error ({status})")


# What each planned fault looks like on the wire: (status, reason). None = the answer never arrives.
_FAULT_STATUS: dict[str, tuple[int | None, str]] = {
    "rate_limited": (429, "rate limited (planned fault)"),
    "server_error": (500, "internal server error (planned fault)"),
    "timeout": (None, "timed out (planned fault)"),
    "lost_response": (None, "the answer was lost (planned fault)"),
    "auth_expired": (401, "session expired (planned fault)"),
    "rejected": (400, "refused by the network (planned fault)"),
}


def _fault_result(fault: Fault) -> PublishResult:
    status, reason = _FAULT_STATUS[fault.kind]
    return classify_error(status, retry_after=fault.retry_after, reason=reason)


SETUP = Setup(Kind.NONE, intro=gettext_noop("The sandbox is Juru's practice network: nothing to enter."))


class SandboxConnector(ConnectingDefaults):
    """Publishes to the local sandbox network (``path``: its SQLite file; default in ``$JURU_DATA_DIR``)."""

    capabilities = CAPABILITIES
    setup = SETUP

    def connect(self, values: Mapping[str, str]) -> Connected:
        """The practice network needs nothing: the account is connected at once."""
        return Connected({})

    def probe(self, credentials: Credentials) -> Probe:
        """Sandbox accounts sign themselves up on first use, so there is nothing that could be refused."""
        return Probe(True)

    def __init__(self, *, path: str | Path | None = None, web_url: str = "/sandbox", store: SandboxStore | None = None):
        self.store = store or SandboxStore(path)
        self.web_url = web_url.rstrip("/")

    def url(self, post_id: str) -> str:
        """Public address of a post in the sandbox's web view."""
        return f"{self.web_url}/p/{post_id}"

    def _published(self, post: SandboxPost) -> PublishResult:
        raw = {"id": post.id, "author": post.author, "created_at": post.created_at.isoformat(), "deleted": post.deleted}
        return PublishResult(Outcome.PUBLISHED, remote_id=post.id, url=self.url(post.id), raw=raw)

    def _signed_in(self, credentials: Credentials) -> str | PublishResult:
        """The account's handle, registering it on first use; a result when the credentials fail."""
        try:
            handle = self.store.register(
                credentials.handle, credentials.extra.get("display_name", ""), credentials.secret
            )
        except SandboxError as error:
            return classify_error(error.status, reason=str(error))
        if not self.store.authenticate(handle, credentials.secret):
            return classify_error(401, reason="wrong password for this sandbox account")
        return handle

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Publish a post or a reply; a retry with the same idempotency key returns the first post."""
        handle = self._signed_in(credentials)
        if isinstance(handle, PublishResult):
            return handle
        if not self.capabilities.fits(post.text):
            over = -self.capabilities.remaining(post.text)
            return classify_error(400, reason=f"the text is {over} characters too long (the sandbox allows 500)")
        if len(post.media) > self.capabilities.max_media:
            return classify_error(400, reason=f"at most {self.capabilities.max_media} attachments")
        media = [
            {"filename": m.filename, "content_type": m.content_type, "alt_text": m.alt_text, "size": len(m.data)}
            for m in post.media
        ]
        try:
            stored, fault = self.store.publish(
                handle,
                post.text,
                idempotency_key=post.idempotency_key,
                reply_to=post.reply_to,
                media=media,
                operation="publish",
            )
        except SandboxError as error:
            return classify_error(error.status, reason=str(error))
        if fault is not None:
            return _fault_result(fault)
        assert stored is not None
        return self._published(stored)

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """The post an earlier publish with this idempotency key created, or None."""
        found = self.store.by_key(post.idempotency_key)
        if found is None:
            return None
        if found.author != credentials.handle.strip().lstrip("@").lower():
            return classify_error(409, reason="this idempotency key was used by another account")
        return self._published(found)

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Delete one of the account's posts or replies."""
        handle = self._signed_in(credentials)
        if isinstance(handle, PublishResult):
            return handle
        fault = self.store.take_fault("delete")
        if fault is not None:
            return _fault_result(fault)
        try:
            return self._published(self.store.delete(remote_id, by=handle))
        except SandboxError as error:
            return classify_error(error.status, reason=str(error))

    def hide(self, credentials: Credentials, remote_id: str, *, hidden: bool = True) -> PublishResult:
        """Hide (or show again) a comment under one of the account's posts."""
        handle = self._signed_in(credentials)
        if isinstance(handle, PublishResult):
            return handle
        try:
            return self._published(self.store.hide(remote_id, by=handle, hidden=hidden))
        except SandboxError as error:
            return classify_error(error.status, reason=str(error))

    def block(self, credentials: Credentials, author_handle: str, *, blocked: bool = True) -> PublishResult:
        """Block (or unblock) an author from commenting on the account's posts."""
        handle = self._signed_in(credentials)
        if isinstance(handle, PublishResult):
            return handle
        try:
            self.store.block(handle, author_handle, blocked=blocked)
        except SandboxError as error:
            return classify_error(error.status, reason=str(error))
        return PublishResult(Outcome.PUBLISHED, raw={"account": handle, "author": author_handle, "blocked": blocked})

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Comments, replies and mentions addressed to the account after cursor ``since``, oldest first."""
        handle = self._signed_in(credentials)
        if isinstance(handle, PublishResult):
            raise ConnectorError(handle)
        fault = self.store.take_fault("fetch")
        if fault is not None:
            raise ConnectorError(_fault_result(fault))
        try:
            after = int(since) if since else 0
        except ValueError:
            raise ConnectorError(classify_error(400, reason=f"not a sandbox cursor: {since!r}")) from None
        return [
            Mention(
                remote_id=post.id,
                author_handle=post.author,
                author_name=post.author_name,
                text=post.text,
                created_at=post.created_at,
                url=self.url(post.id),
                in_reply_to=post.reply_to,
                kind=kind,
                cursor=str(post.seq),
            )
            for kind, post in self.store.inbox(handle, after=after)
        ]
