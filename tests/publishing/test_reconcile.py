"""Unknown outcomes: looked up outside any transaction, settled once, or handed to a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from juru.connectors.base import Capabilities, Credentials, OutboundPost, Outcome, PublishResult
from juru.publishing import services
from juru.publishing.exceptions import InvalidInputError
from juru.publishing.models import AttemptState, DraftState, Post, PostState, PublishAttempt
from juru.publishing.services import publish as publish_services
from tests.publishing.conftest import Cast

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fake_scanner")]


@dataclass
class Network:
    """A network that records every post it holds; ``unknown`` answers are lost after the post is made."""

    mode: str = "content"  # how it can be asked: "content", "key" or "" (not at all)
    unknown: int = 0  # how many of the next publishes answer with a 5xx after creating the post
    refuse_unknown: int = 0  # how many of the next publishes answer with a 5xx without creating anything
    posts: list[OutboundPost] = field(default_factory=list)
    calls_in_transaction: list[str] = field(default_factory=list)
    lookups: list[OutboundPost] = field(default_factory=list)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            network="sandbox",
            max_length=500,
            lookup_by_idempotency_key=self.mode == "key",
            lookup_by_content=self.mode == "content",
        )

    def _watch(self, what: str) -> None:
        if connection.in_atomic_block:
            self.calls_in_transaction.append(what)

    def publish(self, credentials: Credentials, post: OutboundPost) -> PublishResult:
        self._watch("publish")
        if self.refuse_unknown:
            self.refuse_unknown -= 1
            return PublishResult(Outcome.PENDING, reason="503 before creating")
        self.posts.append(post)
        if self.unknown:
            self.unknown -= 1
            return PublishResult(Outcome.PENDING, reason="500 after creating")
        return PublishResult(Outcome.PUBLISHED, remote_id=str(len(self.posts)), url=f"https://n.test/{len(self.posts)}")

    def lookup(self, credentials: Credentials, post: OutboundPost) -> PublishResult | None:
        self._watch("lookup")
        self.lookups.append(post)
        for number, sent in enumerate(self.posts, start=1):
            if sent.text == post.text:
                return PublishResult(Outcome.PUBLISHED, remote_id=str(number), url=f"https://n.test/{number}")
        return None

    def delete(self, credentials: Credentials, remote_id: str) -> PublishResult:
        return PublishResult(Outcome.PUBLISHED)

    def fetch_mentions(self, credentials: Credentials, since: str | None = None) -> list[Any]:
        return []


@pytest.fixture
def network() -> Any:
    net = Network()
    publish_services.use_connector("sandbox", lambda account: net)
    yield net
    publish_services.use_connector("sandbox", None)


def schedule(cast: Cast) -> Post:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Selamat pagi!")
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])
    return Post.objects.get(draft=draft)


def run_due(now: Any = None) -> None:
    for pk in services.claim_due_posts(now=now):
        publish_services.publish_post(pk)


def attempts(post: Post) -> list[str]:
    return list(PublishAttempt.objects.filter(post=post).order_by("number").values_list("state", flat=True))


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
