"""The Bluesky connector against the real reference server (``@atproto/pds``, PDS-only mode)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from atproto import Client

from juru.connectors.base import Credentials, OutboundPost, Outcome
from juru.connectors.bluesky import POST, BlueskyConnector, record_key
from juru.connectors.errors import ConnectorError
from juru.connectors.registry import get_connector

pytestmark = pytest.mark.bluesky

Accounts = Callable[..., Credentials]


@pytest.fixture
def connector(bsky_pds) -> BlueskyConnector:
    return BlueskyConnector(base_url=bsky_pds.url, web_url="", timeout=30)


def _post(text: str, **fields) -> OutboundPost:
    return OutboundPost(text=text, idempotency_key=str(uuid.uuid4()), created_at=datetime.now(UTC), **fields)


def _records(bsky_pds, account: Credentials) -> list:
    client = Client(base_url=bsky_pds.url)
    client.login(account.handle, account.secret, fetch_bsky_profile=False)
    return client.com.atproto.repo.list_records({"repo": account.extra["did"], "collection": POST}).records


def test_publish_then_lookup_finds_the_post_and_a_repeat_publishes_nothing(bsky_pds, bsky_account: Accounts):
    account = bsky_account()
    connector = get_connector("bluesky", base_url=bsky_pds.url, web_url="")
    post = _post("Halo dari Juru 👋🏽 — https://example.test/promo")

    first = connector.publish(account, post)
    assert first.outcome is Outcome.PUBLISHED, first.reason
    assert first.remote_id.endswith("/" + record_key(post.idempotency_key))

    found = connector.lookup(account, post)
    assert found is not None
    assert found.outcome is Outcome.PUBLISHED
    assert found.remote_id == first.remote_id

    again = connector.publish(account, post)  # a retry after a lost answer
    assert again.outcome is Outcome.PUBLISHED
    assert again.remote_id == first.remote_id
    records = _records(bsky_pds, account)
    assert [r.uri for r in records] == [first.remote_id]
    assert records[0].value.text == post.text
    assert records[0].value.facets[0].features[0].uri == "https://example.test/promo"


def test_lookup_of_a_key_never_published_is_none(connector, bsky_account: Accounts):
    assert connector.lookup(bsky_account(), _post("never sent")) is None


def test_publish_finds_a_post_whose_answer_was_lost(bsky_pds, connector, bsky_account: Accounts):
    """A crash after the PDS stored the record: the next attempt must report it, not post again."""
    account = bsky_account()
    post = _post("Sent once, answer lost")
    raw = Client(base_url=bsky_pds.url)
    raw.login(account.handle, account.secret, fetch_bsky_profile=False)
    record = {"$type": POST, "text": post.text, "createdAt": raw.get_current_time_iso()}
    rkey = record_key(post.idempotency_key)
    stored = raw.com.atproto.repo.create_record(
        {"repo": account.extra["did"], "collection": POST, "rkey": rkey, "record": record}
    )

    result = connector.publish(account, post)

    assert result.outcome is Outcome.PUBLISHED
    assert result.remote_id == stored.uri
    assert len(_records(bsky_pds, account)) == 1


def test_replies_point_at_the_thread_root_and_the_parent(bsky_pds, connector, bsky_account: Accounts):
    brand, customer = bsky_account("brand"), bsky_account("cust")
    root = connector.publish(brand, _post("Promo akhir bulan mulai besok!"))
    question = connector.publish(customer, _post("Berlaku di semua kota?", reply_to=root.remote_id))
    answer = connector.publish(brand, _post("Ya, di semua kota 🙂", reply_to=question.remote_id))
    assert {root.outcome, question.outcome, answer.outcome} == {Outcome.PUBLISHED}

    reply = next(r for r in _records(bsky_pds, brand) if r.uri == answer.remote_id).value.reply
    assert reply.root.uri == root.remote_id
    assert reply.parent.uri == question.remote_id


def test_reply_to_a_missing_post_is_rejected(connector, bsky_account: Accounts):
    account = bsky_account()
    missing = f"at://{account.extra['did']}/{POST}/{record_key('nothing here')}"
    result = connector.publish(account, _post("hello?", reply_to=missing))
    assert result.outcome is Outcome.REJECTED
    assert "RecordNotFound" in result.reason


def test_delete_removes_the_post(bsky_pds, connector, bsky_account: Accounts):
    account = bsky_account()
    post = _post("Salah ketik, akan dihapus")
    published = connector.publish(account, post)

    deleted = connector.delete(account, published.remote_id)

    assert deleted.outcome is Outcome.PUBLISHED
    assert connector.lookup(account, post) is None
    assert _records(bsky_pds, account) == []


def test_delete_refuses_another_accounts_post(connector, bsky_account: Accounts):
    owner, other = bsky_account(), bsky_account()
    published = connector.publish(owner, _post("mine"))
    assert connector.delete(other, published.remote_id).outcome is Outcome.REJECTED


def test_wrong_password_means_the_account_must_be_reconnected(connector, bsky_account: Accounts):
    account = bsky_account()
    wrong = Credentials(handle=account.handle, secret="not-the-password")
    result = connector.publish(wrong, _post("should not appear"))
    assert result.outcome is Outcome.AUTH_EXPIRED
    assert "Invalid identifier or password" in result.reason


def test_saved_session_is_reused_without_the_password(bsky_pds, bsky_account: Accounts):
    account = bsky_account()
    sessions: dict[str, str] = {}
    first = BlueskyConnector(base_url=bsky_pds.url, on_session=sessions.__setitem__)
    assert first.publish(account, _post("one")).outcome is Outcome.PUBLISHED
    assert account.handle in sessions

    later = BlueskyConnector(base_url=bsky_pds.url)
    saved = Credentials(handle=account.handle, extra={"session": sessions[account.handle]})
    assert later.publish(saved, _post("two")).outcome is Outcome.PUBLISHED
    assert len(_records(bsky_pds, account)) == 2


def test_mentions_need_an_appview_and_say_so(connector, bsky_account: Accounts):
    with pytest.raises(ConnectorError) as raised:
        connector.fetch_mentions(bsky_account())
    assert raised.value.outcome is Outcome.FAILED
    assert "AppView" in raised.value.result.reason
