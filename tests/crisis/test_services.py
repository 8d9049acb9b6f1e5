"""Crisis mode end to end in services: declare, the pause (sweeper and network call), approvals, end, review list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from juru.accounts.models import Role, UserPreference
from juru.accounts.services import organisations as org_services
from juru.audit.models import AuditEvent
from juru.connectors import registry
from juru.connectors.sandbox import SandboxConnector
from juru.crisis import queries, report
from juru.crisis import services as crisis_services
from juru.crisis.exceptions import CrisisConflictError, CrisisError, CrisisNotAllowedError
from juru.crisis.models import Crisis, HeldPost, HeldState
from juru.listening import services as listening_services
from juru.listening.models import Alert
from juru.publishing import services
from juru.publishing.models import AttemptState, DraftState, Post, PostState, PublishAttempt, StepKind
from juru.publishing.services import publish as publish_services
from tests.crisis.helpers import approved, declare, run_due, scheduled
from tests.listening.factories import complaint_wave
from tests.publishing.conftest import make_user

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_declaring_from_an_alert_turns_the_switch_on_and_emails_the_crisis_team(
    cast, brand_query, announce, django_capture_on_commit_callbacks
):
    listening_services.store_mentions(cast.org, cast.brand, complaint_wave("a"))
    alert = Alert.objects.get(organisation=cast.org)
    with django_capture_on_commit_callbacks(execute=True):
        crisis = declare(cast, severity=alert.severity, alert=alert)
    cast.org.refresh_from_db()
    assert cast.org.crisis_active
    assert queries.active_crisis(cast.org) == crisis
    assert crisis.alert == alert
    assert actions()[-1] == "crisis.declared"
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "acme-crisis_lead@acme.example", "acme-owner@acme.example", "acme-pr2@acme.example"
    ]  # fmt: skip
    assert all(len(message.to) == 1 for message in mail.outbox)  # one message each: no one sees the others' addresses
    assert all("Krisis" in message.subject for message in mail.outbox)  # no one chose a language: Indonesian
    assert all(f"/o/acme/crisis/{crisis.public_id}/" in message.body for message in mail.outbox)


def test_the_declaration_email_reaches_each_recipient_in_their_own_language(
    cast, announce, django_capture_on_commit_callbacks
):
    UserPreference.objects.update_or_create(user=cast.crisis_lead.user, defaults={"language": "en"})
    cast.org.language = "id"
    cast.org.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        declare(cast, severity=7)
    by_address = {message.to[0]: message for message in mail.outbox}
    english, indonesian = by_address["acme-crisis_lead@acme.example"], by_address["acme-owner@acme.example"]
    assert english.subject.startswith("[Juru] Crisis declared at Acme")
    assert "The scheduled queue is paused" in english.body
    assert "Open the crisis: http" in english.body
    assert indonesian.subject.startswith("[Juru] Krisis")
    assert "The scheduled queue is paused" not in indonesian.body
    assert "Buka krisis: http" in indonesian.body


def test_an_organisation_in_english_mails_in_english_those_who_chose_nothing(
    cast, announce, django_capture_on_commit_callbacks
):
    cast.org.language = "en"
    cast.org.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        declare(cast, severity=3)
    assert mail.outbox
    assert all(message.subject.startswith("[Juru] Crisis declared") for message in mail.outbox)


def test_a_member_without_the_right_cannot_declare(cast):
    for member in (cast.author, cast.employee):  # spokesperson, contributor
        with pytest.raises(CrisisNotAllowedError):
            crisis_services.declare_crisis(actor=member, severity=5, description="x")
    assert not Crisis.objects.exists()
    cast.org.refresh_from_db()
    assert not cast.org.crisis_active


def test_a_crisis_team_lead_may_declare_whatever_their_role(cast):
    responder = org_services.add_member(actor=None, organisation=cast.org, user=make_user("r"), role=Role.RESPONDER)
    with pytest.raises(CrisisNotAllowedError):
        crisis_services.declare_crisis(actor=responder, severity=5, description="x")
    org_services.add_team_member(actor=None, team=cast.teams["crisis"], member=responder, is_lead=True)
    assert crisis_services.declare_crisis(actor=responder, severity=5, description="Banjir keluhan").is_active


@pytest.mark.parametrize(
    ("severity", "description", "words"),
    [
        (0, "ok", "1 (minor) to 10"),
        (11, "ok", "1 (minor) to 10"),
        ("tinggi", "ok", "1 (minor) to 10"),
        (5, "  ", "Describe"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_changes(cast, severity, description, words):
    with translation.override("en"), pytest.raises(CrisisError) as refused:
        crisis_services.declare_crisis(actor=cast.owner, severity=severity, description=description)
    assert words in refused.value.message
    assert not Crisis.objects.exists()


def test_only_one_crisis_at_a_time_and_an_end_only_once(cast):
    crisis = declare(cast)
    with pytest.raises(CrisisConflictError):
        declare(cast)
    crisis_services.end_crisis(actor=cast.owner, crisis=crisis)
    with pytest.raises(CrisisConflictError):
        crisis_services.end_crisis(actor=cast.owner, crisis=crisis)
    assert declare(cast).is_active  # a new one may start after the end


def test_a_scheduled_post_due_during_the_crisis_is_not_claimed(cast, registered):
    post = scheduled(cast)
    crisis = declare(cast)
    assert crisis.paused_posts == 1
    assert services.due_post_ids() == []
    assert services.claim_post(post.pk) is False
    assert run_due() == []
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    assert registered.timeline(cast.brand.handle) == []
    assert [p.pk for p in queries.paused_posts(cast.org)] == [post.pk]


def test_a_post_claimed_just_before_the_declaration_is_stopped_at_the_network_call(cast, registered):
    post = scheduled(cast)
    assert services.claim_due_posts() == [post.pk]
    declare(cast)
    assert publish_services.publish_post(post.pk) is None
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED  # back in the paused queue, unsent
    assert not PublishAttempt.objects.filter(post=post).exists()
    assert registered.timeline(cast.brand.handle) == []
    assert "publishing.post.paused" in actions()


def test_a_declaration_landing_between_the_attempt_and_the_call_still_stops_it(cast, registered):
    post = scheduled(cast)
    services.claim_due_posts()

    def declare_then_connect(account: Any) -> SandboxConnector:
        declare(cast)  # the crisis lead presses the button while the worker prepares the call
        return SandboxConnector(store=registered)

    with registry.substitute("sandbox", lambda **options: declare_then_connect(None)):
        publish_services.publish_post(post.pk)
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    [attempt] = PublishAttempt.objects.filter(post=post)
    assert attempt.state == AttemptState.NOT_FOUND
    assert "krisis" in attempt.reason
    assert registered.timeline(cast.brand.handle) == []


def test_everything_submitted_during_a_crisis_needs_the_crisis_lead_and_then_goes_out(cast, registered):
    crisis = declare(cast)
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Kami sedang menyelidiki keluhan.")
    draft = services.submit_draft(draft, actor=cast.author)
    assert [s.kind for s in draft.steps.order_by("position")] == [StepKind.PR, StepKind.CRISIS]
    draft = services.approve_draft(draft, actor=cast.pr1)
    assert draft.state == DraftState.IN_REVIEW  # the crisis lead has not decided yet
    draft = services.approve_draft(draft, actor=cast.crisis_lead)
    assert draft.state == DraftState.APPROVED
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])
    assert len(run_due()) == 1  # cleared by the crisis lead: the statement may go out during the crisis
    assert [p.text for p in registered.timeline(cast.brand.handle)] == ["Kami sedang menyelidiki keluhan."]
    assert report.first_statement(crisis).body == "Kami sedang menyelidiki keluhan."


def test_a_draft_approved_before_the_declaration_waits_and_ends_on_the_review_list(cast, registered):
    draft = approved(cast, "Diskon nasi kotak 50%!")  # approved by PR before anyone knew
    crisis = declare(cast)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])
    assert run_due() == []  # no crisis lead saw it: it does not go out
    crisis_services.end_crisis(actor=cast.owner, crisis=crisis)
    [held] = queries.held_posts(crisis)
    assert held.post.draft == draft
    assert held.post.state == PostState.WAITING
    assert run_due() == []  # after the end it still waits for a person
    assert registered.timeline(cast.brand.handle) == []


def test_end_puts_held_posts_on_a_review_list_released_one_at_a_time(cast, registered):
    first = scheduled(cast, "Promo pertama")
    second = scheduled(cast, "Promo kedua")
    later = scheduled(cast, "Promo minggu depan", when=timezone.now() + timedelta(days=7))
    crisis = declare(cast)
    assert crisis.paused_posts == 3
    ended = crisis_services.end_crisis(actor=cast.owner, crisis=crisis, summary="Klarifikasi diterbitkan.")
    cast.org.refresh_from_db()
    assert not cast.org.crisis_active
    assert ended.ended_at
    assert actions()[-1] == "crisis.ended"
    assert Post.objects.filter(state=PostState.WAITING).count() == 3
    assert run_due() == []  # no burst: every held post waits for a decision
    holds = {h.post_id: h for h in queries.held_posts(crisis)}
    crisis_services.release_held_post(actor=cast.author, held=holds[first.pk])
    assert run_due() == [first.pk]
    assert [p.text for p in registered.timeline(cast.brand.handle)] == ["Promo pertama"]
    crisis_services.cancel_held_post(actor=cast.author, held=holds[second.pk])
    second.refresh_from_db()
    assert second.state == PostState.CANCELLED
    assert second.draft.state == DraftState.CANCELLED
    when = timezone.now() + timedelta(days=1)
    crisis_services.release_held_post(actor=cast.author, held=holds[later.pk], when=when)
    later.refresh_from_db()
    assert (later.state, later.due_at) == (PostState.SCHEDULED, when)
    states = dict(HeldPost.objects.values_list("post_id", "state"))
    assert states == {first.pk: HeldState.RELEASED, second.pk: HeldState.CANCELLED, later.pk: HeldState.RESCHEDULED}
    assert queries.waiting_count(crisis) == 0
    with pytest.raises(CrisisConflictError):
        crisis_services.release_held_post(actor=cast.author, held=holds[first.pk])


def test_held_posts_wait_while_the_crisis_lasts_and_need_a_publisher(cast, registered):
    scheduled(cast)
    crisis = declare(cast)
    crisis_services.end_crisis(actor=cast.owner, crisis=crisis)
    [held] = queries.held_posts(crisis)
    with pytest.raises(CrisisNotAllowedError):  # an approver without the publish grant
        crisis_services.release_held_post(actor=cast.pr1, held=held)
    with pytest.raises(CrisisError) as past:
        crisis_services.release_held_post(actor=cast.author, held=held, when=timezone.now() - timedelta(days=1))
    assert "sudah lewat" in past.value.message  # Indonesian by default
    held.refresh_from_db()
    assert held.state == HeldState.HELD


def test_release_is_refused_during_the_crisis(cast, registered):
    scheduled(cast)
    first = declare(cast)
    crisis_services.end_crisis(actor=cast.owner, crisis=first)
    [held] = queries.held_posts(first)
    first.ended_at = None  # as if it were still running
    first.save(update_fields=["ended_at"])
    with translation.override("en"), pytest.raises(CrisisError) as refused:
        crisis_services.release_held_post(actor=cast.author, held=held)
    assert "still active" in refused.value.message


def test_advocacy_is_paused_during_a_crisis_only(cast):
    assert queries.advocacy_paused(cast.org) is False
    crisis = declare(cast)
    assert queries.advocacy_paused(cast.org) is True
    crisis_services.end_crisis(actor=cast.owner, crisis=crisis)
    assert queries.advocacy_paused(cast.org) is False


def test_a_reply_submitted_during_a_crisis_also_waits_for_the_crisis_lead(cast):
    from juru.accounts.services import set_grant

    set_grant(actor=None, account=cast.brand, permission="reply", member=cast.author)  # replies need the reply grant
    declare(cast)
    draft = services.create_draft(
        actor=cast.author, accounts=[cast.brand], text="Mohon maaf, Kak. Kami cek ya.", reply_to="comment-17"
    )  # an answer to a customer's comment
    draft = services.submit_draft(draft, actor=cast.author)  # a clean reply needs no other step, but this one
    assert draft.state == DraftState.IN_REVIEW
    assert draft.steps.get(kind=StepKind.CRISIS).approver_ids == [cast.crisis_lead.pk]


def test_a_post_claimed_before_the_crisis_whose_worker_never_came_is_held_at_the_end(cast, registered):
    post = scheduled(cast)
    services.claim_due_posts()  # claimed; its worker is down for the whole crisis
    crisis = declare(cast)
    crisis_services.end_crisis(actor=cast.owner, crisis=crisis)
    post.refresh_from_db()
    assert post.state == PostState.WAITING
    assert publish_services.publish_post(post.pk) is None  # the late worker finds nothing to send
    assert registered.timeline(cast.brand.handle) == []
    assert [h.post_id for h in queries.held_posts(crisis)] == [post.pk]


def test_another_organisations_owner_cannot_end_the_crisis(cast):
    from tests.publishing.conftest import build_cast

    crisis = declare(cast)
    with pytest.raises(CrisisNotAllowedError):
        crisis_services.end_crisis(actor=build_cast("bank").owner, crisis=crisis)
    crisis.refresh_from_db()
    assert crisis.is_active
