"""Telegram channel posts through the Bot API.

The Bot API cannot look a message up by anything we choose, so ``lookup`` returns ``None``: a
publish whose answer was lost goes to a human instead of being retried blindly.
Credentials: ``access_token`` is the bot token, ``handle`` the channel (``@name`` or chat id).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from juru.connectors.base import (
    Capabilities,
    Credentials,
    Mention,
    OutboundPost,
    Outcome,
    PublishResult,
)
from juru.connectors.errors import ConnectorError
from juru.connectors.httpapi import json_body, make_client, transport_failure

API_URL = "https://api.telegram.org"
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

CAPABILITIES = Capabilities(
    network="telegram",
    max_length=TEXT_LIMIT,
    length_unit="characters",
    max_media=1,
    media_types=("image/jpeg", "image/png"),
    replies=True,
    delete=True,
    lookup_by_idempotency_key=False,
    oauth=False,
    read_mentions=True,
    profile_url="https://t.me/{handle}",
)


def map_response(response: httpx.Response) -> PublishResult:
    """The one place Telegram answers become outcomes (core.telegram.org/bots/api, "Making requests").

    ``ok: true``: done. ``error_code`` 429: wait ``parameters.retry_after`` seconds. 401: the bot
    token is revoked. 403: the bot may no longer post there (kicked, not an admin), which a person
    must fix, unless the chat itself refused the message. Other 4xx: refused, nothing sent. 5xx
    (500, 502 from the Bot API's front) or an answer without ``ok``: the message may have been sent.
    """
    body = json_body(response)
    if response.status_code == 200 and body.get("ok"):
        result = body.get("result")
        message_id = str(result.get("message_id", "")) if isinstance(result, dict) else ""
        return PublishResult(Outcome.PUBLISHED, remote_id=message_id, url=_message_url(result), raw=body)
    code = int(body.get("error_code") or response.status_code)
    description = str(body.get("description") or response.reason_phrase)
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    if code == 429:
        retry = parameters.get("retry_after") if parameters else None
        return PublishResult(Outcome.RATE_LIMITED, retry_after=float(retry or 30), reason=description, raw=body)
    if code == 401 or (code == 403 and "bot was kicked" not in description):
        return PublishResult(Outcome.AUTH_EXPIRED, reason=description, raw=body)
    if 400 <= code < 500:
        return PublishResult(Outcome.REJECTED, reason=description, raw=body)
    return PublishResult(Outcome.PENDING, reason=f"{code} {description}; the message may have been sent", raw=body)


def _message_url(result: Any) -> str:
    if not isinstance(result, dict):
        return ""
    chat = result.get("chat") or {}
    username = chat.get("username") if isinstance(chat, dict) else None
    return f"https://t.me/{username}/{result.get('message_id')}" if username else ""


class TelegramConnector:
    """Posts to a Telegram channel as a bot that is an administrator of it."""

    capabilities = CAPABILITIES

    def __init__(self, *, base_url: str = API_URL, client: httpx.Client | None = None) -> None:
        self._client = make_client(base_url, client)

    def _call(self, credentials: Credentials, method: str, **kwargs: Any) -> PublishResult:
        try:
            response = self._client.post(f"/bot{credentials.access_token}/{method}", **kwargs)
        except httpx.HTTPError as exc:
            return transport_failure(exc)
        return map_response(response)

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        """Send a text message, or a photo with the text as caption."""
        reply = {"reply_parameters": {"message_id": int(post.reply_to)}} if post.reply_to else {}
        if post.media:
            if len(post.text) > CAPTION_LIMIT:
                return PublishResult(Outcome.REJECTED, reason=f"caption longer than {CAPTION_LIMIT} characters")
            media = post.media[0]
            data: dict[str, Any] = {"chat_id": credentials.handle, "caption": post.text}
            if post.reply_to:
                data["reply_to_message_id"] = post.reply_to
            files = {"photo": (media.filename, media.data, media.content_type)}
            return self._call(credentials, "sendPhoto", data=data, files=files)
        if len(post.text) > TEXT_LIMIT:
            return PublishResult(Outcome.REJECTED, reason=f"text longer than {TEXT_LIMIT} characters")
        return self._call(credentials, "sendMessage", json={"chat_id": credentials.handle, "text": post.text, **reply})

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        """The Bot API has no way to find a message by our key: a human must check."""
        return None

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        """Delete a message the bot sent."""
        result = self._call(
            credentials, "deleteMessage", json={"chat_id": credentials.handle, "message_id": int(remote_id)}
        )
        if result.outcome is Outcome.PUBLISHED:
            return PublishResult(Outcome.PUBLISHED, remote_id=remote_id, reason="deleted")
        return result

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Mention]:
        """Replies and messages in the channel's discussion that reached the bot (``getUpdates``)."""
        params: dict[str, Any] = {"timeout": 0}
        if since:
            params["offset"] = int(since) + 1
        try:
            response = self._client.post(f"/bot{credentials.access_token}/getUpdates", json=params)
        except httpx.HTTPError as exc:
            raise ConnectorError(transport_failure(exc)) from exc
        body = json_body(response)
        if not body.get("ok"):
            raise ConnectorError(map_response(response))
        return [m for update in body.get("result", []) if (m := _mention(update)) is not None]


def _mention(update: dict[str, Any]) -> Mention | None:
    message = update.get("message") or update.get("channel_post")
    if not isinstance(message, dict) or not message.get("text"):
        return None
    sender = message.get("from") or message.get("sender_chat") or {}
    reply = message.get("reply_to_message") or {}
    return Mention(
        remote_id=str(update.get("update_id")),
        author_handle=str(sender.get("username") or sender.get("id") or ""),
        author_name=" ".join(filter(None, [sender.get("first_name"), sender.get("last_name")])),
        text=str(message["text"]),
        created_at=datetime.fromtimestamp(int(message.get("date", 0)), tz=UTC),
        in_reply_to=str(reply["message_id"]) if reply.get("message_id") else None,
    )
