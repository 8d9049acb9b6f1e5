"""Replying to a mention through the publishing path: scan, routing, eligibility, sent at most once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from juru.accounts.exceptions import NotEligible
from juru.accounts.models import Member
from juru.listening.models import Mention
from juru.publishing import services as publishing
from juru.publishing.models import Draft, DraftState, Post, PostState
from juru.replies import presence, services
from juru.replies.exceptions import OverlapError, RepliesError, ReplyBlockedError, UnfilledVariableError
from juru.replies.models import Reply
from tests.publishing.conftest import Cast
from tests.replies.conftest import approved_saved_reply

pytestmark = pytest.mark.django_db
PHONE_REPLY = "Halo Kak Rina, sudah kami hubungi ke 0812-3456-7890 ya"


def send(member: Member, mention: Mention, text: str, **extra: Any) -> Reply:
    opened = extra.pop("opened_at", timezone.now() - timedelta(seconds=30))
    return services.send_reply(
        actor=member, mention=mention, text=text, thread_key=str(mention.public_id), opened_at=opened, **extra
    )


@pytest.mark.parametrize(
    ("lang", "fix"),
    [
        ("id", "pindahkan percakapan ke kanal pribadi"),
        ("en", "move the conversation to a private channel"),
    ],
)
def test_a_phone_number_in_a_reply_is_blocked_with_the_private_channel_fix(
    lang: str, fix: str, responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    mention = mention_on_sandbox()
    with translation.override(lang), pytest.raises(ReplyBlockedError) as refused:
        send(responder, mention, PHONE_REPLY)
    assert fix in refused.value.message
    assert "0812" not in refused.value.message
    assert not Draft.objects.exists()  # nothing left behind: the composer keeps the text instead
    # The fix the live check shows for the same text in a reply:
    from juru.publishing.services import decisions

    outcome = decisions.scan(
        mention.organisation, PHONE_REPLY, decisions.context_for(mention.account, responder, channel="reply")
    )
    hit = next(h for h in outcome.hits if h["action"] == "block")
    assert hit["rule"] == "id-pdp.phone-in-reply"
    assert fix in hit["fix"][lang]


def test_a_nik_in_a_reply_is_blocked_and_asks_for_a_private_channel(
    responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    with translation.override("en"), pytest.raises(ReplyBlockedError) as refused:
        send(responder, mention_on_sandbox(), "Kak, NIK 3171015708450001 sudah kami cek ya")
    assert "private channel" in refused.value.message


def test_a_saved_reply_with_its_name_filled_passes_and_is_published_once(
    cast: Cast,
    responder: Member,
    mention_on_sandbox: Callable[..., Mention],
    sandbox: Any,
    care_post: str,
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    saved = approved_saved_reply(cast, "Mohon maaf atas keterlambatannya, Kak {nama}. Kami cek pesanannya sekarang ya.")
    mention = mention_on_sandbox()
    with django_capture_on_commit_callbacks(execute=True):
        reply = send(responder, mention, saved.current.text_id, values={"nama": "Rina"}, saved_version=saved.current)
    reply.refresh_from_db()
    post = Post.objects.get(draft=reply.draft)
    assert reply.draft.verdict == "allow"
    assert post.state == PostState.PUBLISHED
    assert post.reply_to == mention.remote_id
    answers = [c for c in sandbox.comments(care_post) if c.author == cast.second_brand.handle]
    assert len(answers) == 1
    assert answers[0].reply_to == mention.remote_id
    assert "Kak Rina." in answers[0].text
    # A second delivery of the same publish task sends nothing more.
    publishing.publish_post(post.pk)
    assert Post.objects.get(pk=post.pk).attempts == 1
    assert reply.saved_version == saved.current  # recorded: the reply came from this approved version
    edited = send(responder, mention_on_sandbox(author="budi"), "Halo Kak Budi, kami cek.", saved_version=saved.current)
    assert edited.saved_version is None  # rewritten by the responder: a free reply


def test_an_unfilled_variable_is_refused_and_names_it(
    cast: Cast, responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    saved = approved_saved_reply(cast, "Halo Kak {nama}, nomor pesanan {nomor_pesanan} sedang kami cek.")
    with translation.override("en"), pytest.raises(UnfilledVariableError) as refused:
        send(responder, mention_on_sandbox(), saved.current.text_id, values={"nama": "Rina"})
    assert "{nomor_pesanan}" in refused.value.message
    assert "{nama}" not in refused.value.message
    with translation.override("id"), pytest.raises(UnfilledVariableError) as refused:
        send(responder, mention_on_sandbox(author="budi"), saved.current.text_id)
    assert refused.value.message.startswith("Isi")
    assert not Reply.objects.exists()


def test_a_saved_reply_waiting_for_approval_cannot_be_used(
    cast: Cast, responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    saved = services.create_saved_reply(actor=cast.pr1, title="Maaf", text_id="Mohon maaf ya Kak.")
    with pytest.raises(RepliesError):
        send(responder, mention_on_sandbox(), saved.current.text_id, saved_version=saved.current)


def test_the_reply_grant_not_publish_is_what_a_reply_needs(
    cast: Cast, responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    mention = mention_on_sandbox()
    with pytest.raises(NotEligible):  # the author may publish on acme_care but holds no reply grant
        send(cast.author, mention, "Terima kasih sudah menghubungi kami, Kak.")
    reply = send(responder, mention, "Terima kasih sudah menghubungi kami, Kak.")
    assert reply.draft.state == DraftState.SCHEDULED  # queued at once: no approval needed


def test_during_a_crisis_a_reply_waits_for_the_crisis_lead_then_goes_out(
    cast: Cast,
    responder: Member,
    mention_on_sandbox: Callable[..., Mention],
    eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    cast.org.crisis_active = True
    cast.org.save(update_fields=["crisis_active"])
    mention = mention_on_sandbox()
    reply = send(responder, mention, "Mohon maaf atas kejadian ini, Kak. Tim kami sedang menanganinya.")
    draft = reply.draft
    assert draft.state == DraftState.IN_REVIEW
    step = draft.steps.get()
    assert step.kind == "crisis"
    assert step.approver_ids == [cast.crisis_lead.pk]
    assert services.send_approved() == 0  # nothing goes out before the crisis lead decides
    publishing.approve_draft(draft, actor=cast.crisis_lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_approved() == 1
    post = Post.objects.get(draft=draft)
    assert post.state == PostState.PUBLISHED
    assert services.send_approved() == 0


def test_a_reply_sent_while_another_responder_is_typing_warns_first(
    responder: Member, second_responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    mention = mention_on_sandbox()
    key = str(mention.public_id)
    opened = timezone.now() - timedelta(seconds=5)
    presence.heartbeat(second_responder, key, typing=True)
    with translation.override("en"), pytest.raises(OverlapError) as warned:
        send(responder, mention, "Baik Kak, kami cek dulu ya.", opened_at=opened)
    assert warned.value.names == ["Dodi"]
    assert "Dodi" in warned.value.message
    assert not Reply.objects.exists()
    reply = send(responder, mention, "Baik Kak, kami cek dulu ya.", opened_at=opened, send_anyway=True)
    assert reply.thread_key == key


def test_a_reply_by_someone_else_since_opening_warns_the_second_responder(
    responder: Member, second_responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    mention = mention_on_sandbox()
    opened = timezone.now() - timedelta(seconds=5)
    send(second_responder, mention, "Halo Kak, kami bantu cek ya.", opened_at=opened)
    with pytest.raises(OverlapError) as warned:
        send(responder, mention, "Halo Kak, pesanan sedang kami cek.", opened_at=opened)
    assert warned.value.names == ["Dodi"]
    # Someone who opened the page after that reply is not warned about it.
    send(responder, mention, "Halo Kak, pesanan sedang kami cek.", opened_at=timezone.now())
