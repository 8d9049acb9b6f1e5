"""Strikes as mentions are stored: spammers reach the threshold, critics never do, and bans follow the policy."""

from __future__ import annotations

from typing import Any

import pytest

from juru.audit.models import AuditEvent
from juru.listening.models import Mention
from juru.moderation.models import (
    ActionKind,
    ActionState,
    Author,
    AuthorState,
    BanMethod,
    ModerationAction,
    Strike,
)
from juru.moderation.services import actions
from juru.moderation.services.common import policy_for
from juru.moderation.services.policy import update_policy
from tests.moderation.conftest import CRITIC_HANDLE, SPAMMER, comments, critic, deliver, on_sandbox, spam_wave

pytestmark = pytest.mark.django_db


def _policy(cast: Any, **changes: Any) -> None:
    current = policy_for(cast.org)
    values = {name: getattr(current, name) for name in (
        "hide_spam", "hide_abuse", "ban_mode", "threshold", "window_days", "spam_weight", "abuse_weight", "hate_weight",
    )} | changes  # fmt: skip
    update_policy(actor=None, organisation=cast.org, **values)


def _author(cast: Any, handle: str) -> Author:
    return Author.objects.get(organisation=cast.org, network="sandbox", handle=handle)


def test_spam_author_is_banned_at_the_third_strike_on_an_automatic_policy(cast):
    _policy(cast, ban_mode="automatic")
    deliver(cast.org, cast.brand, spam_wave(2))
    author = _author(cast, SPAMMER)
    assert author.state == AuthorState.ACTIVE
    assert Strike.objects.filter(author=author).count() == 2
    deliver(cast.org, cast.brand, spam_wave(3)[2:])
    author.refresh_from_db()
    assert author.state == AuthorState.BANNED
    assert author.ban_method == BanMethod.BLOCK
    blocks = ModerationAction.objects.filter(author=author, kind=ActionKind.BLOCK)
    assert [(b.account, b.state, b.automatic) for b in blocks] == [(cast.brand, ActionState.PENDING, True)]
    assert AuditEvent.objects.filter(action="moderation.author_banned", actor__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="moderation.strike").count() == 3


def test_spam_author_gets_a_suggested_ban_on_the_default_policy(cast):
    deliver(cast.org, cast.brand, spam_wave(3))
    author = _author(cast, SPAMMER)
    assert author.state == AuthorState.BAN_SUGGESTED
    assert not ModerationAction.objects.filter(author=author, kind=ActionKind.BLOCK).exists()
    assert AuditEvent.objects.filter(action="moderation.ban_suggested").count() == 1


def test_each_spam_strike_keeps_its_evidence(cast):
    deliver(cast.org, cast.brand, spam_wave(3))
    strikes = list(Strike.objects.filter(author=_author(cast, SPAMMER)).order_by("created_at"))
    assert [s.kind for s in strikes] == ["spam", "spam", "spam"]
    first = strikes[0].evidence
    assert "Slot gacor" in {e["detail"] for e in first if e["signal"] == "gambling"}
    assert {"signal": "link", "detail": "https://gacor88.example/daftar"} in first
    second = {e["signal"] for e in strikes[1].evidence}
    assert "promoted_link" in second  # "Promo gila! ... klik https://gacor88.example/bonus"
    third = {e["signal"] for e in strikes[2].evidence}
    assert "repeated_link" in third  # the same site for the third time


def test_a_single_angry_critic_gets_no_strike(cast):
    _policy(cast, ban_mode="automatic", threshold=1)
    deliver(cast.org, cast.brand, critic())
    mention = Mention.objects.get(author_handle=CRITIC_HANDLE)
    assert mention.sentiment == "negative"
    author = _author(cast, CRITIC_HANDLE)
    assert author.state == AuthorState.ACTIVE
    assert not Strike.objects.filter(author=author).exists()
    assert not ModerationAction.objects.filter(author=author).exists()


def test_negative_complaints_repeated_twice_are_not_spam(cast):
    _policy(cast, ban_mode="automatic", threshold=1)
    text = "Pesanan saya belum datang juga, kecewa sekali!"
    deliver(cast.org, cast.brand, comments("pelanggan", [text, text]))
    assert not Strike.objects.exists()


def test_the_same_text_a_third_time_is_spam(cast):
    text = "Follow akun kami ya kak, dijamin untung"
    deliver(cast.org, cast.brand, comments("penyalin", [text, text, text]))
    strikes = list(Strike.objects.filter(author=_author(cast, "penyalin")))
    assert len(strikes) == 1
    assert strikes[0].evidence[0] == {"signal": "repeated_text", "detail": "3"}


def test_confident_abuse_and_hate_are_strikes_weighted_by_the_policy(cast):
    _policy(cast, abuse_weight=3, hate_weight=2)
    deliver(cast.org, cast.brand, comments("pemaki", ["Dasar goblok, admin tolol!"]))
    deliver(cast.org, cast.brand, comments("pembenci", ["Orang cina semua penipu, usir saja"]))
    abuse = Strike.objects.get(author=_author(cast, "pemaki"))
    hate = Strike.objects.get(author=_author(cast, "pembenci"))
    assert (abuse.kind, abuse.weight) == ("abuse", 3)  # the heaviest of its kinds
    assert {e["signal"] for e in abuse.evidence} >= {"abusive"}
    assert (hate.kind, hate.weight) == ("hate", 2)
    assert [e["signal"] for e in hate.evidence] == ["hate"]


