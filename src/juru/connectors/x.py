"""X (Twitter) through API v2 with an OAuth 2.0 user-context token.

X offers no lookup by a key we choose, so ``lookup`` searches the account's own recent posts
(``GET /2/users/:id/tweets`` from the first attempt's time) for the exact text: a publish whose
answer was lost is found there, or is known not to exist, before anything is sent again. Length
is X's weighted count (URLs count 23, wide characters and emoji count 2) with a limit of 280.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from juru.connectors.base import (
    Capabilities,
    Credentials,
    Media,
    Mention,
    OutboundPost,
    Outcome,
    PublishResult,
    register_length_unit,
)
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
from juru.connectors.matching import same_text, search_from

API_URL = "https://api.x.com"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
SCOPES = "tweet.read tweet.write users.read media.write offline.access"
MAX_WEIGHTED_LENGTH = 280
URL_WEIGHT = 23
# Code-point ranges X weighs as 1 (Latin, most scripts, common punctuation); everything else weighs 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = re.compile(r"https?://\S+|\b[\w-]+\.(?:com|id|co\.id|org|net|io|ly)(?:/\S*)?", re.IGNORECASE)

CAPABILITIES = Capabilities(
    network="x",
    max_length=MAX_WEIGHTED_LENGTH,
    length_unit="x-weighted",
    max_media=4,
    media_types=("image/jpeg", "image/png", "image/gif", "image/webp"),
    replies=True,
    delete=True,
    lookup_by_idempotency_key=False,
    lookup_by_content=True,
    oauth=True,
    refresh_tokens=True,
    read_mentions=True,
    profile_url="https://x.com/{handle}",
)
LOOKUP_PAGE = 100  # the most posts one timeline request returns
LOOKUP_PAGES = 5  # beyond this many pages a person checks instead
UPLOAD_CHUNK = 1024 * 1024  # bytes per APPEND request of the media upload
MAX_ALT_TEXT = 1000  # characters of alt text X keeps for an image


def weighted_length(text: str) -> int:
    """X's weighted length of ``text`` (NFC; URLs 23; characters outside the light ranges 2)."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _URL.finditer(text):
        total += _char_weight(text[position : match.start()]) + URL_WEIGHT
        position = match.end()
    return total + _char_weight(text[position:])


def _char_weight(chunk: str) -> int:
    """Weights per character; an emoji ZWJ sequence or a modified emoji counts as one emoji (2)."""
    weight = 0
    joined = False
    for char in chunk:
        code = ord(char)
        if code == 0x200D:
            joined = True
            continue
        if joined or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF:
            joined = False
            continue  # part of the previous emoji
        weight += 1 if any(low <= code <= high for low, high in _LIGHT_RANGES) else 2
    return weight


register_length_unit("x-weighted", weighted_length)


def map_response(response: httpx.Response) -> PublishResult:
    """The one place X answers become outcomes (docs.x.com, "Response codes and errors").

    2xx with ``data``: done. 429: wait for ``x-rate-limit-reset``. 401: the token is no longer
    valid. Other 4xx (400 invalid request, 403 forbidden or duplicate content, 404, 409, 422): X
    refused and created nothing. 5xx (500, 502, 503 "over capacity", 504) and anything else: X may
    have created the post before failing to answer, so the outcome is unknown.
    """
    body = json_body(response)
    data = body.get("data") if isinstance(body.get("data"), dict) else None
    status = response.status_code
    reason = str(body.get("detail") or body.get("title") or response.reason_phrase)
    if 200 <= status < 300:
        if data is None:
            return PublishResult(Outcome.PENDING, reason=f"answer {status} without a post: {reason}", raw=body)
        tweet_id = str(data.get("id", ""))
        url = f"https://x.com/i/web/status/{tweet_id}" if tweet_id else ""
        return PublishResult(Outcome.PUBLISHED, remote_id=tweet_id, url=url, raw=body)
    if status == 429:
        retry = retry_after_seconds(response.headers)
        return PublishResult(Outcome.RATE_LIMITED, retry_after=retry if retry is not None else 900, reason=reason)
    if status == 401:
        return PublishResult(Outcome.AUTH_EXPIRED, reason=reason, raw=body)
    if unknown_status(status):
        return PublishResult(Outcome.PENDING, reason=f"{status} {reason}; the post may exist", raw=body)
    return PublishResult(Outcome.REJECTED, reason=reason, raw=body)


