"""Moderators' decisions and the network: unban restores, hides reverse, failures keep a retry, appeals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from juru.audit.models import AuditEvent
from juru.connectors import registry
from juru.connectors.base import Capabilities, Outcome, PublishResult
from juru.moderation.exceptions import ModerationError
from juru.moderation.models import ActionKind, ActionState, AppealState, Author, AuthorState, ModerationAction, Strike
from juru.moderation.services import actions, appeals, authors
from juru.moderation.services.common import policy_for
from juru.moderation.services.policy import FIELDS, update_policy
from tests.moderation.conftest import SPAMMER, comments, deliver, on_sandbox, spam_wave

pytestmark = pytest.mark.django_db


def _automatic(cast: Any, **changes: Any) -> None:
    current = policy_for(cast.org)
    values = {name: getattr(current, name) for name in FIELDS} | {"ban_mode": "automatic"} | changes
    update_policy(actor=None, organisation=cast.org, **values)


def _spammer(cast: Any) -> Author:
    return Author.objects.get(organisation=cast.org, handle=SPAMMER)


def _run_all() -> None:
    for action in ModerationAction.objects.filter(state=ActionState.PENDING).order_by("pk"):
        actions.perform(action.pk)


class Flaky:
    """A network that fails (or refuses) the first ``failures`` calls, then works; it records every call."""

    capabilities = Capabilities(network="sandbox", max_length=500, hide_comments=True, block_authors=True)

    def __init__(self, failures: int, outcome: Outcome = Outcome.FAILED) -> None:
        self.failures, self.outcome, self.calls = failures, outcome, []

    def _answer(self, call: tuple[Any, ...]) -> PublishResult:
        self.calls.append(call)
        if len(self.calls) <= self.failures:
            return PublishResult(self.outcome, reason="network down (test)")
        return PublishResult(Outcome.PUBLISHED)

    def block(self, credentials: Any, author_handle: str, *, blocked: bool = True) -> PublishResult:
        return self._answer(("block", author_handle, blocked))

    def hide(self, credentials: Any, remote_id: str, *, hidden: bool = True) -> PublishResult:
        return self._answer(("hide", remote_id, hidden))

    def publish(self, *args: Any) -> PublishResult:  # the rest of the protocol, unused here
        raise NotImplementedError

    lookup = delete = fetch_mentions = publish


@pytest.fixture
def flaky() -> Any:
    network = Flaky(failures=2)
    with registry.substitute("sandbox", lambda **options: network):  # type: ignore[arg-type,return-value]
        yield network


def test_unban_unblocks_on_the_network_and_restarts_the_count(cast, sandbox, moderator):
    _automatic(cast, hide_spam=False)
    deliver(cast.org, cast.brand, on_sandbox(sandbox, cast, spam_wave(3)))
    _run_all()
    assert sandbox.is_blocked(cast.brand.handle, SPAMMER)
    authors.unban(actor=moderator.user, author=_spammer(cast), reason="Salah sasaran")
    _run_all()
    assert not sandbox.is_blocked(cast.brand.handle, SPAMMER)
    author = _spammer(cast)
    assert (author.state, author.ban_method) == (AuthorState.ACTIVE, "")
    block = ModerationAction.objects.get(kind=ActionKind.BLOCK)
    assert block.reversed_by.kind == ActionKind.UNBLOCK
    assert block.reversed_by.state == ActionState.DONE
    assert AuditEvent.objects.filter(action="moderation.author_unbanned", actor=moderator.user).exists()
    # The strikes before the unban no longer count: one more spam comment is not a new ban.
    deliver(cast.org, cast.brand, comments(SPAMMER, ["Slot gacor maxwin https://gacor88.example/z"], prefix="again"))
    assert _spammer(cast).state == AuthorState.ACTIVE
    assert Strike.objects.filter(author=author).count() == 4


def test_a_network_failure_on_block_keeps_a_retry_and_nothing_is_lost(cast, flaky):
    _automatic(cast, hide_spam=False)
    deliver(cast.org, cast.brand, spam_wave(3))
    block = ModerationAction.objects.get(kind=ActionKind.BLOCK)
    first = actions.perform(block.pk)
    assert first.state == ActionState.PENDING
    assert first.error == "network down (test)"
    assert first.next_attempt_at > timezone.now()
    assert actions.due_action_ids() == []  # not before its back-off
    for _ in range(2):
        ModerationAction.objects.filter(pk=block.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert actions.due_action_ids() == [block.pk]
        actions.perform(block.pk)
    done = ModerationAction.objects.get(pk=block.pk)
    assert (done.state, done.attempts, done.error) == (ActionState.DONE, 3, "")
    assert flaky.calls == [("block", SPAMMER, True)] * 3
    assert AuditEvent.objects.filter(action="moderation.action_done").count() == 1


def test_a_worker_that_dies_leaves_the_action_to_the_sweeper(cast, flaky):
    _automatic(cast, hide_spam=False)
    deliver(cast.org, cast.brand, spam_wave(3))
    block = ModerationAction.objects.get(kind=ActionKind.BLOCK)
    assert actions._claim(block.pk)  # claimed, then the worker vanished before calling the network
    assert actions.due_action_ids() == []
    ModerationAction.objects.filter(pk=block.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert actions.due_action_ids() == [block.pk]


def test_a_refusal_waits_for_a_person_to_retry(cast, moderator):
    network = Flaky(failures=1, outcome=Outcome.AUTH_EXPIRED)
    with registry.substitute("sandbox", lambda **options: network):  # type: ignore[arg-type,return-value]
        _automatic(cast, hide_spam=False)
        deliver(cast.org, cast.brand, spam_wave(3))
        block = ModerationAction.objects.get(kind=ActionKind.BLOCK)
        assert actions.perform(block.pk).state == ActionState.FAILED
        assert actions.due_action_ids() == []
        with pytest.raises(ModerationError):
            actions.retry(actor=moderator.user, action=ModerationAction.objects.filter(kind=ActionKind.HIDE)[0])
        actions.retry(actor=moderator.user, action=block)
        assert actions.perform(block.pk).state == ActionState.DONE


def test_hide_and_unhide_by_hand_reach_the_sandbox(cast, sandbox, moderator):
    items = on_sandbox(sandbox, cast, comments("tetangga", ["Warungnya buka jam berapa?"]))
    deliver(cast.org, cast.brand, items)
    author = Author.objects.get(handle="tetangga")
    mention = author.organisation.mentions.get(author_handle="tetangga")
    authors.hide(actor=moderator.user, author=author, mention=mention, reason="salah kirim")
    _run_all()
    root = sandbox.timeline(cast.brand.handle, limit=1)[0]
    assert sandbox.comments(root.id) == []
    with pytest.raises(ModerationError, match="hidden already|disembunyikan"):
        authors.hide(actor=moderator.user, author=author, mention=mention)
    authors.unhide(actor=moderator.user, author=author, mention=mention)
    _run_all()
    assert [c.id for c in sandbox.comments(root.id)] == [items[0].remote_id]
    with pytest.raises(ModerationError):
        authors.unhide(actor=moderator.user, author=author, mention=mention)


def test_unhide_before_the_hide_went_out_cancels_it(cast, moderator):
    deliver(cast.org, cast.brand, spam_wave(1))
    hide = ModerationAction.objects.get(kind=ActionKind.HIDE)
    authors.unhide(actor=None, author=_spammer(cast), mention=hide.mention)
    assert ModerationAction.objects.get(pk=hide.pk).state == ActionState.CANCELLED
    assert actions.perform(hide.pk) is None


def test_bad_requests_are_refused_with_a_reason_and_change_nothing(cast, moderator):
    deliver(cast.org, cast.brand, comments("biasa", ["Halo"]))
    author = Author.objects.get(handle="biasa")
    with pytest.raises(ModerationError):
        authors.unban(actor=moderator.user, author=author)
    with pytest.raises(ModerationError):
        authors.dismiss_suggestion(actor=moderator.user, author=author)
    authors.set_whitelisted(actor=moderator.user, author=author, whitelisted=True)
    with pytest.raises(ModerationError):
        authors.ban(actor=moderator.user, author=author)
    with pytest.raises(ModerationError):
        authors.set_whitelisted(actor=moderator.user, author=author, whitelisted=True)
    assert Author.objects.get(pk=author.pk).state == AuthorState.ACTIVE
    current = {name: getattr(policy_for(cast.org), name) for name in FIELDS}
    for bad in ({"threshold": 0}, {"window_days": 400}, {"spam_weight": 11}, {"ban_mode": "nuke"}):
        with pytest.raises(ModerationError):
            update_policy(actor=None, organisation=cast.org, **(current | bad))
    assert {name: getattr(policy_for(cast.org), name) for name in FIELDS} == current


def test_an_accepted_appeal_lifts_the_ban(cast, sandbox, moderator):
    _automatic(cast, hide_spam=False)
    deliver(cast.org, cast.brand, on_sandbox(sandbox, cast, spam_wave(3)))
    _run_all()
    author = _spammer(cast)
    with pytest.raises(ModerationError):
        appeals.record_appeal(actor=moderator.user, author=author, statement="   ")
    with pytest.raises(ModerationError):
        appeals.record_appeal(actor=moderator.user, author=author, statement="x" * 5001)
    appeal = appeals.record_appeal(actor=moderator.user, author=author, statement="Akun saya diretas, maaf.")
    with pytest.raises(ModerationError):
        appeals.record_appeal(actor=moderator.user, author=author, statement="Sekali lagi")
    with pytest.raises(ModerationError):
        appeals.decide_appeal(actor=moderator.user, appeal=appeal, accept=False, note="")
    decided = appeals.decide_appeal(actor=moderator.user, appeal=appeal, accept=True, note="Akun sudah dipulihkan")
    assert decided.state == AppealState.ACCEPTED
    _run_all()
    assert _spammer(cast).state == AuthorState.ACTIVE
    assert not sandbox.is_blocked(cast.brand.handle, SPAMMER)
    with pytest.raises(ModerationError):
        appeals.decide_appeal(actor=moderator.user, appeal=appeal, accept=False, note="berubah pikiran")
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"moderation.appeal_recorded", "moderation.appeal_accepted", "moderation.author_unbanned"} <= codes


def test_a_rejected_appeal_keeps_the_ban(cast, moderator):
    _automatic(cast)
    deliver(cast.org, cast.brand, spam_wave(3))
    appeal = appeals.record_appeal(actor=moderator.user, author=_spammer(cast), statement="Tolong buka blokir")
    appeals.decide_appeal(actor=moderator.user, appeal=appeal, accept=False, note="Masih spam judi")
    assert _spammer(cast).state == AuthorState.BANNED
