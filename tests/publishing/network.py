"""A scriptable network for reconciliation tests: what it holds, and which calls came inside a transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from juru.connectors.base import Capabilities, Credentials, OutboundPost, Outcome, PublishResult
from juru.publishing import services
from juru.publishing.models import Post, PublishAttempt
from juru.publishing.services import publish as publish_services
from tests.publishing.conftest import Cast


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
