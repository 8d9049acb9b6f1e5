"""Writes of crisis mode: declare, end, and decide each post the crisis held back.

Declaring turns on the one switch (``Organisation.crisis_active``) in the transaction that opens the
``Crisis`` row: from its commit the sweeper claims no post a crisis lead has not cleared, the publish
call checks again, and routing adds a crisis-lead step to everything submitted (``juru.publishing.holds``).
Ending turns it off and, in the same transaction, moves every post still waiting in the paused
queue to the review list (post state ``waiting``, a ``HeldPost`` row): nothing goes out in a burst;
a person releases, reschedules or cancels each one. Every service appends its audit events once, last.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts import access
from juru.accounts.exceptions import NotEligible
from juru.accounts.models import Member, OrgAction, Organisation, Permission
from juru.audit.services import PendingEvent, append, prepare
from juru.crisis import tasks
from juru.crisis.exceptions import CrisisConflictError, CrisisError, CrisisNotAllowedError
from juru.crisis.models import Crisis, HeldPost, HeldState
from juru.listening.models import Alert
from juru.publishing.exceptions import InvalidInputError
from juru.publishing.holds import crisis_cleared
from juru.publishing.models import AttemptState, Draft, DraftState, Post, PostState, PublishAttempt
from juru.publishing.services.drafts import check_target_time

MAX_DESCRIPTION = 4000


def may_declare(member: Member) -> bool:
    """Owners, administrators, approvers and crisis-team leads declare and end crises."""
    return access.role_can(member, OrgAction.DECLARE_CRISIS)


def may_review(member: Member, held: HeldPost) -> bool:
    """Whoever may publish on the held post's account decides its fate (as when scheduling it)."""
    return access.eligibility(member, Permission.PUBLISH, held.post.account).allowed


def _require_declarer(member: Member) -> None:
    if not may_declare(member):
        raise CrisisNotAllowedError(_("Your role does not allow declaring or ending a crisis."))


def _event(action: str, member: Member, obj: object, **fields: object) -> PendingEvent:
    return prepare(action=action, actor=member.user, organisation=member.organisation, obj=obj, **fields)  # type: ignore[arg-type]


def _clean(severity: object, description: str) -> tuple[int, str]:
    try:
        level = int(str(severity))
    except ValueError:
        level = 0
    if not 1 <= level <= 10:
        raise CrisisError(_("Severity is a whole number from 1 (minor) to 10 (most serious)."))
    text = (description or "").strip()
    if not text:
        raise CrisisError(_("Describe the crisis in a sentence or two: what happened and what is at stake."))
    if len(text) > MAX_DESCRIPTION:
        raise CrisisError(_("The description is too long (at most %(count)d characters).") % {"count": MAX_DESCRIPTION})
    return level, text


def _waiting_in_queue(organisation: Organisation) -> int:
    """Posts in the scheduled queue that the pause keeps (no crisis lead cleared them)."""
    queue = Post.objects.filter(organisation=organisation, state__in=[PostState.SCHEDULED, PostState.PUBLISHING])
    return queue.exclude(crisis_cleared()).count()


def declare_crisis(
    *,
    actor: Member,
    severity: object,
    description: str,
    alert: Alert | None = None,
    now: datetime | None = None,
    alert_team: bool = True,
) -> Crisis:
    """Declare a crisis: pause the queue, tighten approvals, and alert the crisis team (after commit).

    ``now`` and ``alert_team=False`` record a crisis that already happened (the demo's history).
    """
    _require_declarer(actor)
    level, text = _clean(severity, description)
    organisation = actor.organisation
    if alert is not None and alert.organisation_id != organisation.pk:
        raise CrisisError(_("This alert belongs to another organisation."))
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if org.crisis_active or Crisis.objects.filter(organisation=org, ended_at__isnull=True).exists():
            raise CrisisConflictError(_("A crisis is already active; end it before declaring another."))
        crisis = Crisis.objects.create(
            organisation=org,
            alert=alert,
            severity=level,
            description=text,
            declared_by=actor,
            declared_at=now or timezone.now(),
            paused_posts=_waiting_in_queue(org),
        )
        Organisation.objects.filter(pk=org.pk).update(crisis_active=True)
        organisation.crisis_active = True
        after = {
            "severity": level,
            "alert": str(alert.public_id) if alert else None,
            "paused_posts": crisis.paused_posts,
        }
        append([_event("crisis.declared", actor, crisis, after=after, summary=text)])
        if alert_team:
            transaction.on_commit(lambda: _announce(crisis.pk))
    return crisis


def _announce(crisis_id: int) -> None:
    tasks.announce_crisis.delay(crisis_id)


