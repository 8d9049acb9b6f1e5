"""Workflow gaps: duplicate task deliveries, steps decided out of order, edits of a scheduled draft."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from juru.publishing import services
from juru.publishing.exceptions import InvalidInputError, InvalidTransitionError
from juru.publishing.models import AttemptState, DraftState, Post, PostState, PublishAttempt, ReviewStep, StepState
from tests.publishing.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def in_review(cast: Cast, text: str = "Produk REVIEWME") -> Any:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text=text)
    return services.submit_draft(draft, actor=cast.author)


def scheduled_for(cast: Cast, when: Any) -> Any:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Selamat pagi!", scheduled_for=when)
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    return services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])


def test_a_duplicate_delivery_does_not_use_up_the_retry_budget(cast: Cast, sandbox: Any) -> None:
    draft = scheduled_for(cast, None)
    [post_id] = services.claim_due_posts()
    first = services.begin_attempt(post_id)
    assert first is not None
    for _ in range(3):  # the broker delivers the same task again while the call is in flight
        assert services.begin_attempt(post_id) is None
    post = Post.objects.get(pk=post_id)
    assert post.attempts == 1
    assert list(PublishAttempt.objects.filter(post=post).values_list("number", "state")) == [(1, AttemptState.CALLING)]
    assert draft.state == DraftState.SCHEDULED


def test_compliance_cannot_approve_before_the_pr_step(cast: Cast) -> None:
    draft = in_review(cast)
    kinds = list(ReviewStep.objects.filter(draft=draft, round=draft.review_round).values_list("kind", "position"))
    assert [kind for kind, _ in kinds] == ["pr", "compliance"]
    compliance_position = kinds[1][1]
    with translation.override("en"), pytest.raises(InvalidTransitionError, match="must be decided before"):
        services.approve_draft(draft, actor=cast.compliance, step_position=compliance_position)
    with translation.override("id"), pytest.raises(InvalidTransitionError) as refused:
        services.approve_draft(draft, actor=cast.compliance, step_position=compliance_position)
    assert "must be decided" not in refused.value.message  # translated
    assert ReviewStep.objects.get(draft=draft, kind="compliance").state == StepState.PENDING
    draft = services.approve_draft(draft, actor=cast.pr1)
    draft = services.approve_draft(draft, actor=cast.compliance, step_position=compliance_position)
    assert draft.state == DraftState.APPROVED


def test_editing_a_scheduled_draft_asks_for_a_reachable_time(cast: Cast, settings: Any) -> None:
    settings.JURU_LATE_APPROVAL_SECONDS = 300
    draft = scheduled_for(cast, timezone.now() + timedelta(minutes=10))
    settings.JURU_LATE_APPROVAL_SECONDS = 900  # as if seven minutes went by: the time is now too close
    with translation.override("en"), pytest.raises(InvalidInputError, match="choose a later time"):
        services.update_draft(draft, actor=cast.author, text="Selamat siang!")
    draft.refresh_from_db()
    assert (draft.state, draft.text) == (DraftState.SCHEDULED, "Selamat pagi!")
    assert Post.objects.get(draft=draft).state == PostState.SCHEDULED


def test_an_edit_with_a_cleared_time_can_be_approved_and_scheduled_again(cast: Cast, settings: Any) -> None:
    settings.JURU_LATE_APPROVAL_SECONDS = 300
    draft = scheduled_for(cast, timezone.now() + timedelta(minutes=10))
    settings.JURU_LATE_APPROVAL_SECONDS = 900
    draft = services.update_draft(draft, actor=cast.author, text="Selamat siang!", scheduled_for=None)
    assert (draft.state, draft.scheduled_for) == (DraftState.DRAFT, None)
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    assert draft.state == DraftState.APPROVED  # not expired by the first approval
    draft = services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])
    assert Post.objects.get(draft=draft).state == PostState.SCHEDULED


def test_an_edit_keeps_a_time_far_enough_ahead(cast: Cast) -> None:
    when = timezone.now() + timedelta(days=1)
    draft = scheduled_for(cast, when)
    draft = services.update_draft(draft, actor=cast.author, text="Selamat siang!")
    assert (draft.state, draft.scheduled_for) == (DraftState.DRAFT, when)
