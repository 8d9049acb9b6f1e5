"""Mastodon connector through Mastodon.py against mastodon-mock, a local Mastodon API server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mastodon_mock.testing.server import MockServer

from juru.connectors.base import Credentials, Media, OutboundPost, Outcome
from juru.connectors.mastodon import IDEMPOTENCY_WINDOW_SECONDS, MastodonConnector, key_remembered
from tests.connectors.mastodon_front import MastodonFront, front_for


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    server = MockServer().start()
    yield server
    server.stop()


@pytest.fixture
def server(mock: MockServer) -> MockServer:
    httpx.post(f"{mock.base_url}/api/v1/_mock/reset")
    httpx.delete(f"{mock.base_url}/api/v1/_mock/faults")
    return mock


def creds(server: MockServer, token: str = "bob_token") -> Credentials:
    return Credentials(handle="bob", access_token=token, extra={"base_url": server.base_url})


def post(key: str = "attempt-1", text: str = "Selamat datang di Nusantara Rasa!", **kw: object) -> OutboundPost:
    return OutboundPost(text=text, idempotency_key=key, **kw)  # type: ignore[arg-type]


def fault(server: MockServer, effect: dict[str, object]) -> None:
    rule = {"match": {"methods": ["POST"], "path": "/api/v1/statuses"}, "effect": effect, "count": 1}
    httpx.post(f"{server.base_url}/api/v1/_mock/faults", json=rule).raise_for_status()


def own_statuses(server: MockServer) -> list[dict[str, object]]:
    api = MastodonConnector().client(creds(server))
    return list(api.account_statuses(api.me()["id"]))


def test_publish(server: MockServer) -> None:
    result = MastodonConnector().publish(creds(server), post())
    assert result.outcome is Outcome.PUBLISHED
    assert result.remote_id
    assert len(own_statuses(server)) == 1


def test_lookup_with_the_same_key_never_double_posts(server: MockServer) -> None:
    connector = MastodonConnector()
    first = connector.publish(creds(server), post())
    found = connector.lookup(creds(server), post())
    assert found is not None
    assert found.remote_id == first.remote_id
    assert len(own_statuses(server)) == 1


def test_reply_and_media(server: MockServer) -> None:
    connector = MastodonConnector()
    parent = connector.publish(creds(server), post("p"))
    image = (Media(filename="a.png", content_type="image/png", data=_png(), alt_text="Rendang"),)
    reply = connector.publish(creds(server), post("r", text="Terima kasih!", reply_to=parent.remote_id, media=image))
    assert reply.outcome is Outcome.PUBLISHED


def test_wrong_token_means_reconnect(server: MockServer) -> None:
    assert MastodonConnector().publish(creds(server, "revoked"), post()).outcome is Outcome.AUTH_EXPIRED


def test_rate_limit(server: MockServer) -> None:
    fault(server, {"type": "ratelimit"})
    result = MastodonConnector().publish(creds(server), post())
    assert result.outcome is Outcome.RATE_LIMITED
    assert 0 < (result.retry_after or 0) <= 300


def test_server_error_leaves_the_outcome_unknown(server: MockServer) -> None:
    fault(server, {"type": "status", "status": 500})
    assert MastodonConnector().publish(creds(server), post()).outcome is Outcome.PENDING


def test_gateway_timeout_is_pending(server: MockServer) -> None:
    fault(server, {"type": "status", "status": 504})
    assert MastodonConnector().publish(creds(server), post()).outcome is Outcome.PENDING


def test_over_long_status_is_rejected(server: MockServer) -> None:
    result = MastodonConnector().publish(creds(server), post(text="a" * 600))
    assert result.outcome is Outcome.REJECTED


def test_delete(server: MockServer) -> None:
    connector = MastodonConnector()
    published = connector.publish(creds(server), post())
    assert connector.delete(creds(server), published.remote_id).outcome is Outcome.PUBLISHED
    assert own_statuses(server) == []


def test_mentions(server: MockServer) -> None:
    other = MastodonConnector().client(creds(server, "alice_token"))
    other.status_post("@bob halo, kapan buka cabang di Medan?")
    mentions = MastodonConnector().fetch_mentions(creds(server))
    assert any("Medan" in m.text and "<" not in m.text for m in mentions)


def _png() -> bytes:
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )


def test_reading_mentions_with_a_revoked_token_raises(server: MockServer) -> None:
    from juru.connectors.errors import ConnectorError

    with pytest.raises(ConnectorError) as failure:
        MastodonConnector().fetch_mentions(creds(server, "revoked"))
    assert failure.value.result.outcome is Outcome.AUTH_EXPIRED


@pytest.fixture
def front(server: MockServer) -> Iterator[MastodonFront]:
    with front_for(server.base_url) as running:
        yield running


def through(front: MastodonFront) -> Credentials:
    return Credentials(handle="bob", access_token="bob_token", extra={"base_url": front.base_url})


def first_tried(minutes_ago: float, key: str = "attempt-1") -> OutboundPost:
    since = datetime.now(tz=UTC) - timedelta(minutes=minutes_ago)
    return OutboundPost(text="Selamat datang di Nusantara Rasa!", idempotency_key=key, attempted_since=since)


def test_a_5xx_after_creating_is_pending_and_found_with_the_key(server: MockServer, front: MastodonFront) -> None:
    connector = MastodonConnector()
    front.fail_after_create()
    assert connector.publish(through(front), first_tried(1)).outcome is Outcome.PENDING
    found = connector.lookup(through(front), first_tried(1))
    assert found is not None
    assert found.outcome is Outcome.PUBLISHED
    assert len(own_statuses(server)) == 1


def test_after_the_key_window_the_lookup_searches_and_never_posts_again(
    server: MockServer, front: MastodonFront
) -> None:
    connector = MastodonConnector()
    front.fail_after_create()
    assert connector.publish(through(front), first_tried(1)).outcome is Outcome.PENDING
    front.expire_keys()
    # What a re-send with the expired key would do: a second status.
    stale = first_tried(IDEMPOTENCY_WINDOW_SECONDS / 60 + 5)
    found = connector.lookup(through(front), stale)
    assert found is not None
    assert found.outcome is Outcome.PUBLISHED
    assert len(own_statuses(server)) == 1
    assert connector.lookup(through(front), replace(stale, text="Belum pernah dikirim")) is None
    assert len(own_statuses(server)) == 1


def test_the_front_models_an_expired_key(server: MockServer, front: MastodonFront) -> None:
    connector = MastodonConnector()
    connector.publish(through(front), first_tried(1))
    front.expire_keys()
    connector.publish(through(front), first_tried(1))  # the key is forgotten: a second status
    assert len(own_statuses(server)) == 2


def test_key_window() -> None:
    assert key_remembered(first_tried(1))
    assert not key_remembered(first_tried(IDEMPOTENCY_WINDOW_SECONDS / 60))
    assert key_remembered(OutboundPost(text="t", idempotency_key="k"))