def end_crisis(*, actor: Member, crisis: Crisis, summary: str = "", now: datetime | None = None) -> Crisis:
    """End the crisis: lift the pause and put every post still paused on the review list."""
    _require_declarer(actor)
    if crisis.organisation_id != actor.organisation_id:
        raise CrisisNotAllowedError(_("This crisis belongs to another organisation."))
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=crisis.organisation_id)
        locked = Crisis.objects.select_for_update().get(pk=crisis.pk)
        if locked.ended_at is not None:
            raise CrisisConflictError(_("This crisis has already ended."))
        locked.ended_at = now or timezone.now()
        locked.ended_by = actor
        locked.summary = (summary or "").strip()[:MAX_DESCRIPTION]
        locked.save(update_fields=["ended_at", "ended_by", "summary"])
        held = _hold_paused_posts(locked)
        Organisation.objects.filter(pk=org.pk).update(crisis_active=False)
        actor.organisation.crisis_active = False
        after = {"held_posts": len(held)}
        append([_event("crisis.ended", actor, locked, after=after, summary=locked.summary)])
    return locked


def _hold_paused_posts(crisis: Crisis) -> list[HeldPost]:
    """Posts no crisis lead cleared go back to waiting, each with a row on the review list.

    That is the scheduled queue, and posts claimed before the declaration that no worker has tried
    yet (a worker that comes back after the end must not send them unreviewed); a call already in
    flight is left to finish.
    """
    in_flight = PublishAttempt.objects.filter(
        post=OuterRef("pk"), state__in=[AttemptState.CALLING, AttemptState.UNKNOWN]
    )
    waiting = Q(state=PostState.SCHEDULED) | (Q(state=PostState.PUBLISHING) & ~Exists(in_flight))
    paused = list(
        Post.objects.select_for_update(of=("self",))
        .filter(waiting, organisation_id=crisis.organisation_id)
        .exclude(crisis_cleared())
        .order_by("due_at", "pk")
    )
    Post.objects.filter(pk__in=[p.pk for p in paused]).update(
        state=PostState.WAITING, reason=_("Held by the crisis: waiting for someone to release it.")
    )
    return HeldPost.objects.bulk_create(
        [HeldPost(organisation_id=crisis.organisation_id, crisis=crisis, post=p, was_due_at=p.due_at) for p in paused]
    )


# --------------------------------------------------------------------------- the review list


def _locked_hold(held: HeldPost) -> tuple[HeldPost, Post]:
    locked = HeldPost.objects.select_for_update(of=("self",)).select_related("crisis").get(pk=held.pk)
    post = Post.objects.select_for_update(of=("self",)).select_related("account", "draft").get(pk=locked.post_id)
    return locked, post


def _check_decidable(actor: Member, held: HeldPost, post: Post) -> None:
    if held.crisis.is_active:
        raise CrisisError(_("The crisis is still active: end it before releasing held posts."))
    if held.state != HeldState.HELD or post.state != PostState.WAITING:
        raise CrisisConflictError(_("Someone has already decided about this post."))
    try:
        access.require_eligible(actor, Permission.PUBLISH, post.account)
    except NotEligible as exc:
        reasons = "; ".join(str(r.message) for r in exc.eligibility.reasons)
        raise CrisisNotAllowedError(
            _("You may not publish on this account now: %(reasons)s") % {"reasons": reasons}
        ) from None


def _decided(held: HeldPost, actor: Member, state: str) -> None:
    held.state = state
    held.decided_by = actor
    held.decided_at = timezone.now()
    held.save(update_fields=["state", "decided_by", "decided_at"])


def release_held_post(*, actor: Member, held: HeldPost, when: datetime | None = None) -> HeldPost:
    """Put one held post back in the queue, now (released) or at ``when`` (rescheduled)."""
    now = timezone.now()
    if when is not None:
        try:
            check_target_time(when, now=now)
        except InvalidInputError as exc:
            raise CrisisError(exc.message) from None
    with transaction.atomic():
        locked, post = _locked_hold(held)
        _check_decidable(actor, locked, post)
        due = when or now
        Post.objects.filter(pk=post.pk).update(state=PostState.SCHEDULED, due_at=due, reason="")
        state = HeldState.RESCHEDULED if when is not None else HeldState.RELEASED
        _decided(locked, actor, state)
        after = {"post": str(post.public_id), "due_at": due.isoformat(), "account": post.account.handle}
        append([_event(f"crisis.post_{state}", actor, locked, after=after)])
    return locked


def cancel_held_post(*, actor: Member, held: HeldPost) -> HeldPost:
    """Never send one held post (its draft is cancelled once none of its posts is left to send)."""
    with transaction.atomic():
        locked, post = _locked_hold(held)
        _check_decidable(actor, locked, post)
        Post.objects.filter(pk=post.pk).update(state=PostState.CANCELLED)
        live = Post.objects.filter(draft_id=post.draft_id).exclude(state=PostState.CANCELLED)
        if not live.exists():
            Draft.objects.filter(pk=post.draft_id, state=DraftState.SCHEDULED).update(
                state=DraftState.CANCELLED, state_reason=_("Cancelled after the crisis.")
            )
        _decided(locked, actor, HeldState.CANCELLED)
        after = {"post": str(post.public_id), "account": post.account.handle}
        append([_event("crisis.post_cancelled", actor, locked, after=after)])
    return locked
