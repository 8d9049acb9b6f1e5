"""Telegram channel posts through the Bot API.

The Bot API cannot look a message up by anything we choose, so ``lookup`` returns ``None``: a
publish whose answer was lost goes to a human instead of being retried blindly.
Credentials: ``access_token`` is the bot token, ``handle`` the channel (``@name`` or chat id).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
from juru.connectors.connecting import (
    Connected,
    ConnectingDefaults,
    Field,
    Kind,
    Message,
    Probe,
    Setup,
    as_error,
    fail,
    gettext_noop,
    refused,
    unreachable,
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


_BOT_TOKEN = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{20,80}$")
_CHANNEL = re.compile(r"^(@[A-Za-z0-9_]{4,64}|-?\d{5,20})$")

SETUP = Setup(
    Kind.FORM,
    intro=gettext_noop("Juru posts to the channel as your bot. The token is stored encrypted and never shown again."),
    fields=(
        Field(
            "bot_token",
            gettext_noop("Bot token"),
            help=gettext_noop("From @BotFather. The bot must be an administrator of the channel."),
            secret=True,
        ),
        Field(
            "channel",
            gettext_noop("Channel"),
            help=gettext_noop("@name or the numeric chat id."),
            max_length=80,
            initial="handle",
        ),
    ),
)


class TelegramConnector(ConnectingDefaults):
    """Posts to a Telegram channel as a bot that is an administrator of it; connects with a bot token."""

    capabilities = CAPABILITIES
    setup = SETUP
    options_from_settings = {"base_url": "JURU_TELEGRAM_API_URL"}

    def __init__(self, *, base_url: str = API_URL, client: httpx.Client | None = None) -> None:
        self._client = make_client(base_url, client)

    # -- connecting ---------------------------------------------------------------------------

    def connect(self, values: Mapping[str, str]) -> Connected:
        """Check the bot token with ``getMe`` and the channel with ``getChat``; both must work."""
        bot_token, channel = values.get("bot_token", "").strip(), values.get("channel", "").strip()
        if not _BOT_TOKEN.match(bot_token):
            # The token becomes part of a URL path: anything else is refused before any request.
            raise fail(gettext_noop("This does not look like a bot token from @BotFather (digits, a colon, letters)."))
        if not _CHANNEL.match(channel):
            raise fail(gettext_noop("Enter the channel as @name or as its numeric chat id."))
        checked = self.probe(Credentials(handle=channel, access_token=bot_token))
        if not checked.ok:
            raise as_error(checked)
        return Connected(
            {"handle": channel, "access_token": bot_token, "bot": checked.remote_user}, checked.remote_user
        )

    def probe(self, credentials: Credentials) -> Probe:
        """``getMe`` (is the token valid?) then ``getChat`` (can the bot see the channel?)."""
        bot_token, channel = credentials.access_token, credentials.handle
        if not _BOT_TOKEN.match(bot_token):
            return refused(gettext_noop("Telegram does not accept this bot token."))
        try:
            me = self._client.post(f"/bot{bot_token}/getMe")
            if me.status_code in (401, 404) or not json_body(me).get("ok"):
                return refused(gettext_noop("Telegram does not accept this bot token."))
            chat = self._client.post(f"/bot{bot_token}/getChat", json={"chat_id": channel})
        except httpx.HTTPError:
            return unreachable("Telegram")  # never the exception text: its URL contains the bot token
        bot = str((json_body(me).get("result") or {}).get("username") or "")
        if not json_body(chat).get("ok"):
            text = gettext_noop("The bot @%(bot)s cannot see %(channel)s: add it to the channel as an administrator.")
            return Probe(False, message=Message(text, {"bot": bot, "channel": channel}))
        return Probe(True, remote_user=bot)

    # -- publishing ---------------------------------------------------------------------------

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
