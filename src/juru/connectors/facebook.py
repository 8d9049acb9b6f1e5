"""Facebook Pages and Instagram professional accounts through the Graph API.

Pages: ``POST /{page-id}/feed`` (text) or ``/{page-id}/photos`` (with an image), a Page access
token in ``credentials.access_token`` and the page id in ``credentials.handle``. Instagram:
a two-step container publish (``/{ig-user-id}/media`` then ``/media_publish``) that needs an
image reachable by URL (``media_url_for`` option). Neither takes a key we choose, so ``lookup``
searches the Page feed (or the account's recent media) for the exact text since the first attempt;
a lost answer is found there, or known not to exist, before anything is sent again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from juru.connectors.base import (
    Capabilities,
    Credentials,
    Media,
    Mention,
    OutboundPost,
    Outcome,
    PublishResult,
)
from juru.connectors.connecting import (
    NO_CODE,
    Choice,
    Connected,
    ConnectingDefaults,
    Kind,
    Probe,
    Redirect,
    Setup,
    as_error,
    fail,
    gettext_noop,
    origin,
    refused,
    unreachable,
)
from juru.connectors.errors import ConnectorError
from juru.connectors.httpapi import json_body, make_client, retry_after_seconds, transport_failure, unknown_status
from juru.connectors.matching import in_window, same_text, search_from

GRAPH_URL = "https://graph.facebook.com"
GRAPH_VERSION = "v21.0"
DIALOG_URL = "https://www.facebook.com"
FACEBOOK_SCOPES = "pages_show_list,pages_read_engagement,pages_manage_posts,pages_manage_engagement"
INSTAGRAM_SCOPES = (
    "pages_show_list,pages_read_engagement,instagram_basic,instagram_content_publish,instagram_manage_comments"
)
# Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling).
AUTH_CODES = {102, 190, 458, 459, 460, 463, 464, 467}
RATE_CODES = {4, 17, 32, 341, 613, 80001, 80002, 80004}
TRANSIENT_CODES = {1, 2}
PERMISSION_CODES = {10}
RETRY_DEFAULT_SECONDS = 300.0

FACEBOOK_CAPABILITIES = Capabilities(
    network="facebook",
    max_length=63206,
    max_media=1,
    replies=True,
    delete=True,
    hide_comments=True,
    lookup_by_idempotency_key=False,
    lookup_by_content=True,
    oauth=True,
    profile_url="https://www.facebook.com/{handle}",
)
INSTAGRAM_CAPABILITIES = Capabilities(
    network="instagram",
    max_length=2200,
    max_media=1,
    media_types=("image/jpeg",),
    replies=True,
    delete=False,
    hide_comments=True,
    lookup_by_idempotency_key=False,
    lookup_by_content=True,
    media_by_url=True,
    oauth=True,
    profile_url="https://www.instagram.com/{handle}/",
)
LOOKUP_LIMIT = 100  # posts read per lookup; more since the first attempt and a person checks


def map_response(response: httpx.Response) -> PublishResult:
    """The one place Graph API answers become outcomes (developers.facebook.com, "Handling errors").

    200 with an id: done. Codes 102, 190 and 458-467 (token invalid or expired), 10 and 200-299
    (permission removed): a person must reconnect. 4, 17, 32, 341, 613, 800xx: throttled. Codes 1
    ("unknown error"), 2 ("service temporarily unavailable"), ``is_transient`` errors and any 5xx
    without a documented code: the request may have taken effect, so the outcome is unknown. Any
    other documented error (100 invalid parameter, 368 blocked, 506 duplicate post...): refused.
    """
    body = json_body(response)
    error = body.get("error") if isinstance(body.get("error"), dict) else None
    status = response.status_code
    if status == 200 and error is None:
        remote_id = str(body.get("post_id") or body.get("id") or "")
        if not remote_id and body.get("success") is not True:
            return PublishResult(Outcome.PENDING, reason="answer 200 without an id", raw=body)
        return PublishResult(Outcome.PUBLISHED, remote_id=remote_id, raw=body)
    error = error or {}
    code = int(error.get("code") or 0)
    reason = str(error.get("message") or response.reason_phrase)
    if code in AUTH_CODES or code in PERMISSION_CODES or 200 <= code < 300 or status == 401:
        return PublishResult(Outcome.AUTH_EXPIRED, reason=reason, raw=body)
    if code in RATE_CODES or status == 429:
        retry = retry_after_seconds(response.headers)
        return PublishResult(Outcome.RATE_LIMITED, retry_after=retry or RETRY_DEFAULT_SECONDS, reason=reason)
    if code in TRANSIENT_CODES or error.get("is_transient") or (code == 0 and unknown_status(status)):
        return PublishResult(Outcome.PENDING, reason=f"{reason}; the post may exist", raw=body)
    return PublishResult(Outcome.REJECTED, reason=reason, raw=body)


class _GraphClient:
    def __init__(self, base_url: str, client: httpx.Client | None) -> None:
        self._client = make_client(base_url, client)

    def call(self, method: str, path: str, token: str, **kwargs: Any) -> PublishResult:
        params = dict(kwargs.pop("params", {}) or {})
        params["access_token"] = token
        try:
            response = self._client.request(method, f"/{GRAPH_VERSION}/{path}", params=params, **kwargs)
        except httpx.HTTPError as exc:
            return transport_failure(exc)
        return map_response(response)

    def find(
        self, path: str, token: str, post: OutboundPost, *, text_field: str, time_field: str, link_field: str = ""
    ) -> PublishResult | None:
        """The item of ``path`` (a feed or media list) whose text is ``post``'s, created since its first attempt."""
        fields = ",".join(filter(None, ["id", text_field, time_field, link_field]))
        params: dict[str, Any] = {"fields": fields, "limit": LOOKUP_LIMIT}
        if time_field == "created_time":  # the Page feed filters by time itself; media lists are read newest first
            params["since"] = int(search_from(post).timestamp())
        try:
            body = self.get_json(path, token, params)
        except ConnectorError as failure:
            return failure.result
        items = [item for item in body.get("data") or [] if isinstance(item, dict)]
        for item in items:
            created = _graph_time(item.get(time_field))
            if in_window(created, post) and same_text(post.text, str(item.get(text_field) or "")):
                url = str(item.get(link_field) or "") if link_field else ""
                return PublishResult(Outcome.PUBLISHED, remote_id=str(item.get("id", "")), url=url)
        searched_all = not (body.get("paging") or {}).get("next") or any(
            not in_window(_graph_time(item.get(time_field)), post) for item in items
        )
        if searched_all:
            return None
        return PublishResult(Outcome.PENDING, reason="too many posts since the first attempt to search them all")

    def raw_get(self, path: str, params: dict[str, Any]) -> httpx.Response:
        """A GET with the given parameters (the caller adds any token)."""
        return self._client.get(f"/{GRAPH_VERSION}/{path}", params=params)

    def login_get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """A GET during Facebook Login; any refusal stops the connection with Facebook's message."""
        response = self.raw_get(path, params)
        body = json_body(response)
        if response.status_code != 200 or "error" in body:
            error = body.get("error") if isinstance(body.get("error"), dict) else {}
            detail = str((error or {}).get("message") or response.status_code)
            raise fail(gettext_noop("Facebook refused the request: %(detail)s"), detail=detail)
        return body

    def get_json(self, path: str, token: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._client.get(f"/{GRAPH_VERSION}/{path}", params={**params, "access_token": token})
        except httpx.HTTPError as exc:
            raise ConnectorError(transport_failure(exc)) from exc
        if response.status_code != 200:
            raise ConnectorError(map_response(response))
        return json_body(response)


SETUP = Setup(
    Kind.OAUTH,
    intro=gettext_noop("You will sign in with Facebook, allow Juru to manage your Page, and then choose the Page."),
    shows_redirect_uri=True,
)
_SETTINGS = {
    "base_url": "JURU_FACEBOOK_GRAPH_URL",
    "dialog_url": "JURU_FACEBOOK_DIALOG_URL",
    "app_id": "JURU_FACEBOOK_APP_ID",
    "app_secret": "JURU_FACEBOOK_APP_SECRET",
}


class _FacebookLogin(ConnectingDefaults):
    """Facebook Login for a Page (Facebook Pages and the Instagram account linked to a Page).

    The code becomes a long-lived user token, which lists the Pages the person manages with a
    Page token each (a Page token obtained that way does not expire); the person picks one.
    """

    setup = SETUP
    options_from_settings = _SETTINGS
    scopes = FACEBOOK_SCOPES
    _graph: _GraphClient

    def __init__(self, *, dialog_url: str = DIALOG_URL, app_id: str = "", app_secret: str = "") -> None:
        self._dialog_url = dialog_url
        self._app_id = app_id
        self._app_secret = app_secret

    def authorisation_origins(self) -> tuple[str, ...]:
        """Where the connect form sends the person (the configured consent page)."""
        return (origin(self._dialog_url),)

    def authorise(
        self, redirect_uri: str, state: str, values: Mapping[str, str], stored: Mapping[str, Any]
    ) -> Redirect:
        """Facebook's login dialog asking for the Page permissions Juru uses."""
        if not (self._app_id and self._app_secret):
            raise fail(
                gettext_noop(
                    "Facebook is not set up on this server: the operator must set JURU_FACEBOOK_APP_ID and _SECRET."
                )
            )
        query = {
            "client_id": self._app_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "response_type": "code",
            "scope": self.scopes,
        }
        return Redirect(f"{self._dialog_url}/{GRAPH_VERSION}/dialog/oauth?{urlencode(query)}")

    def finish(self, code: str, redirect_uri: str, keep: Mapping[str, Any]) -> list[Choice]:
        """Exchange the code for a long-lived user token and list the Pages it manages."""
        if not code:
            raise fail(NO_CODE)
        app = {"client_id": self._app_id, "client_secret": self._app_secret}
        fields = "id,name,access_token,instagram_business_account{id,username}"
        try:
            short = self._graph.login_get("oauth/access_token", {**app, "redirect_uri": redirect_uri, "code": code})
            exchange = {**app, "grant_type": "fb_exchange_token", "fb_exchange_token": str(short.get("access_token"))}
            user_token = str(self._graph.login_get("oauth/access_token", exchange).get("access_token"))
            pages = (
                self._graph.login_get("me/accounts", {"fields": fields, "access_token": user_token}).get("data") or []
            )
        except httpx.HTTPError:
            raise as_error(unreachable("Facebook")) from None
        choices = [self._choice(page) for page in pages if isinstance(page, dict)]
        found = [choice for choice in choices if choice is not None]
        if not found:
            raise fail(self._none_found)
        return found

    _none_found = gettext_noop("This Facebook user manages no Pages that Juru may use.")

    def _choice(self, page: dict[str, Any]) -> Choice | None:
        if not page.get("id") or not page.get("access_token"):
            return None
        page_id, token = str(page["id"]), str(page["access_token"])
        return Choice(page_id, str(page.get("name") or page_id), {"page_id": page_id, "token": token})

    def choose(self, choice: Choice) -> Connected:
        """Check the chosen Page's token and keep it."""
        token = choice.keep.get("token", "")
        checked = self.probe(Credentials(handle=choice.id, access_token=token))
        if not checked.ok:
            raise as_error(checked)
        credentials = {"handle": choice.id, "access_token": token, "page_id": choice.keep.get("page_id", "")}
        if choice.keep.get("username"):
            credentials["username"] = choice.keep["username"]
        return Connected(credentials, remote_user=choice.name)

    def probe(self, credentials: Credentials) -> Probe:
        """Read the object's id with the stored token."""
        try:
            response = self._graph.raw_get(
                credentials.handle, {"fields": "id", "access_token": credentials.access_token}
            )
        except httpx.HTTPError:
            return unreachable("Facebook")
        outcome = map_response(response).outcome
        if outcome is Outcome.PUBLISHED:
            return Probe(True, remote_id=credentials.handle)
        if outcome is Outcome.AUTH_EXPIRED:
            return refused(gettext_noop("Facebook no longer accepts Juru's access to this Page."))
        return unreachable("Facebook")


class FacebookPageConnector(_FacebookLogin):
    """Publishes to a Facebook Page."""

    capabilities = FACEBOOK_CAPABILITIES

    def __init__(self, *, base_url: str = GRAPH_URL, client: httpx.Client | None = None, **login: str) -> None:
        super().__init__(**login)
        self._graph = _GraphClient(base_url, client)

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """A Page post, a photo post, or a comment reply when ``reply_to`` is set."""
        token = credentials.access_token
        if post.reply_to:
            return self._graph.call("POST", f"{post.reply_to}/comments", token, data={"message": post.text})
        if post.media:
            media = post.media[0]
            files = {"source": (media.filename, media.data, media.content_type)}
            return self._graph.call(
                "POST", f"{credentials.handle}/photos", token, data={"caption": post.text}, files=files
            )
        return self._graph.call("POST", f"{credentials.handle}/feed", token, data={"message": post.text})

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """The Page post (or the comment under ``reply_to``) with this exact text since the first attempt."""
        path = f"{post.reply_to}/comments" if post.reply_to else f"{credentials.handle}/feed"
        return self._graph.find(
            path,
            credentials.access_token,
            post,
            text_field="message",
            time_field="created_time",
            link_field="permalink_url",
        )

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Delete a Page post or comment."""
        result = self._graph.call("DELETE", remote_id, credentials.access_token)
        if result.outcome is Outcome.PUBLISHED:
            return PublishResult(Outcome.PUBLISHED, remote_id=remote_id, reason="deleted")
        return result

    def hide(self, credentials: Credentials, comment_id: str, hidden: bool = True) -> PublishResult:
        """Hide (or unhide) a comment on the Page."""
        return self._graph.call("POST", comment_id, credentials.access_token, data={"is_hidden": str(hidden).lower()})

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Comments on the Page's recent posts (``/{page-id}/feed?fields=comments``)."""
        params: dict[str, Any] = {"fields": "id,comments.limit(50){id,message,from,created_time,parent}"}
        if since:
            params["since"] = since
        body = self._graph.get_json(f"{credentials.handle}/feed", credentials.access_token, params)
        mentions: list[Mention] = []
        for item in body.get("data") or []:
            for comment in ((item.get("comments") or {}).get("data")) or []:
                mentions.append(_comment(comment, parent=str(item.get("id", ""))))
        return mentions


class InstagramConnector(_FacebookLogin):
    """Publishes an image with a caption to an Instagram professional account (linked to a Page)."""

    capabilities = INSTAGRAM_CAPABILITIES
    scopes = INSTAGRAM_SCOPES
    _none_found = gettext_noop("None of your Facebook Pages has an Instagram professional account linked.")

    def __init__(
        self,
        *,
        base_url: str = GRAPH_URL,
        client: httpx.Client | None = None,
        media_url_for: Callable[[Media], str] | None = None,
        **login: str,
    ) -> None:
        super().__init__(**login)
        self._graph = _GraphClient(base_url, client)
        self._media_url_for = media_url_for

    def _choice(self, page: dict[str, Any]) -> Choice | None:
        """The Instagram professional account linked to the Page, if any."""
        base = super()._choice(page)
        linked = page.get("instagram_business_account") or {}
        if base is None or not isinstance(linked, dict) or not linked.get("id"):
            return None
        username = str(linked.get("username") or linked["id"])
        return Choice(str(linked["id"]), f"@{username} ({base.name})", base.keep | {"username": username})

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Create a media container, then publish it; a reply becomes a comment reply."""
        token = credentials.access_token
        if post.reply_to:
            return self._graph.call("POST", f"{post.reply_to}/replies", token, data={"message": post.text})
        if not post.media:
            return PublishResult(Outcome.REJECTED, reason="Instagram posts need an image")
        if self._media_url_for is None:
            return PublishResult(
                Outcome.REJECTED, reason="Instagram needs the image at a public URL; none is configured"
            )
        data = {"image_url": self._media_url_for(post.media[0]), "caption": post.text}
        container = self._graph.call("POST", f"{credentials.handle}/media", token, data=data)
        if container.outcome is Outcome.PENDING:
            # A container is private until published: whatever happened to it, nothing is public yet.
            return PublishResult(Outcome.FAILED, reason=f"media container not confirmed: {container.reason}")
        if container.outcome is not Outcome.PUBLISHED:
            return container
        return self._graph.call(
            "POST", f"{credentials.handle}/media_publish", token, data={"creation_id": container.remote_id}
        )

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """The account's media (or the reply under ``reply_to``) with this exact caption since the first attempt."""
        if post.reply_to:
            path, text_field, link_field = f"{post.reply_to}/replies", "text", ""
        else:
            path, text_field, link_field = f"{credentials.handle}/media", "caption", "permalink"
        return self._graph.find(
            path, credentials.access_token, post, text_field=text_field, time_field="timestamp", link_field=link_field
        )

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Instagram's API cannot delete posts."""
        return PublishResult(Outcome.REJECTED, reason="Instagram does not allow deleting posts through its API")

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Comments on the account's recent media."""
        params = {"fields": "id,comments{id,text,username,timestamp}"}
        body = self._graph.get_json(f"{credentials.handle}/media", credentials.access_token, params)
        mentions: list[Mention] = []
        for item in body.get("data") or []:
            for comment in ((item.get("comments") or {}).get("data")) or []:
                mentions.append(
                    Mention(
                        remote_id=str(comment.get("id", "")),
                        author_handle=str(comment.get("username") or ""),
                        text=str(comment.get("text") or ""),
                        created_at=_graph_time(comment.get("timestamp")),
                        in_reply_to=str(item.get("id", "")),
                    )
                )
        return mentions


def _comment(comment: dict[str, Any], parent: str) -> Mention:
    author = comment.get("from") or {}
    return Mention(
        remote_id=str(comment.get("id", "")),
        author_handle=str(author.get("id") or ""),
        author_name=str(author.get("name") or ""),
        text=str(comment.get("message") or ""),
        created_at=_graph_time(comment.get("created_time")),
        in_reply_to=str((comment.get("parent") or {}).get("id") or parent),
    )


def _graph_time(raw: Any) -> datetime:
    """Graph timestamps look like ``2026-11-21T08:00:00+0000``."""
    text = str(raw or "1970-01-01T00:00:00+0000")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    return datetime.fromisoformat(text)
