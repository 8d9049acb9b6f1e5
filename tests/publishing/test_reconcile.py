"""Unknown outcomes: looked up outside any transaction, settled once, or handed to a person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from juru.connectors.base import Outcome, PublishResult
from juru.publishing import services
from juru.publishing.exceptions import InvalidInputError
from juru.publishing.models import AttemptState, DraftState, Post, PostState
from juru.publishing.services import publish as publish_services
from tests.publishing.conftest import Cast
from tests.publishing.network import Network, attempts, run_due, schedule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fake_scanner")]


def test_a_post_created_before_a_5xx_is_found_not_sent_again(cast: Cast, network: Network) -> None:
    network.unknown = 1
    post = schedule(cast)
    run_due()
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert post.remote_id == "1"
    assert len(network.posts) == 1
    assert attempts(post) == [AttemptState.PUBLISHED]
    assert network.lookups[0].attempted_since is not None
    assert network.calls_in_transaction == []


def test_a_5xx_before_creating_is_looked_up_then_sent_again(cast: Cast, network: Network) -> None:
    network.refuse_unknown = 1
    post = schedule(cast)
    run_due()
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED  # looked up, not there: safe to send again
    run_due(now=timezone.now() + timedelta(seconds=1))
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert len(network.posts) == 1
    assert attempts(post) == [AttemptState.NOT_FOUND, AttemptState.PUBLISHED]
    assert network.calls_in_transaction == []


def test_without_a_lookup_a_person_decides_and_nothing_is_resent(cast: Cast, network: Network) -> None:
    network.mode, network.unknown = "", 1
    post = schedule(cast)
    run_due()
    post.refresh_from_db()
    assert post.state == PostState.NEEDS_HUMAN
    assert post.draft.state == DraftState.NEEDS_HUMAN
    assert services.begin_attempt(post.pk) is None  # a duplicate task delivery sends nothing
    services.reconcile_stale_attempts(now=timezone.now() + timedelta(hours=1))
    assert len(network.posts) == 1
    post = services.resolve_post(post, actor=cast.author, outcome="published", url="https://n.test/1")
    assert (post.state, post.url) == (PostState.PUBLISHED, "https://n.test/1")
    assert attempts(post) == [AttemptState.PUBLISHED]


def test_a_person_who_finds_nothing_sends_it_again_once(cast: Cast, network: Network) -> None:
    network.mode, network.refuse_unknown = "", 1
    post = schedule(cast)
    run_due()
    post = services.resolve_post(Post.objects.get(pk=post.pk), actor=cast.author, outcome="retry")
    assert post.state == PostState.SCHEDULED
    run_due(now=timezone.now() + timedelta(seconds=1))
    assert Post.objects.get(pk=post.pk).state == PostState.PUBLISHED
    assert len(network.posts) == 1
    assert attempts(post) == [AttemptState.NOT_FOUND, AttemptState.PUBLISHED]


def test_a_resolution_link_must_be_a_web_address(cast: Cast, network: Network) -> None:
    network.mode, network.unknown = "", 1
    post = schedule(cast)
    run_due()
    with translation.override("en"), pytest.raises(InvalidInputError, match="https://"):
        services.resolve_post(Post.objects.get(pk=post.pk), actor=cast.author, outcome="published", url="javascript:x")


def test_a_worker_killed_mid_call_is_reconciled_outside_the_lock(cast: Cast, network: Network) -> None:
    post = schedule(cast)
    [pk] = services.claim_due_posts()
    attempt = services.begin_attempt(pk)
    assert attempt is not None
    network.publish(publish_services.credentials_for(attempt.post.account), publish_services.outbound(attempt.post))
    # ... the worker dies here, before recording the answer.
    assert services.reconcile_stale_attempts(now=timezone.now() + timedelta(hours=1)) == 1
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert attempts(post) == [AttemptState.PUBLISHED]
    assert len(network.posts) == 1
    assert network.calls_in_transaction == []


def test_a_refusal_after_an_unknown_attempt_goes_to_a_person(cast: Cast, network: Network) -> None:
    network.refuse_unknown = 1
    post = schedule(cast)
    run_due()  # unknown, looked up, not found
    network.publish = lambda credentials, sent: PublishResult(  # type: ignore[method-assign]
        Outcome.REJECTED, reason="You are not allowed to create a Tweet with duplicate content."
    )
    run_due(now=timezone.now() + timedelta(seconds=1))
    post.refresh_from_db()
    assert post.state == PostState.NEEDS_HUMAN
    assert "duplicate" in post.reason


def test_a_lookup_that_cannot_reach_the_network_is_asked_again_with_backoff(cast: Cast, network: Network) -> None:
    network.unknown = 1
    real_lookup = network.lookup
    outage = [PublishResult(Outcome.FAILED, reason="network unreachable: ConnectError")] * 2

    def flaky(credentials, sent):  # type: ignore[no-untyped-def]
        return outage.pop() if outage else real_lookup(credentials, sent)

    network.lookup = flaky  # type: ignore[method-assign]
    post = schedule(cast)
    run_due()
    post.refresh_from_db()
    attempt = post.publish_attempts.get()
    assert post.state == PostState.PUBLISHING  # still an open question, not yet a person's job
    assert (attempt.state, attempt.failed_lookups) == (AttemptState.UNKNOWN, 1)
    first_wait = attempt.look_again_at - timezone.now()
    services.reconcile_stale_attempts(now=timezone.now())  # too early: nothing is asked
    assert len(outage) == 1
    services.reconcile_stale_attempts(now=attempt.look_again_at + timedelta(seconds=1))
    attempt.refresh_from_db()
    assert attempt.failed_lookups == 2
    assert attempt.look_again_at - timezone.now() > first_wait  # the wait grows
    services.reconcile_stale_attempts(now=attempt.look_again_at + timedelta(seconds=1))
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert len(network.posts) == 1  # found, never sent again
    assert network.calls_in_transaction == []


def test_a_lookup_that_never_reaches_the_network_goes_to_a_person_after_bounded_tries(
    cast: Cast, network: Network, settings: object
) -> None:
    settings.JURU_PUBLISH_MAX_LOOKUPS = 3  # type: ignore[attr-defined]
    network.unknown = 1
    network.lookup = lambda credentials, sent: PublishResult(  # type: ignore[method-assign]
        Outcome.RATE_LIMITED, retry_after=600, reason="quotaExceeded"
    )
    post = schedule(cast)
    run_due()
    moment = timezone.now()
    for _ in range(5):
        moment += timedelta(hours=2)
        services.reconcile_stale_attempts(now=moment)
    post.refresh_from_db()
    assert post.state == PostState.NEEDS_HUMAN
    assert "(3 " in post.reason  # how many tries were made, in either language
    assert "quotaExceeded" in post.reason
    assert post.publish_attempts.get().failed_lookups == 2
    assert len(network.posts) == 1
