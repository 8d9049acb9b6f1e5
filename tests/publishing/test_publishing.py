"""Scheduling, the sweeper's claim, publish attempts, retries and reconciliation after a crash."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from juru.accounts.models import ConnectionStatus, Permission
from juru.accounts.services import brand_accounts as account_services
from juru.audit.models import AuditEvent
from juru.connectors import registry
from juru.connectors.base import Capabilities, Credentials, OutboundPost, Outcome, PublishResult
from juru.publishing import services
from juru.publishing.exceptions import InvalidInputError, InvalidTransitionError
from juru.publishing.models import AttemptState, DraftState, Post, PostState, PublishAttempt
from juru.publishing.services import publish as publish_services
from tests.publishing.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def approved(cast: Cast, text: str = "Selamat pagi!", accounts: Any = None) -> Any:
    draft = services.create_draft(actor=cast.author, accounts=accounts or [cast.brand], text=text)
    draft = services.submit_draft(draft, actor=cast.author)
    return services.approve_draft(draft, actor=cast.pr1)


def scheduled(cast: Cast, **kw: Any) -> Any:
    draft = approved(cast, **kw)
    return services.schedule_draft(
        draft, actor=cast.author, confirm_accounts=[a.handle for a in kw.get("accounts") or [cast.brand]]
    )


def run_due(now: Any = None) -> list[Any]:
    """What a sweeper plus its publish tasks do, in-process."""
    return [publish_services.publish_post(pk) for pk in services.claim_due_posts(now=now)]


def test_schedule_requires_confirming_the_target_account(cast: Cast) -> None:
    draft = approved(cast)
    with translation.override("en"), pytest.raises(InvalidInputError, match="acme_id"):
        services.schedule_draft(draft, actor=cast.author, confirm_accounts=[])
    with pytest.raises(InvalidInputError):
        services.schedule_draft(draft, actor=cast.author, confirm_accounts=["acme_care"])
    draft = services.schedule_draft(draft, actor=cast.author, confirm_accounts=[str(cast.brand.public_id)])
    assert draft.state == DraftState.SCHEDULED
    assert draft.scheduled_by == cast.author


def test_schedule_in_the_past_is_rejected(cast: Cast) -> None:
    with translation.override("en"), pytest.raises(InvalidInputError, match="in the past"):
        services.schedule_draft(
            approved(cast), actor=cast.author, confirm_accounts=["acme_id"], when=timezone.now() - timedelta(days=1)
        )


def test_only_approved_drafts_are_scheduled(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="belum")
    with pytest.raises(InvalidTransitionError):
        services.schedule_draft(draft, actor=cast.author, confirm_accounts=["acme_id"])


def test_sweeper_claim_is_exclusive(cast: Cast) -> None:
    scheduled(cast)
    first, second = services.due_post_ids(), services.due_post_ids()
    assert first == second
    assert len(first) == 1
    wins = [services.claim_post(pk) for pk in first] + [services.claim_post(pk) for pk in second]
    assert wins == [True, False]
    assert Post.objects.get().state == PostState.PUBLISHING


def test_future_posts_are_not_claimed(cast: Cast) -> None:
    draft = approved(cast)
    services.schedule_draft(
        draft, actor=cast.author, confirm_accounts=["acme_id"], when=timezone.now() + timedelta(hours=1)
    )
    assert services.claim_due_posts() == []


def test_clean_post_is_published_once_on_the_sandbox(cast: Cast, sandbox: Any) -> None:
    services.configure_default_chains(cast.org, cast.owner)
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Selamat pagi, Indonesia!")
    draft = services.submit_draft(draft, actor=cast.author)
    draft = services.approve_draft(draft, actor=cast.pr1)
    draft = services.approve_draft(draft, actor=cast.compliance)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=["acme_id"])
    run_due()
    run_due()  # a second sweep finds nothing more to do
    post = Post.objects.get()
    assert post.state == PostState.PUBLISHED
    assert post.remote_id
    assert post.published_at
    assert [p.text for p in sandbox.timeline("acme_id")] == ["Selamat pagi, Indonesia!"]
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED
    assert AuditEvent.objects.filter(action="publishing.post.published").count() == 1


def test_attempt_is_recorded_before_the_network_call(cast: Cast) -> None:
    seen: list[Any] = []

    class Spy(FakeConnector):
        def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
            seen.append(list(PublishAttempt.objects.values_list("state", "idempotency_key")))
            return super().publish(credentials, post)

    spy = Spy()
    with registry.substitute("sandbox", lambda **options: spy):
        scheduled(cast)
        run_due()
    post = Post.objects.get()
    assert seen == [[(AttemptState.CALLING, post.idempotency_key)]]
    assert post.state == PostState.PUBLISHED


def test_worker_killed_before_the_call_is_reconciled_without_duplicate(cast: Cast, sandbox: Any) -> None:
    scheduled(cast)
    (pk,) = services.claim_due_posts()
    services.begin_attempt(pk)  # ... and the worker dies here, before calling the network
    later = timezone.now() + timedelta(minutes=10)
    assert services.reconcile_stale_attempts(now=later) == 1
    post = Post.objects.get()
    assert post.state == PostState.SCHEDULED  # lookup found nothing: safe to send again
    run_due(now=later)
    assert len(sandbox.timeline("acme_id")) == 1
    assert Post.objects.get().state == PostState.PUBLISHED


def test_worker_killed_after_the_call_is_found_by_lookup(cast: Cast, sandbox: Any) -> None:
    scheduled(cast)
    (pk,) = services.claim_due_posts()
    services.begin_attempt(pk)
    post = Post.objects.get()
    connector = publish_services.connector_for(post.account)
    connector.publish(publish_services.credentials_for(post.account), publish_services.outbound(post))
    # ... the worker dies before recording the answer.
    services.reconcile_stale_attempts(now=timezone.now() + timedelta(minutes=10))
    run_due(now=timezone.now() + timedelta(minutes=10))
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert post.remote_id
    assert len(sandbox.timeline("acme_id")) == 1


def test_lost_answer_is_looked_up_not_resent(cast: Cast, sandbox: Any) -> None:
    sandbox.inject_fault("lost_response")
    scheduled(cast)
    run_due()
    post = Post.objects.get()
    # The sandbox stored the post but the answer was lost; the lookup settles it.
    assert post.state in (PostState.PUBLISHED, PostState.SCHEDULED)
    run_due(now=timezone.now() + timedelta(seconds=1))
    assert Post.objects.get().state == PostState.PUBLISHED
    assert len(sandbox.timeline("acme_id")) == 1


@dataclass
class FakeConnector:
    """A scriptable network: answers come from ``script`` in order, then success."""

    lookup_capable: bool = True
    script: list[PublishResult] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(network="sandbox", max_length=500, lookup_by_idempotency_key=self.lookup_capable)

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        if self.script:
            return self.script.pop(0)
        self.sent.append(post.idempotency_key)
        return PublishResult(Outcome.PUBLISHED, remote_id=f"r{len(self.sent)}", url="https://example.test/1")

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        return None

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        return PublishResult(Outcome.PUBLISHED)

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Any]:
        return []


@pytest.fixture
def fake() -> Any:
    connector = FakeConnector()
    with registry.substitute("sandbox", lambda **options: connector):
        yield connector


def test_no_lookup_network_goes_to_a_human_after_a_crash(cast: Cast, fake: FakeConnector) -> None:
    fake.lookup_capable = False
    draft = scheduled(cast)
    (pk,) = services.claim_due_posts()
    services.begin_attempt(pk)
    services.reconcile_stale_attempts(now=timezone.now() + timedelta(minutes=10))
    post = Post.objects.get()
    assert post.state == PostState.NEEDS_HUMAN
    assert fake.sent == []
    draft.refresh_from_db()
    assert draft.state == DraftState.NEEDS_HUMAN
    run_due(now=timezone.now() + timedelta(hours=1))
    assert fake.sent == []  # never a blind retry


def test_no_lookup_network_with_pending_answer_goes_to_a_human(cast: Cast, fake: FakeConnector) -> None:
    fake.lookup_capable = False
    fake.script = [PublishResult(Outcome.PENDING, reason="timeout after sending")]
    scheduled(cast)
    run_due()
    assert Post.objects.get().state == PostState.NEEDS_HUMAN


def test_human_can_mark_published_or_retry(cast: Cast, fake: FakeConnector) -> None:
    fake.lookup_capable = False
    fake.script = [PublishResult(Outcome.PENDING, reason="timeout")]
    draft = scheduled(cast)
    run_due()
    post = services.resolve_post(Post.objects.get(), actor=cast.author, outcome="retry")
    assert post.state == PostState.SCHEDULED
    run_due()
    assert Post.objects.get().state == PostState.PUBLISHED
    assert len(fake.sent) == 1
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED


def test_rate_limit_honours_retry_after(cast: Cast, fake: FakeConnector) -> None:
    fake.script = [PublishResult(Outcome.RATE_LIMITED, retry_after=120, reason="429")]
    scheduled(cast)
    before = timezone.now()
    run_due()
    post = Post.objects.get()
    assert post.state == PostState.SCHEDULED
    assert post.attempts == 1
    assert before + timedelta(seconds=119) <= post.due_at <= timezone.now() + timedelta(seconds=121)
    assert run_due() == []  # not yet due
    run_due(now=timezone.now() + timedelta(seconds=125))
    assert Post.objects.get().state == PostState.PUBLISHED


def test_server_errors_retry_with_backoff_then_fail_with_reason(cast: Cast, fake: FakeConnector, settings: Any) -> None:
    settings.JURU_PUBLISH_MAX_ATTEMPTS = 3
    fake.script = [PublishResult(Outcome.FAILED, reason=f"server error (500) #{i}") for i in range(5)]
    draft = scheduled(cast)
    now = timezone.now()
    delays = []
    for _ in range(3):
        run_due(now=now)
        post = Post.objects.get()
        if post.state == PostState.SCHEDULED:
            delays.append((post.due_at - now).total_seconds())
            now = post.due_at + timedelta(seconds=1)
    assert post.state == PostState.FAILED
    assert "server error (500) #2" in post.reason
    assert delays[1] > delays[0] > 0  # back-off grows
    draft.refresh_from_db()
    assert draft.state == DraftState.FAILED


def test_sandbox_server_error_is_retried_and_published_once(cast: Cast, sandbox: Any) -> None:
    sandbox.inject_fault("server_error")
    scheduled(cast)
    run_due()
    post = Post.objects.get()
    assert post.state == PostState.SCHEDULED
    assert "server error" in post.reason
    run_due(now=post.due_at + timedelta(seconds=1))
    assert Post.objects.get().state == PostState.PUBLISHED
    assert len(sandbox.timeline("acme_id")) == 1


def test_expired_token_marks_account_needs_reconnect(cast: Cast, sandbox: Any) -> None:
    sandbox.inject_fault("auth_expired")
    scheduled(cast)
    run_due()
    cast.brand.refresh_from_db()
    assert cast.brand.connection_status == ConnectionStatus.NEEDS_RECONNECT
    post = Post.objects.get()
    assert post.state == PostState.NEEDS_HUMAN
    with pytest.raises(InvalidInputError):
        services.resolve_post(post, actor=cast.author, outcome="retry")


def test_rejected_post_fails_with_the_network_reason(cast: Cast, sandbox: Any) -> None:
    sandbox.inject_fault("rejected")
    scheduled(cast)
    run_due()
    post = Post.objects.get()
    assert post.state == PostState.FAILED
    assert "refused" in post.reason


def test_publisher_losing_eligibility_stops_the_post(cast: Cast, fake: FakeConnector) -> None:
    scheduled(cast)
    grant = cast.brand.grants.get(member=cast.author, permission=Permission.PUBLISH)
    account_services.revoke_grant(actor=None, grant=grant)
    run_due()
    post = Post.objects.get()
    assert post.state == PostState.FAILED
    assert fake.sent == []
    assert cast.author.display_name in post.reason


def test_multi_account_draft_publishes_each_account(cast: Cast, sandbox: Any) -> None:
    draft = scheduled(cast, accounts=[cast.brand, cast.second_brand])
    run_due()
    assert len(sandbox.timeline("acme_id")) == 1
    assert len(sandbox.timeline("acme_care")) == 1
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED


def test_cancel_unschedules(cast: Cast, fake: FakeConnector) -> None:
    draft = approved(cast)
    services.schedule_draft(
        draft, actor=cast.author, confirm_accounts=["acme_id"], when=timezone.now() + timedelta(hours=1)
    )
    services.cancel_draft(draft, actor=cast.author)
    run_due(now=timezone.now() + timedelta(hours=2))
    assert fake.sent == []
    assert Post.objects.get().state == PostState.CANCELLED


def test_editing_a_scheduled_draft_unschedules_and_resets(cast: Cast, fake: FakeConnector) -> None:
    draft = approved(cast)
    services.schedule_draft(
        draft, actor=cast.author, confirm_accounts=["acme_id"], when=timezone.now() + timedelta(hours=1)
    )
    draft = services.update_draft(draft, actor=cast.author, text="Teks lain")
    assert draft.state == DraftState.DRAFT
    assert Post.objects.get().state == PostState.WAITING
    run_due(now=timezone.now() + timedelta(hours=2))
    assert fake.sent == []


def test_sandbox_timeout_is_reconciled_and_published_once(cast: Cast, sandbox: Any) -> None:
    sandbox.inject_fault("timeout")
    scheduled(cast)
    run_due()
    run_due(now=timezone.now() + timedelta(seconds=5))
    assert Post.objects.get().state == PostState.PUBLISHED
    assert len(sandbox.timeline("acme_id")) == 1
