"""Publishing end to end on a real Bluesky server (the reference ``@atproto/pds``, marker ``bluesky``).

A spokesperson writes a clean post for a brand account connected to the local PDS; PR then
compliance approve it (two different people); it is scheduled, the sweeper claims it when it is
due and the publish task sends it. The PDS then holds the post exactly once, whatever runs again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from atproto import Client
from django.utils import timezone

from juru.accounts.connections import connect_with_form
from juru.accounts.models import AccountType, BrandAccount
from juru.accounts.services import brand_accounts as account_services
from juru.connectors.base import Credentials, Outcome
from juru.connectors.bluesky import POST, record_key
from juru.publishing import services, tasks
from juru.publishing.models import AttemptState, Draft, DraftState, Post, PostState, PublishAttempt
from juru.publishing.services import publish as publish_services
from tests.publishing.conftest import Cast, build_cast

pytestmark = [pytest.mark.bluesky, pytest.mark.django_db(transaction=True)]

TEXT = "Halo Sobat Rasa! Toko kami di Jakarta buka lagi mulai pukul 08.00 hari ini. Sampai jumpa 👋🏽"


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Post ids the sweeper hands to the publish task (run here synchronously, never via a broker)."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.publish_post, "delay", ids.append)
    return ids


@pytest.fixture
def on_pds(
    transactional_db: Any, bsky_pds: Any, bsky_account: Callable[..., Credentials], settings: Any
) -> tuple[Cast, BrandAccount, Credentials]:
    """The acme cast with a brand account connected (handle + password) to the local PDS; PR → compliance."""
    settings.JURU_BLUESKY_URL = bsky_pds.url
    cast = build_cast("acme")
    remote = bsky_account("acme")
    account = account_services.create_brand_account(
        actor=None, organisation=cast.org, network="bluesky", handle=remote.handle, account_type=AccountType.BRAND
    )
    values = {"handle": remote.handle, "app_password": remote.secret}
    account = connect_with_form(actor=None, account=account, values=values)
    for permission in ("draft", "publish"):
        account_services.set_grant(actor=None, account=account, permission=permission, member=cast.author)
    for kind in ("pr", "compliance"):
        account_services.set_grant(actor=None, account=account, permission="approve", team=cast.teams[kind])
    services.configure_default_chains(cast.org, cast.owner, accounts=[account])
    return cast, account, remote


def pds_posts(url: str, remote: Credentials) -> list[Any]:
    """Every post record in the account's repository on the PDS (read with the SDK, not with Juru)."""
    client = Client(base_url=url)
    client.login(remote.handle, remote.secret, fetch_bsky_profile=False)
    params = {"repo": remote.extra["did"], "collection": POST, "limit": 100}
    return list(client.com.atproto.repo.list_records(params).records)


def approved_draft(cast: Cast, account: BrandAccount) -> Draft:
    """Written by the spokesperson, approved by PR (pr1) and then compliance (another person)."""
    draft = services.create_draft(actor=cast.author, accounts=[account], text=TEXT)
    assert draft.verdict == "allow", [h["rule"] for d in draft.decisions.all() for h in d.hits]
    draft = services.submit_draft(draft, actor=cast.author)
    steps = list(draft.steps.order_by("position"))
    # PR (its team) first, then compliance (its team): never the same person twice.
    assert [sorted(s.approver_ids) for s in steps] == [sorted([cast.pr1.pk, cast.pr2.pk]), [cast.compliance.pk]]
    draft = services.approve_draft(draft, actor=cast.pr1, version=draft.version)
    assert draft.state == DraftState.IN_REVIEW  # one approval is not enough
    draft = services.approve_draft(draft, actor=cast.compliance, version=draft.version)
    assert draft.state == DraftState.APPROVED
    return draft


def wait_until(moment: Any) -> None:
    """Sleep until ``moment`` has passed (a couple of seconds at most here)."""
    while timezone.now() <= moment:
        time.sleep(0.05)


def test_clean_post_is_approved_twice_published_at_its_time_and_exists_once_on_the_pds(
    on_pds: tuple[Cast, BrandAccount, Credentials], bsky_pds: Any, queued: list[int]
) -> None:
    cast, account, remote = on_pds
    draft = approved_draft(cast, account)
    when = timezone.now() + timedelta(seconds=2)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[remote.handle], when=when)
    post = Post.objects.get(draft=draft)
    assert post.state == PostState.SCHEDULED

    assert tasks.sweep_due_posts() == 0  # not due yet: nothing is claimed, nothing is sent
    assert queued == []
    assert pds_posts(bsky_pds.url, remote) == []

    wait_until(when)
    assert tasks.sweep_due_posts() == 1
    assert queued == [post.pk]
    assert tasks.publish_post(post.pk) == PostState.PUBLISHED

    post.refresh_from_db()
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED
    assert post.published_at is not None
    assert post.published_at >= when  # at its time, not before
    records = pds_posts(bsky_pds.url, remote)
    assert [r.uri for r in records] == [post.remote_id]
    assert records[0].value.text == TEXT
    assert post.remote_id.endswith("/" + record_key(post.idempotency_key))
    assert post.url.endswith("/post/" + record_key(post.idempotency_key))

    # The sweeper and a duplicate delivery of the publish task run again: nothing new on the PDS.
    assert tasks.sweep_due_posts() == 0
    assert tasks.publish_post(post.pk) == "skipped"
    assert [r.uri for r in pds_posts(bsky_pds.url, remote)] == [post.remote_id]
    attempts = list(PublishAttempt.objects.filter(post=post))
    assert [a.state for a in attempts] == [AttemptState.PUBLISHED]


def test_worker_lost_after_the_pds_took_the_post_is_reconciled_by_lookup_not_resent(
    on_pds: tuple[Cast, BrandAccount, Credentials], bsky_pds: Any, queued: list[int], settings: Any
) -> None:
    cast, account, remote = on_pds
    draft = approved_draft(cast, account)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[remote.handle])
    assert tasks.sweep_due_posts() == 1
    post = Post.objects.get(draft=draft)
    # What a worker does before it dies: commit the attempt, send the post... and never record the answer.
    attempt = publish_services.begin_attempt(post.pk)
    assert attempt is not None
    post.refresh_from_db()
    sent = publish_services.connector_for(account).publish(
        publish_services.credentials_for(account), publish_services.outbound(post)
    )
    assert sent.outcome is Outcome.PUBLISHED, sent.reason

    assert tasks.sweep_due_posts() == 0  # the attempt is still young: nobody touches it
    settings.JURU_PUBLISH_CALL_TIMEOUT = 0
    time.sleep(0.01)
    assert tasks.sweep_due_posts() == 0  # reconciled (looked up on the PDS), not claimed again

    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert post.remote_id == sent.remote_id
    assert [a.state for a in PublishAttempt.objects.filter(post=post)] == [AttemptState.PUBLISHED]
    assert [r.uri for r in pds_posts(bsky_pds.url, remote)] == [sent.remote_id]
    assert tasks.publish_post(post.pk) == "skipped"
    assert queued == [post.pk]
    assert len(pds_posts(bsky_pds.url, remote)) == 1
