"""One poll is one batch: duplicates inside it, rows stored before it, and one author across conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from juru.connectors.base import Mention as Incoming
from juru.inbox.models import Conversation, Message
from juru.listening import services
from juru.listening.models import Alert, Mention
from juru.moderation.models import Author, ModerationAction, Strike
from juru.moderation.services import authors
from juru.sandbox.scenarios import SPAM, SPAMMER
from tests.publishing.conftest import build_cast

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


def _mixed_page() -> list[Any]:
    """Spam, complaints, praise, replies (one before its parent), a whitelisted and a banned author."""
    spam = [comment(f"s{i}", text, author=SPAMMER, minute=i) for i, text in enumerate(SPAM[:4])]
    copied = "Follow akun kami ya kak, dijamin untung"
    return [
        *spam,
        comment("k1", "Anak saya keracunan setelah makan nasi kotak Acme", author="ibu.rina", minute=5),
        comment("k2", "Kamu bodoh, tidak becus, dasar penipu!", author="pemarah", minute=6, reply_to="k1"),
        comment("r2", "Betul, saya juga kena", author="budi", minute=8, reply_to="r1"),  # before its parent
        comment("r1", "Ada yang sakit perut juga?", author="sari", minute=7, reply_to="k1"),
        *(comment(f"p{i}", copied, author="penyalin", minute=9 + i) for i in range(3)),
        comment("w1", SPAM[0], author="teman.lama", minute=12),
        comment("b1", "Saya kembali lagi", author="diblokir", minute=13),
        comment("m1", "Makasih Acme, enak banget", author="dewi", minute=14),
    ]


def _prepare_authors(org: Any, account: Any) -> None:
    """A whitelisted author and a banned one, both seen before the page."""
    earlier = [
        comment("e1", "Halo", author="teman.lama", minute=-5),
        comment("e2", "Halo", author="diblokir", minute=-4),
    ]
    services.store_mentions(org, account, earlier)
    friend = Author.objects.get(organisation=org, handle="teman.lama")
    authors.set_whitelisted(actor=None, author=friend, whitelisted=True)
    authors.ban(actor=None, author=Author.objects.get(organisation=org, handle="diblokir"))


def _outcome(org: Any) -> dict[str, Any]:
    strikes = Strike.objects.filter(organisation=org).select_related("author", "mention")
    actions = ModerationAction.objects.filter(organisation=org).select_related("author", "mention")
    conversations = Conversation.objects.filter(organisation=org)
    return {
        "strikes": sorted((s.mention.remote_id, s.author.handle, s.kind, s.weight, str(s.evidence)) for s in strikes),
        "authors": sorted(Author.objects.filter(organisation=org).values_list("handle", "state", "whitelisted")),
        "actions": sorted((a.kind, a.author.handle, a.mention.remote_id if a.mention else "") for a in actions),
        "conversations": sorted((c.thread_key, c.message_count, c.awaiting_parent) for c in conversations),
        "messages": sorted(
            Message.objects.filter(organisation=org).values_list("remote_id", "conversation__thread_key")
        ),
        "alerts": Alert.objects.filter(organisation=org).count(),
    }


def test_a_mixed_page_gives_the_same_strikes_hides_bans_and_conversations_as_one_mention_at_a_time(cast):
    other = build_cast("other")
    for org, account in ((cast.org, cast.brand), (other.org, other.brand)):
        _prepare_authors(org, account)
    services.store_mentions(cast.org, cast.brand, _mixed_page())
    for item in _mixed_page():
        services.store_mentions(other.org, other.brand, [item])
    together, alone = _outcome(cast.org), _outcome(other.org)
    assert together == alone
    struck = {remote_id for remote_id, *_rest in together["strikes"]}
    assert {"s0", "s1", "s2", "s3", "p2"} <= struck  # gambling, promoted links, the third copy
    assert not struck & {"k1", "r1", "r2", "w1", "b1", "m1"}  # complaints, the whitelisted, the banned
    assert ("hide", "diblokir", "b1") in together["actions"]
