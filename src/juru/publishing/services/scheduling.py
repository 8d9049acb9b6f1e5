"""Scheduling approved drafts, expiring stale ones, and the sweeper's exclusive claim on due posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import Member
from juru.audit.services import append, prepare
from juru.publishing.exceptions import InvalidInputError, InvalidTransitionError
from juru.publishing.holds import held_by_crisis
from juru.publishing.models import Draft, DraftState, Post, PostState, StepState
from juru.publishing.services.common import (
    audit,
    draft_snapshot,
    late_approval_window,
    pending_lifetime,
    require_for_accounts,
    speaking_permission,
)
from juru.publishing.services.drafts import check_target_time


def _confirmed(draft: Draft, confirm: Sequence[str]) -> bool:
    wanted = {str(p.account.public_id) for p in draft.posts.select_related("account")}
    handles = {p.account.handle.lower() for p in draft.posts.select_related("account")}
    given = {str(c).strip().lower() for c in confirm}
    return bool(given) and (given in (wanted, handles))


@transaction.atomic
def schedule_draft(
    draft: Draft, *, actor: Member, confirm_accounts: Sequence[str], when: datetime | None = None
) -> Draft:
    """Schedule an approved draft for ``when`` (default: its target time, or now).

    ``confirm_accounts`` must name exactly the draft's accounts (public ids or handles): the person
    publishing confirms *where* it goes, so a personal post never lands on the brand account by slip.
    """
    draft = Draft.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=draft.pk)
    if draft.state != DraftState.APPROVED:
        raise InvalidTransitionError(
            _("Only an approved draft can be scheduled (this one is %(state)s).") % {"state": draft.get_state_display()}
        )
    posts = list(draft.posts.select_related("account"))
    require_for_accounts(actor, speaking_permission(draft), [p.account for p in posts])
    if not _confirmed(draft, confirm_accounts):
        names = ", ".join(f"{p.account.handle} ({p.account.get_account_type_display()})" for p in posts)
        raise InvalidInputError(_("Confirm the target account before publishing: %(accounts)s.") % {"accounts": names})
    now = timezone.now()
    when = when or draft.scheduled_for or now
    check_target_time(when, now=now)
    before = draft_snapshot(draft)
    Post.objects.filter(draft=draft, state=PostState.WAITING).update(state=PostState.SCHEDULED, due_at=when)
    draft.state = DraftState.SCHEDULED
    draft.scheduled_for = when
    draft.scheduled_by = actor
    draft.save(update_fields=["state", "scheduled_for", "scheduled_by", "updated_at"])
    audit(
        "publishing.draft.scheduled",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        before=before,
        after=draft_snapshot(draft) | {"accounts": [p.account.handle for p in posts]},
    )
    return draft


def expire_stale_drafts(*, now: datetime | None = None) -> int:
    """Expire drafts whose approval can no longer arrive in time, or that waited too long."""
    now = now or timezone.now()
    stale = Draft.objects.filter(state=DraftState.IN_REVIEW).filter(
        Q(scheduled_for__lte=now + late_approval_window()) | Q(submitted_at__lte=now - pending_lifetime())
    )
    count = 0
    for draft_id in stale.values_list("pk", flat=True)[:500]:
        count += _expire_one(draft_id, now)
    return count


@transaction.atomic
def _expire_one(draft_id: int, now: datetime) -> int:
    draft = Draft.objects.select_for_update(of=("self",)).get(pk=draft_id)
    if draft.state != DraftState.IN_REVIEW:
        return 0
    if draft.scheduled_for is not None and draft.scheduled_for <= now + late_approval_window():
        why = _("Not approved in time for the publish time.")
    else:
        why = _("Waited for approval for more than %(days)d days.") % {"days": pending_lifetime().days}
    before = draft_snapshot(draft)
    draft.state = DraftState.EXPIRED
    draft.state_reason = why
    draft.save(update_fields=["state", "state_reason", "updated_at"])
    draft.steps.filter(round=draft.review_round, state=StepState.PENDING).update(state=StepState.SUPERSEDED)
    audit(
        "publishing.draft.expired",
        actor=None,
        organisation=draft.organisation,
        obj=draft,
        before=before,
        after=draft_snapshot(draft),
        summary=why,
    )
    return 1


def sweep_batch() -> int:
    """How many due posts one sweep claims at most (the rest wait for the next sweep)."""
    return int(getattr(settings, "JURU_SWEEP_BATCH", 500))


def due_post_ids(*, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Ids of scheduled posts whose time has come (candidates; claiming decides who gets them)."""
    now = now or timezone.now()
    due = (
        Post.objects.filter(state=PostState.SCHEDULED, due_at__lte=now)
        .exclude(held_by_crisis())
        .order_by("due_at", "pk")
    )
    return list(due.values_list("pk", flat=True)[: limit or sweep_batch()])


def claim_post(post_id: int, *, now: datetime | None = None) -> bool:
    """Claim one due post: a conditional UPDATE ``scheduled → publishing`` that only one sweeper wins."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Post.objects.filter(pk=post_id, state=PostState.SCHEDULED, due_at__lte=now)
        won = due.exclude(held_by_crisis()).update(state=PostState.PUBLISHING, claimed_at=now)
        if won:
            post = Post.objects.select_related("organisation").get(pk=post_id)
            audit(
                "publishing.post.claimed",
                actor=None,
                organisation=post.organisation,
                obj=post,
                before={"state": PostState.SCHEDULED},
                after={"state": PostState.PUBLISHING},
            )
    return bool(won)


def claim_due_posts(*, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Claim every due post this sweeper can win, in one transaction; returns the claimed ids.

    The due rows are locked with ``SKIP LOCKED`` (a competing sweeper takes the others instead of
    waiting), then moved ``scheduled → publishing`` by one conditional UPDATE; one audit append
    records every claim. On SQLite the transaction itself holds the write lock (``BEGIN IMMEDIATE``).
    Posts of an organisation in crisis stay in the queue unless a crisis lead cleared them (``holds``).
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            Post.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(state=PostState.SCHEDULED, due_at__lte=now)
            .exclude(held_by_crisis())
            .select_related("organisation")
            .order_by("due_at", "pk")
        )
        posts = list(due[: limit or sweep_batch()])
        if not posts:
            return []
        ids = [post.pk for post in posts]
        moved = Post.objects.filter(pk__in=ids, state=PostState.SCHEDULED, due_at__lte=now).update(
            state=PostState.PUBLISHING, claimed_at=now
        )
        if moved != len(ids):  # only without row locks: keep exactly the rows this UPDATE moved
            won = set(
                Post.objects.filter(pk__in=ids, state=PostState.PUBLISHING, claimed_at=now).values_list("pk", flat=True)
            )
            posts = [post for post in posts if post.pk in won]
        before, after = {"state": PostState.SCHEDULED}, {"state": PostState.PUBLISHING}
        append(
            [
                prepare(
                    action="publishing.post.claimed",
                    actor=None,
                    organisation=post.organisation,
                    obj=post,
                    before=before,
                    after=after,
                )
                for post in posts
            ]
        )
    return [post.pk for post in posts]
