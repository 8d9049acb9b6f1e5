"""The sandbox network: at-most-once publishing, moderation, faults and the traffic generator."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from juru.connectors.base import Credentials, Media, OutboundPost, Outcome
from juru.connectors.errors import ConnectorError
from juru.connectors.sandbox import FAULT_KINDS, SandboxConnector, SandboxError, SandboxStore, classify_error
from juru.connectors.sandbox.traffic import KINDS, generate

BRAND = Credentials(handle="tokoku", secret="rahasia", extra={"display_name": "Toko Kita"})


@pytest.fixture
def connector(tmp_path) -> SandboxConnector:
    return SandboxConnector(path=tmp_path / "sandbox.sqlite3")


def _post(text: str = "Promo akhir bulan!", key: str = "key-1", **fields) -> OutboundPost:
    return OutboundPost(text=text, idempotency_key=key, **fields)


def test_publish_returns_id_and_public_url(connector):
    result = connector.publish(BRAND, _post())
    assert result.outcome is Outcome.PUBLISHED
    assert result.url == f"/sandbox/p/{result.remote_id}"
    assert connector.store.get(result.remote_id).text == "Promo akhir bulan!"
    assert connector.store.display_name("tokoku") == "Toko Kita"


def test_same_idempotency_key_never_makes_a_second_post(connector):
    first = connector.publish(BRAND, _post())
    second = connector.publish(BRAND, _post(text="changed on retry"))
    assert second.remote_id == first.remote_id
    assert [p.text for p in connector.store.timeline("tokoku")] == ["Promo akhir bulan!"]


def _publish_in_child(path: str, barrier, results) -> None:
    barrier.wait()
    result = SandboxConnector(path=path).publish(BRAND, _post(text="racing"))
    results.put((result.outcome.value, result.remote_id))


def test_two_processes_publishing_the_same_key_make_one_post(tmp_path):
    path = str(tmp_path / "sandbox.sqlite3")
    SandboxStore(path)  # create the schema before the race
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(4), context.Queue()
    children = [context.Process(target=_publish_in_child, args=(path, barrier, results)) for _ in range(4)]
    for child in children:
        child.start()
    answers = [results.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert {outcome for outcome, _ in answers} == {"published"}
    assert len({remote_id for _, remote_id in answers}) == 1
    assert len(SandboxStore(path).timeline("tokoku")) == 1


def test_lookup_finds_a_post_whose_answer_was_lost(connector):
    connector.store.inject_fault("lost_response")
    lost = connector.publish(BRAND, _post())
    assert lost.outcome is Outcome.PENDING
    found = connector.lookup(BRAND, _post())
    assert found is not None
    assert found.outcome is Outcome.PUBLISHED
    assert connector.publish(BRAND, _post()).remote_id == found.remote_id  # the retry adds nothing
    assert len(connector.store.timeline("tokoku")) == 1


def test_lookup_is_none_when_nothing_was_stored(connector):
    connector.store.inject_fault("timeout")
    assert connector.publish(BRAND, _post()).outcome is Outcome.PENDING
    assert connector.lookup(BRAND, _post()) is None
    assert connector.publish(BRAND, _post()).outcome is Outcome.PUBLISHED


def test_lookup_refuses_another_accounts_key(connector):
    connector.publish(BRAND, _post())
    result = connector.lookup(Credentials(handle="someone"), _post())
    assert result is not None
    assert result.outcome is Outcome.REJECTED


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        ("rate_limited", Outcome.RATE_LIMITED),
        ("server_error", Outcome.PENDING),
        ("timeout", Outcome.PENDING),
        ("lost_response", Outcome.PENDING),
        ("auth_expired", Outcome.AUTH_EXPIRED),
        ("rejected", Outcome.REJECTED),
    ],
)
def test_each_planned_fault_maps_to_its_outcome(connector, kind, outcome):
    connector.store.inject_fault(kind, retry_after=12)
    assert connector.publish(BRAND, _post()).outcome is outcome


def test_fault_for_the_next_n_calls_then_success(connector):
    connector.store.inject_fault("rate_limited", count=2, retry_after=30)
    first, second = (connector.publish(BRAND, _post(key=f"k{i}")) for i in range(2))
    assert (first.outcome, first.retry_after) == (Outcome.RATE_LIMITED, 30)
    assert second.outcome is Outcome.RATE_LIMITED
    assert connector.publish(BRAND, _post(key="k3")).outcome is Outcome.PUBLISHED


def test_faults_are_per_operation(connector):
    published = connector.publish(BRAND, _post())
    connector.store.inject_fault("server_error", operation="delete")
    assert connector.publish(BRAND, _post(key="other")).outcome is Outcome.PUBLISHED
    assert connector.delete(BRAND, published.remote_id).outcome is Outcome.PENDING
    assert connector.delete(BRAND, published.remote_id).outcome is Outcome.PUBLISHED


def test_unknown_fault_is_refused(connector):
    with pytest.raises(SandboxError, match="unknown fault"):
        connector.store.inject_fault("meteor")
    assert set(FAULT_KINDS) >= {"rate_limited", "lost_response"}


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (None, Outcome.PENDING),
        (429, Outcome.RATE_LIMITED),
        (401, Outcome.AUTH_EXPIRED),
        (400, Outcome.REJECTED),
        (403, Outcome.REJECTED),
        (404, Outcome.REJECTED),
        (500, Outcome.PENDING),
        (503, Outcome.PENDING),
    ],
)
def test_error_mapping_table(status, outcome):
    assert classify_error(status).outcome is outcome


def test_rate_limit_without_a_hint_waits_a_minute():
    assert classify_error(429).retry_after == 60.0


def test_wrong_secret_means_reconnect(connector):
    connector.publish(BRAND, _post())
    result = connector.publish(Credentials(handle="tokoku", secret="salah"), _post(key="k2"))
    assert result.outcome is Outcome.AUTH_EXPIRED


@pytest.mark.parametrize(
    ("post", "reason"),
    [
        (_post(text="   "), "needs some text"),
        (_post(text="a" * 501), "too long"),
        (_post(media=[Media("a.png", "image/png", b"x")] * 5), "at most 4"),
        (_post(reply_to="nope"), "no post"),
    ],
)
def test_bad_posts_are_rejected_with_a_reason(connector, post, reason):
    result = connector.publish(BRAND, post)
    assert result.outcome is Outcome.REJECTED
    assert reason in result.reason


def test_invalid_handle_is_rejected(connector):
    result = connector.publish(Credentials(handle="no spaces allowed"), _post())
    assert result.outcome is Outcome.REJECTED


def test_limit_counts_graphemes_not_code_points(connector):
    family = "👩‍👩‍👧‍👦"  # 7 code points, one grapheme
    assert connector.publish(BRAND, _post(text=family * 500)).outcome is Outcome.PUBLISHED


def test_replies_comments_and_mentions_reach_the_inbox(connector):
    post = connector.publish(BRAND, _post())
    comment = connector.store.comment("budi_santoso", post.remote_id, "Kapan mulai, min?")
    reply = connector.publish(BRAND, _post(text="Besok ya kak", key="r1", reply_to=comment.id))
    answer = connector.store.comment("budi_santoso", reply.remote_id, "Oke makasih")
    connector.store.publish("sari.wulandari", "Ada yang pernah coba @tokoku?")
    connector.store.publish("sari.wulandari", "Nothing about @tokokuu here")

    inbox = connector.fetch_mentions(BRAND)

    assert [(m.kind, m.author_handle) for m in inbox] == [
        ("comment", "budi_santoso"),
        ("reply", "budi_santoso"),
        ("mention", "sari.wulandari"),
    ]
    assert inbox[1].in_reply_to == reply.remote_id
    assert inbox[1].remote_id == answer.id
    assert connector.fetch_mentions(BRAND, since=inbox[-1].cursor) == []
    assert [m.text for m in connector.fetch_mentions(BRAND, since=inbox[0].cursor)][0] == "Oke makasih"


def test_bad_cursor_is_a_clear_error(connector):
    with pytest.raises(ConnectorError, match="not a sandbox cursor"):
        connector.fetch_mentions(BRAND, since="yesterday")


def test_fetch_fault_raises_with_the_outcome(connector):
    connector.store.inject_fault("rate_limited", operation="fetch", retry_after=5)
    with pytest.raises(ConnectorError) as raised:
        connector.fetch_mentions(BRAND)
    assert raised.value.outcome is Outcome.RATE_LIMITED
    assert raised.value.result.retry_after == 5


def test_hide_is_for_the_threads_owner_only(connector):
    post = connector.publish(BRAND, _post())
    spam = connector.store.comment("promo_gacor88", post.remote_id, "slot gacor")
    assert connector.hide(Credentials(handle="budi_santoso"), spam.id).outcome is Outcome.REJECTED
    assert connector.hide(BRAND, spam.id).outcome is Outcome.PUBLISHED
    assert connector.store.comments(post.remote_id) == []
    assert connector.hide(BRAND, spam.id, hidden=False).outcome is Outcome.PUBLISHED
    assert [c.id for c in connector.store.comments(post.remote_id)] == [spam.id]


def test_blocked_author_cannot_comment_until_unblocked(connector):
    post = connector.publish(BRAND, _post())
    assert connector.block(BRAND, "trollmaster99").outcome is Outcome.PUBLISHED
    with pytest.raises(SandboxError, match="blocked"):
        connector.store.comment("trollmaster99", post.remote_id, "lagi")
    connector.block(BRAND, "trollmaster99", blocked=False)
    assert connector.store.comment("trollmaster99", post.remote_id, "lagi").author == "trollmaster99"


def test_delete_is_for_the_author_only_and_repeatable(connector):
    post = connector.publish(BRAND, _post())
    assert connector.delete(Credentials(handle="budi_santoso"), post.remote_id).outcome is Outcome.REJECTED
    assert connector.delete(BRAND, post.remote_id).outcome is Outcome.PUBLISHED
    assert connector.delete(BRAND, post.remote_id).outcome is Outcome.PUBLISHED
    assert connector.delete(BRAND, "missing").outcome is Outcome.REJECTED
    assert connector.store.timeline("tokoku") == []


def test_default_path_is_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("JURU_DATA_DIR", str(tmp_path))
    SandboxConnector().publish(BRAND, _post())
    assert (Path(tmp_path) / "sandbox.sqlite3").exists()


def test_traffic_has_every_kind_in_both_languages(connector):
    post = connector.publish(BRAND, _post())
    made = generate(connector.store, "tokoku", count=200, seed=7)
    assert {(item.kind, item.lang) for item in made} == {(k, lang) for k in KINDS for lang in ("id", "en")}
    assert any(item.post.reply_to == post.remote_id for item in made)
    assert any(item.post.reply_to is None and "@tokoku" in item.post.text for item in made)
    spam_authors = {item.post.author for item in made if item.kind == "spam"}
    assert len(spam_authors) <= 3  # repeat offenders, so moderation has strikes to count
    assert len(connector.fetch_mentions(BRAND)) == len(made)


def test_traffic_is_reproducible_with_a_seed(tmp_path):
    texts = []
    for name in ("a", "b"):
        store = SandboxStore(tmp_path / f"{name}.sqlite3")
        store.publish("tokoku", "Promo")
        texts.append([(item.post.author, item.post.text) for item in generate(store, "tokoku", count=20, seed=42)])
    assert texts[0] == texts[1]


def test_traffic_respects_blocks(connector):
    connector.publish(BRAND, _post())
    connector.block(BRAND, "trollmaster99")
    connector.block(BRAND, "anon_kesel")
    made = generate(connector.store, "tokoku", count=50, seed=1, kinds=("abuse",))
    assert all(item.post.reply_to is None for item in made)  # only mentions: they cannot comment
    with pytest.raises(ValueError, match="unknown kinds"):
        generate(connector.store, "tokoku", kinds=("gossip",))


def test_traffic_command_prints_what_it_posted(tmp_path, capsys):
    from juru.connectors.sandbox.traffic import main

    path = tmp_path / "sandbox.sqlite3"
    assert main(["tokoku", "--count", "3", "--seed", "5", "--path", str(path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 3
    assert len(SandboxStore(path).inbox("tokoku")) == 3


def test_traffic_command_refuses_bad_input(tmp_path, capsys):
    from juru.connectors.sandbox.traffic import main

    with pytest.raises(SystemExit):
        main(["not a handle", "--path", str(tmp_path / "s.sqlite3")])
    assert "invalid handle" in capsys.readouterr().err
