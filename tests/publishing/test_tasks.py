"""The sweeper task hands each claimed post to a publish task; beat runs it every few seconds."""

from __future__ import annotations

from typing import Any

import pytest

from juru.project.celery import app
from juru.publishing import services, tasks
from juru.publishing.models import Post, PostState
from tests.publishing.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def test_beat_runs_the_sweeper_every_few_seconds() -> None:
    entry = app.conf.beat_schedule["publishing-sweep-due-posts"]
    assert entry["task"] == "publishing.sweep_due_posts"
    assert entry["schedule"] <= 10


def test_sweep_enqueues_one_publish_per_claimed_post(cast: Cast, monkeypatch: pytest.MonkeyPatch, sandbox: Any) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo")
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=["acme_id"])
    queued: list[int] = []
    monkeypatch.setattr(tasks.publish_post, "delay", queued.append)
    assert tasks.sweep_due_posts() == 1
    assert tasks.sweep_due_posts() == 0
    assert queued == [Post.objects.get().pk]
    assert tasks.publish_post(queued[0]) == PostState.PUBLISHED
    assert tasks.publish_post(queued[0]) == "skipped"  # a duplicate delivery does nothing
    assert len(sandbox.timeline("acme_id")) == 1
