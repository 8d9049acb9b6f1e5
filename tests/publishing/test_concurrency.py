"""Races on a real server: simultaneous approvals, edits during approval, and competing sweepers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from juru.publishing import services
from juru.publishing.exceptions import PublishingError
from juru.publishing.models import Approval, Draft, DraftState, Post, PostState, ReviewStep, StepState
from tests.publishing.conftest import Cast, build_cast

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fake_scanner")]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the race's loser raises; keep it for the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def pg_cast(transactional_db: Any) -> Cast:
    return build_cast("acme")


def test_two_approvers_at_the_same_instant_count_once(pg_cast: Cast) -> None:
    cast = pg_cast
    services.configure_default_chains(cast.org, cast.owner)
    draft = services.submit_draft(
        services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo"), actor=cast.author
    )
    results = race(
        lambda: services.approve_draft(draft, actor=cast.pr1, version=1, step_position=0),
        lambda: services.approve_draft(draft, actor=cast.pr2, version=1, step_position=0),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], PublishingError)
    assert Approval.objects.count() == 1
    assert ReviewStep.objects.get(draft=draft, position=0).state == StepState.APPROVED
    assert ReviewStep.objects.get(draft=draft, position=1).state == StepState.PENDING


def test_edit_racing_an_approval_never_approves_unseen_text(pg_cast: Cast) -> None:
    cast = pg_cast
    draft = services.submit_draft(
        services.create_draft(actor=cast.author, accounts=[cast.brand], text="Versi satu"), actor=cast.author
    )
    race(
        lambda: services.approve_draft(draft, actor=cast.pr1, version=1),
        lambda: services.update_draft(draft, actor=cast.author, text="Versi dua", expected_version=1),
    )
    draft = Draft.objects.get(pk=draft.pk)
    assert draft.text == "Versi dua"
    assert draft.version == 2
    # Whichever came first, the new text is not approved: it must go through the chain again.
    assert draft.state == DraftState.DRAFT


def test_competing_sweepers_claim_each_post_once(pg_cast: Cast) -> None:
    cast = pg_cast
    for i in range(12):
        draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text=f"Pos {i}")
        draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
        services.schedule_draft(draft, actor=cast.author, confirm_accounts=["acme_id"])
    first, second, third = race(services.claim_due_posts, services.claim_due_posts, services.claim_due_posts)
    claimed = first + second + third
    assert sorted(claimed) == sorted(set(claimed))
    assert len(claimed) == 12
    assert Post.objects.filter(state=PostState.PUBLISHING).count() == 12