def test_whitelisted_authors_are_never_struck(cast):
    from juru.moderation.services.authors import set_whitelisted

    deliver(cast.org, cast.brand, comments(SPAMMER, ["Halo admin"], prefix="hello"))
    set_whitelisted(actor=None, author=_author(cast, SPAMMER), whitelisted=True)
    _policy(cast, ban_mode="automatic")
    deliver(cast.org, cast.brand, spam_wave(5))
    author = _author(cast, SPAMMER)
    assert author.state == AuthorState.ACTIVE
    assert not Strike.objects.filter(author=author).exists()
    assert not ModerationAction.objects.filter(author=author).exists()


def test_duplicate_deliveries_do_not_count_twice(cast):
    _policy(cast, ban_mode="automatic")
    wave = spam_wave(2)
    deliver(cast.org, cast.brand, wave)
    assert deliver(cast.org, cast.brand, wave) == 0
    assert deliver(cast.org, cast.brand, [*wave, *wave]) == 0
    author = _author(cast, SPAMMER)
    assert Strike.objects.filter(author=author).count() == 2
    assert author.state == AuthorState.ACTIVE


def test_emoji_only_comments_are_never_struck(cast):
    _policy(cast, ban_mode="automatic", threshold=1)
    deliver(cast.org, cast.brand, comments("emoji", ["😡😡😡", "🤬🤬", "👎"]))
    assert not Strike.objects.exists()
    assert Author.objects.get(handle="emoji").state == AuthorState.ACTIVE


def test_a_ten_thousand_character_comment_is_judged_and_stored_whole(cast):
    long_spam = "Slot gacor hari ini maxwin https://gacor88.example/x " + "a" * 10_000
    long_plain = "Saya mau cerita pengalaman makan di sini. " * 240
    deliver(cast.org, cast.brand, comments("panjang", [long_spam]))
    deliver(cast.org, cast.brand, comments("cerita", [long_plain[:10_000]]))
    assert Strike.objects.get(author=_author(cast, "panjang")).kind == "spam"
    assert not Strike.objects.filter(author=_author(cast, "cerita")).exists()
    assert len(Mention.objects.get(author_handle="cerita").text) == 10_000


def test_spam_is_hidden_automatically_only_where_it_is_a_comment(cast):
    deliver(cast.org, cast.brand, spam_wave(1))
    deliver(cast.org, cast.brand, comments("penyebut", ["Slot gacor maxwin https://x.example/a"], kind="mention"))
    hides = ModerationAction.objects.filter(kind=ActionKind.HIDE)
    assert [h.author.handle for h in hides] == [SPAMMER]
    assert hides[0].reason == "spam"


def test_nothing_is_hidden_when_the_policy_says_so(cast):
    _policy(cast, hide_spam=False)
    deliver(cast.org, cast.brand, spam_wave(1))
    assert not ModerationAction.objects.exists()


def test_strikes_outside_the_window_do_not_count(cast):
    from datetime import UTC, datetime, timedelta

    _policy(cast, ban_mode="automatic", window_days=7)
    old = datetime.now(UTC) - timedelta(days=10)
    deliver(cast.org, cast.brand, comments(SPAMMER, ["Slot gacor https://a.example/1"], start=old, prefix="o1"))
    deliver(cast.org, cast.brand, comments(SPAMMER, ["Judi slot gacor https://b.example/2"], start=old, prefix="o2"))
    deliver(cast.org, cast.brand, spam_wave(1))
    assert Strike.objects.filter(author=_author(cast, SPAMMER)).count() == 3
    assert _author(cast, SPAMMER).state == AuthorState.ACTIVE


def test_a_banned_author_on_a_network_that_cannot_block_has_new_comments_hidden(cast):
    from juru.connectors import registry
    from juru.connectors.base import Capabilities

    class HideOnly:
        capabilities = Capabilities(network="sandbox", max_length=500, hide_comments=True, block_authors=False)

    with registry.substitute("sandbox", lambda **options: HideOnly()):  # type: ignore[arg-type,return-value]
        _policy(cast, ban_mode="automatic", hide_spam=False)
        deliver(cast.org, cast.brand, spam_wave(3))
        author = _author(cast, SPAMMER)
        assert (author.state, author.ban_method) == (AuthorState.BANNED, BanMethod.HIDE)
        assert not ModerationAction.objects.filter(kind=ActionKind.BLOCK).exists()
        deliver(cast.org, cast.brand, comments(SPAMMER, ["Halo kak, cek DM ya"], prefix="later"))
        hidden = ModerationAction.objects.get(kind=ActionKind.HIDE, mention__text="Halo kak, cek DM ya")
        assert hidden.reason == "banned author"


def test_the_block_reaches_the_sandbox_network_after_the_commit(
    cast, sandbox, django_capture_on_commit_callbacks, eager
):
    _policy(cast, ban_mode="automatic")
    items = on_sandbox(sandbox, cast, spam_wave(3))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(cast.org, cast.brand, items)
    assert sandbox.is_blocked(cast.brand.handle, SPAMMER)
    assert not ModerationAction.objects.exclude(state=ActionState.DONE).exists()
    root = sandbox.timeline(cast.brand.handle, limit=1)[0]
    assert sandbox.comments(root.id) == []  # all three spam comments hidden
    assert len(sandbox.comments(root.id, include_hidden=True)) == 3


def test_perform_is_claimed_once(cast, sandbox):
    _policy(cast, ban_mode="automatic")
    deliver(cast.org, cast.brand, on_sandbox(sandbox, cast, spam_wave(3)))
    block = ModerationAction.objects.get(kind=ActionKind.BLOCK)
    assert actions.perform(block.pk).state == ActionState.DONE
    assert actions.perform(block.pk) is None
    assert ModerationAction.objects.get(pk=block.pk).attempts == 1
