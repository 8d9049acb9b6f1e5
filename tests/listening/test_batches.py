"""One poll is one batch: duplicates inside it, rows stored before it, and one author across conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from juru.connectors.base import Mention as Incoming
from juru.inbox.models import Conversation, Message
from juru.listening import services
from juru.listening.models import Mention
from juru.moderation.models import Strike

pytestmark = pytest.mark.django_db

START = datetime.now(UTC) - timedelta(hours=1)


def comment(remote_id: str, text: str, *, author: str = "sari", minute: int = 0, reply_to: str | None = None) -> Any:
    return Incoming(remote_id, author, text, START + timedelta(minutes=minute), in_reply_to=reply_to, kind="comment")


def test_a_batch_with_a_duplicate_inside_and_a_known_row_stores_each_new_mention_once(cast, brand_query):
    services.store_mentions(cast.org, cast.brand, [comment("c1", "Acme nasi kotak enak", minute=1)])
    batch = [
        comment("c2", "Acme nasi kotak basi", minute=2),
        comment("c1", "Acme nasi kotak enak", minute=1),  # stored by the previous poll
        comment("c3", "Pesanan Acme belum datang", author="budi", minute=3),
        comment("c2", "Acme nasi kotak basi", minute=2),  # the network sent it twice in one page
    ]
    result = services.store_mentions(cast.org, cast.brand, batch)
    assert result.stored == 2
    assert Mention.objects.filter(organisation=cast.org).count() == 3
    # Every receiver got the database's ids: each message points at the mention with its own network id.
    messages = Message.objects.filter(organisation=cast.org).select_related("mention")
    assert sorted((m.remote_id, m.mention.remote_id) for m in messages) == [("c1", "c1"), ("c2", "c2"), ("c3", "c3")]
    assert sorted(brand_query.mentions.values_list("remote_id", flat=True)) == ["c1", "c2", "c3"]
    assert services.store_mentions(cast.org, cast.brand, batch).stored == 0


def test_one_authors_batch_spans_two_conversations_and_repetition_counts_across_them(cast):
    text = "Follow akun kami ya kak, dijamin untung"
    services.store_mentions(cast.org, cast.brand, [comment("a1", text, author="penyalin", minute=1)])
    batch = [
        comment("a2", "Kapan buka cabang baru?", author="penyalin", minute=2),
        comment("a3", text, author="penyalin", minute=3, reply_to="a1"),
        comment("a4", text, author="penyalin", minute=4, reply_to="a2"),
    ]
    assert services.store_mentions(cast.org, cast.brand, batch).stored == 3
    threads = {c.thread_key: c.message_count for c in Conversation.objects.filter(organisation=cast.org)}
    assert threads == {"a1": 2, "a2": 2}
    # The third copy (the first stored by an earlier poll, the second in another conversation) is spam.
    strikes = list(Strike.objects.filter(organisation=cast.org).select_related("mention"))
    assert [(s.mention.remote_id, s.kind) for s in strikes] == [("a4", "spam")]
    assert strikes[0].evidence[0] == {"signal": "repeated_text", "detail": "3"}
