"""Telegram connector against a local server speaking the documented Bot API."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from juru.connectors.base import Credentials, Media, OutboundPost, Outcome
from juru.connectors.telegram import TelegramConnector
from tests.connectors.localapi import LocalAPI, Request, Response, serve

TOKEN = "123456:ABC-test-token"
CREDS = Credentials(handle="@nusantararasa", access_token=TOKEN)


def bot_api() -> LocalAPI:
    """The Bot API as documented at core.telegram.org/bots/api, for one channel."""
    api = LocalAPI()
    messages: dict[int, str] = {}

    def check(request: Request, match: re.Match[str]) -> Response | None:
        if match.group("token") != TOKEN:
            return Response(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        return None

    @api.route("POST", r"/bot(?P<token>[^/]+)/sendMessage")
    def send_message(request: Request, match: re.Match[str]) -> Response:
        if denied := check(request, match):
            return denied
        data = request.json()
        if data.get("chat_id") != "@nusantararasa":
            return Response(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        if len(data.get("text", "")) > 4096:
            return Response(400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"})
        message_id = len(messages) + 1
        messages[message_id] = data["text"]
        chat = {"id": -1001234, "title": "Nusantara Rasa", "username": "nusantararasa", "type": "channel"}
        return Response(200, {"ok": True, "result": {"message_id": message_id, "date": 1763700000, "chat": chat}})

    @api.route("POST", r"/bot(?P<token>[^/]+)/sendPhoto")
    def send_photo(request: Request, match: re.Match[str]) -> Response:
        if denied := check(request, match):
            return denied
        assert b'name="photo"' in request.body
        return Response(200, {"ok": True, "result": {"message_id": 99, "date": 1763700000, "chat": {"id": 1}}})

    @api.route("POST", r"/bot(?P<token>[^/]+)/deleteMessage")
    def delete_message(request: Request, match: re.Match[str]) -> Response:
        if denied := check(request, match):
            return denied
        if messages.pop(request.json()["message_id"], None) is None:
            return Response(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: message to delete not found"}
            )
        return Response(200, {"ok": True, "result": True})

    @api.route("POST", r"/bot(?P<token>[^/]+)/getUpdates")
    def get_updates(request: Request, match: re.Match[str]) -> Response:
        if denied := check(request, match):
            return denied
        update = {
            "update_id": 501,
            "message": {
                "message_id": 7,
                "date": 1763700100,
                "from": {"id": 42, "first_name": "Sari", "username": "sari_w"},
                "chat": {"id": -100999, "type": "supergroup"},
                "text": "Kak, pesanan saya belum sampai",
                "reply_to_message": {"message_id": 1},
            },
        }
        return Response(200, {"ok": True, "result": [update]})

    api.messages = messages  # type: ignore[attr-defined]
    return api


@pytest.fixture
def server() -> Iterator[LocalAPI]:
    with serve(bot_api()) as api:
        yield api


@pytest.fixture
def connector(server: LocalAPI) -> TelegramConnector:
    return TelegramConnector(base_url=server.base_url, client=httpx.Client(base_url=server.base_url, timeout=2.0))


def post(text: str = "Selamat pagi dari Nusantara Rasa!", **kw: object) -> OutboundPost:
    return OutboundPost(text=text, idempotency_key="k1", **kw)  # type: ignore[arg-type]


def test_publish_to_channel(connector: TelegramConnector, server: LocalAPI) -> None:
    result = connector.publish(CREDS, post())
    assert result.outcome is Outcome.PUBLISHED
    assert result.remote_id == "1"
    assert result.url == "https://t.me/nusantararasa/1"
    assert server.requests[-1].json() == {"chat_id": "@nusantararasa", "text": "Selamat pagi dari Nusantara Rasa!"}


def test_reply_carries_reply_parameters(connector: TelegramConnector, server: LocalAPI) -> None:
    connector.publish(CREDS, post(reply_to="1"))
    assert server.requests[-1].json()["reply_parameters"] == {"message_id": 1}


def test_photo_uses_send_photo_with_caption(connector: TelegramConnector, server: LocalAPI) -> None:
    media = (Media(filename="promo.jpg", content_type="image/jpeg", data=b"\xff\xd8jpeg"),)
    result = connector.publish(CREDS, post(media=media))
    assert result.outcome is Outcome.PUBLISHED
    assert server.requests[-1].path.endswith("/sendPhoto")


def test_over_long_text_is_rejected_before_sending(connector: TelegramConnector, server: LocalAPI) -> None:
    result = connector.publish(CREDS, post("a" * 4097))
    assert result.outcome is Outcome.REJECTED
    assert "4096" in result.reason
    assert server.requests == []


def test_wrong_token_means_reconnect(connector: TelegramConnector) -> None:
    result = connector.publish(Credentials(handle="@nusantararasa", access_token="bad"), post())
    assert result.outcome is Outcome.AUTH_EXPIRED


def test_unknown_channel_is_rejected(connector: TelegramConnector) -> None:
    result = connector.publish(Credentials(handle="@nope", access_token=TOKEN), post())
    assert result.outcome is Outcome.REJECTED
    assert "chat not found" in result.reason


def test_flood_wait_honours_retry_after(connector: TelegramConnector, server: LocalAPI) -> None:
    body = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 17",
        "parameters": {"retry_after": 17},
    }
    server.fail_next("POST", "sendMessage", Response(429, body))
    result = connector.publish(CREDS, post())
    assert result.outcome is Outcome.RATE_LIMITED
    assert result.retry_after == 17


def test_server_error_leaves_the_outcome_unknown(connector: TelegramConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "sendMessage", Response(500, {"ok": False, "error_code": 500, "description": "Internal"}))
    assert connector.publish(CREDS, post()).outcome is Outcome.PENDING


def test_lost_answer_is_pending_and_cannot_be_looked_up(connector: TelegramConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "sendMessage", Response(drop=True))
    result = connector.publish(CREDS, post())
    assert result.outcome is Outcome.PENDING
    assert server.messages  # type: ignore[attr-defined]  # the channel got it
    assert connector.lookup(CREDS, post()) is None  # so a human must decide


def test_timeout_is_pending(connector: TelegramConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "sendMessage", Response(200, {"ok": True, "result": {}}, delay=3.0))
    assert connector.publish(CREDS, post()).outcome is Outcome.PENDING


def test_unreachable_network_is_a_plain_failure() -> None:
    connector = TelegramConnector(base_url="http://127.0.0.1:9", client=httpx.Client(base_url="http://127.0.0.1:9"))
    assert connector.publish(CREDS, post()).outcome is Outcome.FAILED


def test_delete(connector: TelegramConnector) -> None:
    published = connector.publish(CREDS, post())
    assert connector.delete(CREDS, published.remote_id).outcome is Outcome.PUBLISHED
    assert connector.delete(CREDS, published.remote_id).outcome is Outcome.REJECTED


def test_fetch_mentions(connector: TelegramConnector) -> None:
    [mention] = connector.fetch_mentions(CREDS)
    assert mention.author_handle == "sari_w"
    assert mention.text == "Kak, pesanan saya belum sampai"
    assert mention.in_reply_to == "1"


def test_reading_mentions_with_a_bad_token_raises_instead_of_returning_nothing(connector: TelegramConnector) -> None:
    from juru.connectors.errors import ConnectorError

    with pytest.raises(ConnectorError) as failure:
        connector.fetch_mentions(Credentials(handle="@nusantararasa", access_token="bad"))
    assert failure.value.result.outcome is Outcome.AUTH_EXPIRED