SETUP = Setup(
    Kind.OAUTH,
    intro=gettext_noop("You will be sent to X to allow Juru to post for this account, then brought back here."),
    shows_redirect_uri=True,
)


class XConnector(ConnectingDefaults):
    """Posts, replies and deletes as the user whose OAuth 2.0 token is given; connects with OAuth 2.0 and PKCE."""

    capabilities = CAPABILITIES
    setup = SETUP
    options_from_settings = {
        "base_url": "JURU_X_API_URL",
        "authorize_url": "JURU_X_AUTHORIZE_URL",
        "client_id": "JURU_X_CLIENT_ID",
        "client_secret": "JURU_X_CLIENT_SECRET",
    }

    def __init__(
        self,
        *,
        base_url: str = API_URL,
        client: httpx.Client | None = None,
        authorize_url: str = AUTHORIZE_URL,
        client_id: str = "",
        client_secret: str = "",
    ) -> None:
        self._client = make_client(base_url, client)
        self._authorize_url = authorize_url
        self._client_id = client_id
        self._client_secret = client_secret  # empty for a public (PKCE-only) client

    # -- connecting ---------------------------------------------------------------------------

    def authorisation_origins(self) -> tuple[str, ...]:
        """Where the connect form sends the person (the configured consent page)."""
        return (origin(self._authorize_url),)

    def authorise(
        self, redirect_uri: str, state: str, values: Mapping[str, str], stored: Mapping[str, Any]
    ) -> Redirect:
        """X's consent page with a PKCE S256 challenge; the verifier is kept until the callback."""
        if not self._client_id:
            raise fail(gettext_noop("X is not set up on this server: the operator must set JURU_X_CLIENT_ID."))
        query = {"client_id": self._client_id, "redirect_uri": redirect_uri, "scope": SCOPES, "state": state}
        return pkce_redirect(self._authorize_url, query)

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """POST to X's token endpoint; a confidential client authenticates with HTTP Basic."""
        form = {**form, "client_id": self._client_id}
        secret = self._client_secret
        auth = httpx.BasicAuth(self._client_id, secret) if secret else httpx.USE_CLIENT_DEFAULT
        response = self._client.post("/2/oauth2/token", data=form, auth=auth)
        return response.status_code, json_body(response)

    def finish(self, code: str, redirect_uri: str, keep: Mapping[str, Any]) -> Connected:
        """Exchange the code (with the PKCE verifier) for tokens and check them with ``users/me``."""
        not_accepted = gettext_noop("X did not accept the authorisation. Start connecting again.")
        body = exchange_code(self._token, code, redirect_uri, keep, network="X", not_accepted=not_accepted)
        checked = self.probe(Credentials(handle="", access_token=str(body["access_token"])))
        if not checked.ok:
            raise as_error(checked)
        credentials = {
            "access_token": str(body["access_token"]),
            "refresh_token": str(body.get("refresh_token") or ""),
            "expires_at": expires_at(body),
            "user_id": checked.remote_id,
            "username": checked.remote_user,
        }
        return Connected(credentials, remote_user=checked.remote_user)

    def probe(self, credentials: Credentials) -> Probe:
        """``GET /2/users/me``: 401 means the token no longer works."""
        try:
            response = self._client.get("/2/users/me", headers={"Authorization": f"Bearer {credentials.access_token}"})
        except httpx.HTTPError:
            return unreachable("X")
        if response.status_code == 401:
            return refused(gettext_noop("X no longer accepts Juru's access to this account."))
        user = json_body(response).get("data") or {}
        if response.status_code != 200 or not isinstance(user, dict) or not user.get("id"):
            return unreachable("X")
        return Probe(True, remote_user=str(user.get("username") or ""), remote_id=str(user["id"]))

    def refresh(self, credentials: Credentials) -> Refreshed:
        """A new access token for the refresh token (X rotates refresh tokens: the new one is kept)."""
        refused_text = gettext_noop("X refused to renew the sign-in (%(error)s). Connect the account again.")
        return refresh_tokens(self._token, credentials, refused_text=refused_text)

    # -- publishing ---------------------------------------------------------------------------

    def _call(self, credentials: Credentials, method: str, path: str, **kwargs: Any) -> httpx.Response | PublishResult:
        """The raw answer, or the mapped transport failure."""
        headers = {"Authorization": f"Bearer {credentials.access_token}"}
        try:
            return self._client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            return transport_failure(exc)

    def _request(self, credentials: Credentials, method: str, path: str, **kwargs: Any) -> PublishResult:
        answer = self._call(credentials, method, path, **kwargs)
        return answer if isinstance(answer, PublishResult) else map_response(answer)

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Upload the media (if any), then create the post (``POST /2/tweets``) with their ids."""
        if weighted_length(post.text) > MAX_WEIGHTED_LENGTH:
            return PublishResult(Outcome.REJECTED, reason=f"longer than {MAX_WEIGHTED_LENGTH} weighted characters")
        if len(post.media) > CAPABILITIES.max_media:
            return PublishResult(Outcome.REJECTED, reason=f"X takes at most {CAPABILITIES.max_media} images")
        if any(len(media.alt_text) > MAX_ALT_TEXT for media in post.media):
            return PublishResult(Outcome.REJECTED, reason=f"X keeps at most {MAX_ALT_TEXT} characters of alt text")
        payload: dict[str, Any] = {"text": post.text}
        if post.reply_to:
            payload["reply"] = {"in_reply_to_tweet_id": post.reply_to}
        media_ids = []
        for media in post.media:
            uploaded = self._upload(credentials, media)
            if uploaded.outcome is not Outcome.PUBLISHED:
                return uploaded
            media_ids.append(uploaded.remote_id)
        if media_ids:
            payload["media"] = {"media_ids": media_ids}
        return self._request(credentials, "POST", "/2/tweets", json=payload)

    def _upload(self, credentials: Credentials, media: Media) -> PublishResult:
        """The media upload flow (initialize, append chunks, finalize, then alt text); ``remote_id`` is the media id.

        Uploaded media stay private until a post uses them, so any failure here is surely no post.
        """
        if media.content_type not in CAPABILITIES.media_types:
            return PublishResult(Outcome.REJECTED, reason=f"X does not take {media.content_type} files")
        init = {"media_type": media.content_type, "total_bytes": len(media.data), "media_category": "tweet_image"}
        started = self._request(credentials, "POST", "/2/media/upload/initialize", json=init)
        if started.outcome is not Outcome.PUBLISHED:
            return _nothing_posted(started)
        media_id = started.remote_id
        for index, offset in enumerate(range(0, len(media.data), UPLOAD_CHUNK)):
            chunk = base64.b64encode(media.data[offset : offset + UPLOAD_CHUNK]).decode("ascii")
            appended = self._call(
                credentials, "POST", f"/2/media/upload/{media_id}/append", json={"media": chunk, "segment_index": index}
            )
            if isinstance(appended, PublishResult):
                return _nothing_posted(appended)
            if not 200 <= appended.status_code < 300:  # a 2xx answer to APPEND may have no body at all
                return _nothing_posted(map_response(appended))
        finished = self._request(credentials, "POST", f"/2/media/upload/{media_id}/finalize")
        if finished.outcome is not Outcome.PUBLISHED or not media.alt_text:
            return _nothing_posted(finished) if finished.outcome is not Outcome.PUBLISHED else finished
        # Alt text is metadata of the uploaded image, set before any post uses it.
        metadata = {"id": media_id, "metadata": {"alt_text": {"text": media.alt_text}}}
        described = self._request(credentials, "POST", "/2/media/metadata", json=metadata)
        return _nothing_posted(described) if described.outcome is not Outcome.PUBLISHED else finished

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """The account's post with this exact text since the first attempt, ``None`` if there is none."""
        user_id = credentials.extra.get("user_id", "")
        if not user_id:
            return PublishResult(Outcome.PENDING, reason="the account's X user id is unknown, so it cannot be searched")
        params = {
            "start_time": search_from(post).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "max_results": str(LOOKUP_PAGE),
            "tweet.fields": "created_at,text",
        }
        headers = {"Authorization": f"Bearer {credentials.access_token}"}
        for _page in range(LOOKUP_PAGES):
            try:
                response = self._client.get(f"/2/users/{user_id}/tweets", params=params, headers=headers)
            except httpx.HTTPError as exc:
                return transport_failure(exc)
            if response.status_code != 200:
                return map_response(response)
            body = json_body(response)
            for item in body.get("data") or []:
                shown = str(item.get("text") or "") if isinstance(item, dict) else ""
                if shown and same_text(post.text, shown, media_link=bool(post.media)):
                    tweet_id = str(item.get("id", ""))
                    url = f"https://x.com/i/web/status/{tweet_id}"
                    return PublishResult(Outcome.PUBLISHED, remote_id=tweet_id, url=url)
            next_token = (body.get("meta") or {}).get("next_token")
            if not next_token:
                return None
            params["pagination_token"] = str(next_token)
        return PublishResult(Outcome.PENDING, reason="too many posts since the first attempt to search them all")

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Delete a post (``DELETE /2/tweets/:id``)."""
        headers = {"Authorization": f"Bearer {credentials.access_token}"}
        try:
            response = self._client.delete(f"/2/tweets/{remote_id}", headers=headers)
        except httpx.HTTPError as exc:
            return transport_failure(exc)
        body = json_body(response)
        if response.status_code == 200 and (body.get("data") or {}).get("deleted"):
            return PublishResult(Outcome.PUBLISHED, remote_id=remote_id, reason="deleted")
        return map_response(response)

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Recent mentions of the account (``GET /2/users/:id/mentions``); ``since`` is a post id."""
        user_id = credentials.extra.get("user_id", "")
        if not user_id:
            return []
        params = {"tweet.fields": "created_at,author_id,conversation_id", "expansions": "author_id"}
        if since:
            params["since_id"] = since
        try:
            response = self._client.get(
                f"/2/users/{user_id}/mentions",
                params=params,
                headers={"Authorization": f"Bearer {credentials.access_token}"},
            )
        except httpx.HTTPError as exc:
            raise ConnectorError(transport_failure(exc)) from exc
        if response.status_code != 200:
            raise ConnectorError(map_response(response))
        body = json_body(response)
        users = {u.get("id"): u for u in (body.get("includes") or {}).get("users", [])}
        return [_mention(item, users) for item in body.get("data") or [] if isinstance(item, dict)]


def _nothing_posted(result: PublishResult) -> PublishResult:
    """A media step that did not succeed: an unknown outcome there still means no post exists."""
    if result.outcome is Outcome.PENDING:
        return PublishResult(Outcome.FAILED, reason=f"media upload not confirmed, nothing posted: {result.reason}")
    return result


def _mention(item: dict[str, Any], users: dict[Any, dict[str, Any]]) -> Mention:
    author = users.get(item.get("author_id"), {})
    created = str(item.get("created_at") or "1970-01-01T00:00:00+00:00").replace("Z", "+00:00")
    tweet_id = str(item.get("id", ""))
    return Mention(
        remote_id=tweet_id,
        author_handle=str(author.get("username") or item.get("author_id") or ""),
        author_name=str(author.get("name") or ""),
        text=str(item.get("text") or ""),
        created_at=datetime.fromisoformat(created),
        url=f"https://x.com/i/web/status/{tweet_id}",
        in_reply_to=str(item["conversation_id"]) if item.get("conversation_id") else None,
    )
