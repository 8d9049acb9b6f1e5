"""Mentions become conversations: threading, duplicates, out-of-order arrival, renames, bursts, odd texts."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from juru.inbox.models import Conversation, Direction, Message, Status
from juru.inbox.services.threads import build_conversations
from juru.listening import services as listening
from juru.listening.models import Mention
from tests.inbox.conftest import incoming

pytestmark = pytest.mark.django_db


def test_a_comment_opens_a_conversation_and_a_reply_joins_it(around_the_clock):
    cast = around_the_clock
    listening.store_mentions(cast.org, cast.brand, [incoming("c1", "Pesanan saya belum datang", author="sari")])
    listening.store_mentions(cast.org, cast.brand, [incoming("c2", "Sudah 3 hari", author="sari", reply_to="c1")])
    conversation = Conversation.objects.get(organisation=cast.org)
    assert conversation.thread_key == "c1"
    assert conversation.message_count == 2
    assert conversation.preview == "Sudah 3 hari"
    assert list(conversation.messages.values_list("remote_id", flat=True)) == ["c1", "c2"]
    assert conversation.messages.first().mention.text == "Pesanan saya belum datang"


def test_new_top_level_mentions_open_separate_conversations(around_the_clock):
    cast = around_the_clock
    listening.store_mentions(
        cast.org,
        cast.brand,
        [incoming("m1", "@acme halo", kind="mention"), incoming("m2", "@acme lagi", kind="mention")],
    )
    assert Conversation.objects.filter(organisation=cast.org).count() == 2


def test_duplicate_deliveries_make_one_message(around_the_clock):
    cast = around_the_clock
    item = incoming("d1", "Halo Acme")
    listening.store_mentions(cast.org, cast.brand, [item, item])
    listening.store_mentions(cast.org, cast.brand, [item])
    assert Conversation.objects.get(organisation=cast.org).message_count == 1
    assert Message.objects.filter(organisation=cast.org).count() == 1


def test_a_reply_stored_before_its_parent_is_merged_when_the_parent_arrives(around_the_clock):
    cast = around_the_clock
    listening.store_mentions(cast.org, cast.brand, [incoming("r2", "Ini balasannya", reply_to="p1", minutes_ago=1)])
    orphan = Conversation.objects.get(organisation=cast.org)
    assert orphan.awaiting_parent == "p1"
    listening.store_mentions(cast.org, cast.brand, [incoming("p1", "Ini komentar awalnya", minutes_ago=3)])
    conversation = Conversation.objects.get(organisation=cast.org)
    assert conversation.thread_key == "p1"
    assert conversation.message_count == 2
    assert [m.remote_id for m in conversation.messages.order_by("created_at")] == ["p1", "r2"]
    assert conversation.preview == "Ini balasannya"
    assert not Conversation.objects.filter(pk=orphan.pk).exists()


def test_an_author_renamed_mid_conversation_stays_in_it_with_the_newest_name(around_the_clock):
    cast = around_the_clock
    listening.store_mentions(cast.org, cast.brand, [incoming("n1", "Halo", author="budi", name="Budi S")])
    listening.store_mentions(
        cast.org, cast.brand, [incoming("n2", "Masih ada?", author="budi", name="Budi Santoso 🇮🇩", reply_to="n1")]
    )
    conversation = Conversation.objects.get(organisation=cast.org)
    assert conversation.message_count == 2
    assert conversation.shown_author == "Budi Santoso 🇮🇩"


def test_direct_messages_from_one_author_share_a_conversation(around_the_clock):
    cast = around_the_clock
    listening.store_mentions(cast.org, cast.brand, [incoming("dm1", "Halo min", author="ani", kind="dm")])
    listening.store_mentions(cast.org, cast.brand, [incoming("dm2", "Tolong dibalas", author="ani", kind="dm")])
    conversation = Conversation.objects.get(organisation=cast.org)
    assert conversation.message_count == 2
    assert conversation.kind == "dm"


def test_emoji_only_and_very_long_comments_are_kept_whole(around_the_clock):
    cast = around_the_clock
    long_text = "Kecewa sekali. " * 667  # 10,005 characters
    listening.store_mentions(
        cast.org, cast.brand, [incoming("e1", "😡😡😡🤮", author="a"), incoming("e2", long_text[:10_000], author="b")]
    )
    emoji = Conversation.objects.get(thread_key="e1")
    long = Conversation.objects.get(thread_key="e2")
    assert emoji.preview == "😡😡😡🤮"
    assert len(long.preview) == 280
    assert len(long.messages.get().mention.text) == 10_000


def test_a_resolved_conversation_reopens_with_fresh_clocks_when_the_author_writes_again(around_the_clock):
    cast = around_the_clock
    listening.store_mentions(cast.org, cast.brand, [incoming("o1", "Halo", minutes_ago=60)])
    conversation = Conversation.objects.get()
    conversation.status, conversation.resolved_at, conversation.due_at = Status.RESOLVED, conversation.opened_at, None
    conversation.save()
    listening.store_mentions(cast.org, cast.brand, [incoming("o2", "Masih rusak", reply_to="o1", minutes_ago=1)])
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN
    assert conversation.resolved_at is None
    assert conversation.due_at > datetime.now(UTC) + timedelta(minutes=200)  # normal: 240 minutes from the new message


def _raw_mentions(cast, count: int) -> list[Mention]:
    """``count`` stored mentions (classification skipped: the burst measures the inbox's own work)."""
    batch = uuid.uuid4()
    start = datetime.now(UTC) - timedelta(minutes=30)
    rows = [
        Mention(
            organisation=cast.org, account=cast.brand, network="sandbox", remote_id=f"b{i}", kind="comment",
            author_handle=f"warga{i % 5000}", author_name=f"Warga {i}", text="Keracunan setelah makan nasi kotak",
            in_reply_to=f"b{i - 1}" if i % 10 else "post-1", created_at=start + timedelta(milliseconds=i), batch=batch,
            lang="id", sentiment="negative",
        )
        for i in range(count)
    ]  # fmt: skip
    Mention.objects.bulk_create(rows, batch_size=2000)
    return list(Mention.objects.filter(batch=batch).order_by("created_at", "pk"))


def test_a_burst_of_50000_comments_is_threaded_in_bounded_time_and_queries(around_the_clock):
    cast = around_the_clock
    mentions = _raw_mentions(cast, 50_000)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        created = build_conversations(cast.org, mentions)
    elapsed = time.perf_counter() - started
    assert len(created) == 5_000  # every tenth comment starts a thread; the nine after it answer it
    assert Message.objects.filter(organisation=cast.org, direction=Direction.INBOUND).count() == 50_000
    assert Conversation.objects.get(thread_key="b10").message_count == 10
    assert len(queries) < 1_000  # bulk statements (SQLite caps their size), never one query per comment
    assert elapsed < 60, f"50,000 comments took {elapsed:.1f} s"
    print(f"\n50,000 comments threaded in {elapsed:.2f} s with {len(queries)} queries")


def test_a_published_reply_joins_the_thread_and_stops_the_first_response_clock(around_the_clock):
    from juru.publishing.models import Draft, Post, PostState
    from juru.publishing.signals import post_published

    cast = around_the_clock
    listening.store_mentions(cast.org, cast.brand, [incoming("q1", "Kapan pesanan saya dikirim?", author="sari")])
    draft = Draft.objects.create(organisation=cast.org, author=cast.author, text="Halo Kak, kami cek dulu ya.")
    post = Post.objects.create(
        organisation=cast.org, draft=draft, account=cast.brand, reply_to="q1", state=PostState.PUBLISHED,
        idempotency_key="k-q1", remote_id="out-1", published_at=datetime.now(UTC),
    )  # fmt: skip
    events: list = []
    post_published.send(sender=Post, post=post, events=events)
    conversation = Conversation.objects.get(thread_key="q1")
    assert conversation.first_responded_at == post.published_at
    assert conversation.due_at == conversation.resolution_due_at  # only the resolution clock runs now
    assert [m.direction for m in conversation.messages.all()] == [Direction.INBOUND, Direction.OUTBOUND]
    listening.store_mentions(
        cast.org, cast.brand, [incoming("q2", "Terima kasih!", author="sari", reply_to="out-1", minutes_ago=0)]
    )
    conversation.refresh_from_db()
    assert conversation.message_count == 3  # the customer's answer to our reply stays in the thread


def test_a_post_that_answers_nothing_we_know_is_ignored(cast):
    from juru.inbox.services.threads import record_reply

    class Unrelated:
        reply_to = ""

    assert record_reply(Unrelated(), []) is None
