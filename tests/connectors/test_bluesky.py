"""Bluesky without a server: error mapping, record keys, and reading mentions from an AppView's answer."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime

import httpx
import pytest
from atproto_client import exceptions as atx
from atproto_client.models.common import XrpcError
from atproto_client.request import Response

from juru.connectors.base import Credentials, OutboundPost, Outcome
from juru.connectors.bluesky import TID_ALPHABET, BlueskyConnector, classify_error, record_key
from juru.connectors.errors import ConnectorError

DID = "did:plc:brandbrandbrandbrandbran"
ACCOUNT = Credentials(handle="brand.test", secret="app-password")


def _response(status: int, error: str = "", message: str = "", headers: dict[str, str] | None = None) -> Response:
    content = XrpcError(error=error, message=message) if error else b""
    return Response(success=False, status_code=status, content=content, headers=headers or {})


def _chained(error: Exception, cause: Exception) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (atx.UnauthorizedError(_response(401, "AuthenticationRequired", "Invalid identifier or password")), "auth"),
        (atx.BadRequestError(_response(400, "ExpiredToken", "Token has expired")), "auth"),
        (atx.BadRequestError(_response(400, "AccountTakedown", "Account has been taken down")), "auth"),
        (atx.UnauthorizedError(_response(403, "", "")), "auth"),
        (atx.BadRequestError(_response(400, "InvalidRequest", "grapheme too big")), "rejected"),
        (atx.BadRequestError(_response(400, "RecordNotFound", "Could not locate record")), "rejected"),
        (atx.NetworkError(_response(413)), "rejected"),
        (atx.RequestException(_response(500, "InternalServerError", "Internal Server Error")), "pending"),
        (atx.NetworkError(_response(502)), "pending"),
        (atx.RequestException(_response(503)), "pending"),
        (atx.RequestException(_response(504)), "pending"),
        (atx.InvokeTimeoutError(), "pending"),
        (_chained(atx.NetworkError(), httpx.ConnectError("refused")), "failed"),
        (_chained(atx.NetworkError(), httpx.ReadError("reset")), "pending"),
        (atx.LoginRequiredError(), "auth"),
        (ValueError("surprise"), "pending"),
    ],
)
def test_error_mapping_table(error, outcome):
    expected = {
        "auth": Outcome.AUTH_EXPIRED,
        "rejected": Outcome.REJECTED,
        "failed": Outcome.FAILED,
        "pending": Outcome.PENDING,
    }[outcome]
    assert classify_error(error).outcome is expected


def test_rate_limit_uses_retry_after_then_ratelimit_reset():
    hinted = atx.RateLimitExceededError(_response(429, "RateLimitExceeded", "slow down", {"retry-after": "42"}))
    assert (classify_error(hinted).outcome, classify_error(hinted).retry_after) == (Outcome.RATE_LIMITED, 42.0)
    reset = str(int(time.time()) + 120)
    windowed = atx.RateLimitExceededError(_response(429, "RateLimitExceeded", "", {"ratelimit-reset": reset}))
    assert 100 <= classify_error(windowed).retry_after <= 121
    bare = atx.RateLimitExceededError(_response(429))
    assert classify_error(bare).retry_after == 60.0


def test_record_key_is_a_valid_tid_that_depends_only_on_the_key():
    key = record_key("draft-1/attempt-chain")
    assert key == record_key("draft-1/attempt-chain")
    assert key != record_key("draft-2/attempt-chain")
    assert len(key) == 13
    assert set(key) <= set(TID_ALPHABET)
    assert key[0] in "234567abcdefghij"  # the top bit of a TID is always zero
    assert len({record_key(f"k{i}") for i in range(5000)}) == 5000


def test_record_key_time_is_in_the_past():
    decoded = 0
    for char in record_key("any key"):
        decoded = decoded * 32 + TID_ALPHABET.index(char)
    written = datetime.fromtimestamp((decoded >> 10) / 1_000_000, UTC)
    assert datetime(2023, 1, 1, tzinfo=UTC) <= written < datetime(2025, 6, 1, tzinfo=UTC)


def test_too_long_posts_are_refused_before_any_request():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected request {request.url}")

    connector = BlueskyConnector(base_url="http://pds.invalid", transport=httpx.MockTransport(refuse))
    result = connector.publish(ACCOUNT, OutboundPost(text="é" * 301, idempotency_key="k"))
    assert result.outcome is Outcome.REJECTED
    assert "300" in result.reason
    emoji = "👩‍👩‍👧‍👦" * 121  # only 121 graphemes, but 3025 bytes: over the second limit (3000)
    assert connector.publish(ACCOUNT, OutboundPost(text=emoji, idempotency_key="k")).outcome is Outcome.REJECTED


def _jwt() -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"scope": "com.atproto.access", "sub": DID, "iat": now, "exp": now + 3600, "aud": "did:web:pds.test"}
    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part(claims)}.c2ln"


def _notification(reason: str, seconds: int, text: str, reply_parent: str | None = None) -> dict:
    indexed = f"2026-03-01T10:00:{seconds:02d}.000Z"
    record: dict = {"$type": "app.bsky.feed.post", "text": text, "createdAt": indexed}
    if reply_parent:
        ref = {"uri": reply_parent, "cid": "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5cpwzsv5rppqe5a"}
        record["reply"] = {"root": ref, "parent": ref}
    return {
        "uri": f"at://did:plc:customer/app.bsky.feed.post/3kabc{seconds:08d}",
        "cid": "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5cpwzsv5rppqe5a",
        "author": {"did": "did:plc:customer", "handle": "sari.test", "displayName": "Sari"},
        "reason": reason,
        "record": record,
        "isRead": False,
        "indexedAt": indexed,
    }


def _appview(pages: dict[str | None, dict]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("com.atproto.server.createSession"):
            session = {"accessJwt": _jwt(), "refreshJwt": _jwt(), "handle": ACCOUNT.handle, "did": DID}
            return httpx.Response(200, json=session)
        if request.url.path.endswith("app.bsky.notification.listNotifications"):
            return httpx.Response(200, json=pages[request.url.params.get("cursor")])
        return httpx.Response(404, json={"error": "MethodNotImplemented", "message": "no"})

    return httpx.MockTransport(answer)


def test_mentions_come_oldest_first_across_pages_and_skip_likes():
    pages = {
        None: {
            "cursor": "page2",
            "notifications": [_notification("like", 5, ""), _notification("mention", 4, "@brand halo")],
        },
        "page2": {
            "notifications": [_notification("reply", 3, "Kapan?", reply_parent=f"at://{DID}/app.bsky.feed.post/3k")]
        },
    }
    connector = BlueskyConnector(base_url="http://pds.test", web_url="https://bsky.app", transport=_appview(pages))

    mentions = connector.fetch_mentions(ACCOUNT)

    assert [(m.kind, m.text) for m in mentions] == [("comment", "Kapan?"), ("mention", "@brand halo")]
    assert mentions[0].in_reply_to == f"at://{DID}/app.bsky.feed.post/3k"
    assert mentions[1].author_handle == "sari.test"
    assert mentions[1].author_name == "Sari"
    assert mentions[1].url.startswith("https://bsky.app/profile/sari.test/post/")
    assert connector.fetch_mentions(ACCOUNT, since=mentions[0].cursor) == mentions[1:]


def test_mentions_rate_limited_raise_with_the_outcome():
    def limited(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("createSession"):
            return httpx.Response(200, json={"accessJwt": _jwt(), "refreshJwt": _jwt(), "handle": "b.test", "did": DID})
        return httpx.Response(429, json={"error": "RateLimitExceeded"}, headers={"retry-after": "7"})

    connector = BlueskyConnector(base_url="http://pds.test", transport=httpx.MockTransport(limited))
    with pytest.raises(ConnectorError) as raised:
        connector.fetch_mentions(ACCOUNT)
    assert raised.value.outcome is Outcome.RATE_LIMITED
    assert raised.value.result.retry_after == 7


def test_no_password_and_no_session_means_reconnect():
    connector = BlueskyConnector(base_url="http://pds.invalid")
    result = connector.publish(Credentials(handle="brand.test"), OutboundPost(text="hi", idempotency_key="k"))
    assert result.outcome is Outcome.AUTH_EXPIRED


def test_delete_of_something_that_is_not_a_post_id_is_rejected():
    pages: dict = {}
    connector = BlueskyConnector(base_url="http://pds.test", transport=_appview(pages))
    assert connector.delete(ACCOUNT, "https://bsky.app/post/1").outcome is Outcome.REJECTED
