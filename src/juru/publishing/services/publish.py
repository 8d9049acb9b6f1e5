"""Publishing one claimed post at most once, and reconciling attempts a crashed worker left behind.

Order of events for one try: (1) in a committed transaction, write a ``PublishAttempt`` in state
``calling``; (2) call the network; (3) in another transaction, record the outcome. An unknown
outcome leaves the attempt ``unknown``; (4) ``reconcile_post`` looks the post up (by idempotency
key or by content) outside any transaction, and (5) settles the attempt in a last one. A worker
that dies between (1) and (3) leaves a ``calling`` row, which ``reconcile_stale_attempts`` turns
into ``unknown`` and reconciles the same way. Nothing is sent for a post while it has a ``calling``
or ``unknown`` attempt. Networks that cannot be asked hand the post to a person instead of a
blind retry. No network call ever runs inside a transaction that holds row locks. While the
organisation is in crisis, a post no crisis lead cleared is stopped both when its attempt would be
written and again at the call itself, and goes back to the paused queue unsent (``holds``).

Every transaction here collects its audit events (prepared outside the chain lock) and appends
them as its last statement, so the single chain-head lock that serialises all audit appends is
held only for the append and the commit, not for the reads and updates before it. Row locks are
taken in one order everywhere: attempt → post → draft → chain head.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts import access
from juru.accounts.connections import connector_for, credentials_for, needs_reconnect
from juru.accounts.models import ConnectionStatus, Member, Permission
from juru.audit.services import PendingEvent, append, prepare
from juru.connectors.base import Media, OutboundPost, Outcome, PublishResult
from juru.publishing.exceptions import InvalidInputError, InvalidTransitionError
from juru.publishing.holds import is_held_by_crisis
from juru.publishing.models import AttemptState, Draft, DraftState, Post, PostState, PublishAttempt
from juru.publishing.services.common import backoff, call_timeout, max_attempts, max_lookups, user_of
from juru.publishing.signals import post_published

log = logging.getLogger(__name__)


def _media(post: Post) -> list[Media]:
    media = []
    for attachment in post.draft.attachments.all():
        with attachment.file.open("rb") as handle:
            data = handle.read()
        name = attachment.file.name.rsplit("/", 1)[-1]
        media.append(
            Media(
                filename=name,
                content_type=attachment.content_type,
                data=data,
                alt_text=attachment.alt_text,
                ref=str(attachment.public_id),
            )
        )
    return media


def outbound(post: Post) -> OutboundPost:
    """What is sent: the same key and creation time on every attempt, so retries are recognisable."""
    return OutboundPost(
        text=post.body,
        idempotency_key=post.idempotency_key,
        media=_media(post),
        reply_to=post.reply_to or None,
        created_at=post.claimed_at,
    )


def _event(
    action: str,
    post: Post,
    *,
    actor: Member | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> PendingEvent:
    """An audit event about ``post``, ready to append at the end of the transaction."""
    return prepare(
        action=action,
        actor=user_of(actor),
        organisation=post.organisation,
        obj=post,
        before=before,
        after=after,
        summary=summary,
    )


# What publishing a post reads besides its row: the draft (text, who scheduled it), the account, the organisation.
_POST_RELATED = ("draft__scheduled_by__user", "account", "organisation")


def _locked_post(post_id: int) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related(*_POST_RELATED).get(pk=post_id)


def _locked_attempt(attempt_id: int) -> PublishAttempt:
    """The attempt and its post, both locked in one statement (attempt → post, as everywhere)."""
    related = ["post__" + name for name in _POST_RELATED]
    return PublishAttempt.objects.select_for_update(of=("self", "post")).select_related(*related).get(pk=attempt_id)


def _all_published(draft: Draft) -> bool:
    """Mark the draft published if every live post is; one conditional UPDATE (the common case)."""
    unfinished = Post.objects.filter(draft=OuterRef("pk")).exclude(state__in=[PostState.PUBLISHED, PostState.CANCELLED])
    return bool(
        Draft.objects.filter(pk=draft.pk, state__in=[DraftState.SCHEDULED, DraftState.NEEDS_HUMAN])
        .exclude(Exists(unfinished))
        .update(state=DraftState.PUBLISHED, updated_at=timezone.now())
    )


def refresh_draft_state(draft: Draft) -> None:
    """Derive the draft's state from its posts once they have all finished."""
    if draft.state in (DraftState.SCHEDULED, DraftState.NEEDS_HUMAN) and _all_published(draft):
        return
    states = set(draft.posts.exclude(state=PostState.CANCELLED).values_list("state", flat=True))
    if not states or draft.state not in (DraftState.SCHEDULED, DraftState.NEEDS_HUMAN):
        return
    if states == {PostState.PUBLISHED}:
        new = DraftState.PUBLISHED
    elif PostState.NEEDS_HUMAN in states:
        new = DraftState.NEEDS_HUMAN
    elif states <= {PostState.PUBLISHED, PostState.FAILED}:
        new = DraftState.FAILED
    else:
        return
    Draft.objects.filter(pk=draft.pk, state__in=[DraftState.SCHEDULED, DraftState.NEEDS_HUMAN]).update(
        state=new, updated_at=timezone.now()
    )


def _finish(
    post: Post, state: str, events: list[PendingEvent], *, reason: str = "", result: PublishResult | None = None
) -> None:
    before = {"state": post.state}
    post.state = state
    post.reason = reason
    fields = ["state", "reason"]
    if result is not None and state == PostState.PUBLISHED:
        post.remote_id, post.url, post.published_at = result.remote_id, result.url[:500], timezone.now()
        fields += ["remote_id", "url", "published_at"]
    post.save(update_fields=fields)
    refresh_draft_state(post.draft)  # before the audit append: locks go post → draft → chain head
    if state == PostState.PUBLISHED:
        post_published.send(sender=Post, post=post, events=events)
    events.append(
        _event(
            f"publishing.post.{state}",
            post,
            before=before,
            after={"state": state, "remote_id": post.remote_id, "url": post.url},
            summary=reason,
        )
    )


def _retry_later(post: Post, events: list[PendingEvent], *, delay: timedelta, reason: str) -> None:
    if post.attempts >= max_attempts():
        _finish(
            post,
            PostState.FAILED,
            events,
            reason=_("Gave up after %(count)d attempts: %(reason)s") % {"count": post.attempts, "reason": reason},
        )
        return
    post.state = PostState.SCHEDULED
    post.due_at = timezone.now() + delay
    post.reason = reason
    post.save(update_fields=["state", "due_at", "reason"])
    events.append(
        _event(
            "publishing.post.retry",
            post,
            before={"state": PostState.PUBLISHING},
            after={"state": PostState.SCHEDULED, "due_at": post.due_at.isoformat(), "attempts": post.attempts},
            summary=reason,
        )
    )


def _blocker(post: Post) -> str:
    """Why this post may not go out now ('' if it may): eligibility of its scheduler, account state."""
    account = post.account
    if account.connection_status == ConnectionStatus.NEEDS_RECONNECT:
        return _("The account %(handle)s must be reconnected first.") % {"handle": account.handle}
    member: Member | None = post.draft.scheduled_by
    if member is None:
        return _("Nobody scheduled this post.")
    permission = Permission.REPLY if post.reply_to else Permission.PUBLISH
    answer = access.eligibility(member, permission, account)
    if not answer.allowed:
        if post.reply_to:
            message = _("%(name)s may not reply on %(handle)s now: %(reasons)s")
        else:
            message = _("%(name)s may not publish on %(handle)s now: %(reasons)s")
        return message % {
            "name": member.display_name,
            "handle": account.handle,
            "reasons": "; ".join(str(r.message) for r in answer.reasons),
        }
    return ""


@transaction.atomic
def begin_attempt(post_id: int) -> PublishAttempt | None:
    """Write (and commit) the attempt row for a claimed post; ``None`` if there is nothing to send.

    The attempt carries its post (``attempt.post``, with draft and account) as read under the lock.
    """
    post = _locked_post(post_id)
    open_attempt = post.publish_attempts.filter(state__in=[AttemptState.CALLING, AttemptState.UNKNOWN])
    if post.state != PostState.PUBLISHING or open_attempt.exists():
        # Nothing to send; or a duplicate delivery while a call is in flight or its outcome is unknown.
        return None
    events: list[PendingEvent] = []
    if is_held_by_crisis(post):
        # The last check before the network call: a crisis declared since the claim keeps it unsent.
        _pause(post, events)
        append(events)
        return None
    blocker = _blocker(post)
    if blocker:
        _finish(post, PostState.FAILED, events, reason=blocker)
        append(events)
        return None
    try:
        with transaction.atomic():
            attempt = PublishAttempt.objects.create(
                post=post, number=post.attempts + 1, idempotency_key=post.idempotency_key, started_at=timezone.now()
            )
    except IntegrityError:
        return None  # a duplicate delivery: another worker has a call in flight; the budget is untouched
    # Counted only once the in-flight guard has accepted this try.
    post.attempts = attempt.number
    post.save(update_fields=["attempts"])
    started = {"attempt": attempt.number, "key": attempt.idempotency_key}
    append([_event("publishing.attempt.started", post, after=started)])
    return attempt


def _pause(post: Post, events: list[PendingEvent]) -> None:
    """Put a claimed post back in the paused queue, unsent (the crisis review list picks it up later)."""
    post.state = PostState.SCHEDULED
    post.reason = _("Held before sending: the organisation is in crisis mode.")
    post.save(update_fields=["state", "reason"])
    events.append(
        _event(
            "publishing.post.paused",
            post,
            before={"state": PostState.PUBLISHING},
            after={"state": PostState.SCHEDULED},
            summary=post.reason,
        )
    )


def _human(post: Post, reason: str, events: list[PendingEvent]) -> None:
    _finish(post, PostState.NEEDS_HUMAN, events, reason=reason)


ATTEMPT_STATE = {
    Outcome.PUBLISHED: AttemptState.PUBLISHED,
    Outcome.RATE_LIMITED: AttemptState.RATE_LIMITED,
    Outcome.FAILED: AttemptState.FAILED,
    Outcome.REJECTED: AttemptState.REJECTED,
    Outcome.AUTH_EXPIRED: AttemptState.AUTH_EXPIRED,
    Outcome.PENDING: AttemptState.UNKNOWN,
}


@transaction.atomic
def record_outcome(attempt_id: int, result: PublishResult) -> Post:
    """Record what the network answered and move the post on (published, retry, failed or a human).

    An unknown outcome (``PENDING``) leaves the attempt ``unknown`` and the post ``publishing``:
    nothing may be sent for it until ``reconcile_post`` has looked it up, outside this transaction.
    """
    attempt = _locked_attempt(attempt_id)
    post = attempt.post
    if attempt.state != AttemptState.CALLING:
        return post  # already reconciled by someone else
    attempt.state = ATTEMPT_STATE[result.outcome]
    attempt.finished_at = timezone.now()
    attempt.remote_id, attempt.retry_after, attempt.reason = result.remote_id, result.retry_after, result.reason
    attempt.save(update_fields=["state", "finished_at", "remote_id", "retry_after", "reason"])
    events = [
        _event(
            "publishing.attempt.finished",
            post,
            after={"attempt": attempt.number, "outcome": result.outcome.value, "reason": result.reason},
        )
    ]
    _apply(post, result, events)
    append(events)
    return post


def _apply(post: Post, result: PublishResult, events: list[PendingEvent]) -> None:
    outcome = result.outcome
    if outcome is Outcome.PUBLISHED:
        _finish(post, PostState.PUBLISHED, events, result=result)
    elif outcome is Outcome.RATE_LIMITED:
        delay = timedelta(seconds=result.retry_after) if result.retry_after else backoff(post.attempts)
        _retry_later(post, events, delay=delay, reason=result.reason or _("rate limited"))
    elif outcome is Outcome.FAILED:
        delay = max(backoff(post.attempts), timedelta(seconds=result.retry_after or 0))
        _retry_later(post, events, delay=delay, reason=result.reason or _("the network failed"))
    elif outcome is Outcome.REJECTED and _was_uncertain(post):
        # The refusal may be about the earlier post itself (X refuses duplicate content).
        _human(
            post,
            _(
                "The network refused the post (%(reason)s) after an earlier attempt whose outcome was unknown; "
                "check the account: it may already be there."
            )
            % {"reason": result.reason},
            events,
        )
    elif outcome is Outcome.REJECTED:
        _finish(post, PostState.FAILED, events, reason=result.reason or _("the network refused the post"))
    elif outcome is Outcome.AUTH_EXPIRED:
        events.extend(needs_reconnect(post.account, result.reason))
        _human(
            post,
            _("The account %(handle)s must be reconnected; then retry. (%(reason)s)")
            % {"handle": post.account.handle, "reason": result.reason},
            events,
        )
    # PENDING: the post stays "publishing" with an unknown attempt until reconcile_post settles it.


def _was_uncertain(post: Post) -> bool:
    """Whether an earlier attempt's outcome was unknown (looked up and not found, or still open)."""
    return post.publish_attempts.filter(state__in=[AttemptState.NOT_FOUND, AttemptState.UNKNOWN]).exists()


# -- reconciliation: read in one short transaction, ask the network outside any, settle in another --


def _open_question(post_id: int) -> tuple[Post, PublishAttempt] | None:
    """The post and its attempt of unknown outcome, if the post is still waiting for an answer."""
    attempt = (
        PublishAttempt.objects.filter(post_id=post_id, state=AttemptState.UNKNOWN, post__state=PostState.PUBLISHING)
        .select_related(*["post__" + name for name in _POST_RELATED])
        .order_by("-number")
        .first()
    )
    return (attempt.post, attempt) if attempt is not None else None


def lookup_window_start(post: Post) -> datetime | None:
    """When the earliest attempt that may have reached the network started (a lookup searches from there)."""
    first = post.publish_attempts.order_by("number").values_list("started_at", flat=True).first()
    return first


def reconcile_post(post_id: int) -> Post | None:
    """Settle a post whose last attempt has an unknown outcome: look it up, or hand it to a person.

    The lookup is a network call, so it runs outside any transaction; the answer is recorded in a
    short transaction that first checks that nobody settled the attempt meanwhile.
    """
    question = _open_question(post_id)
    if question is None:
        return None
    post, attempt = question
    connector = connector_for(post.account)
    if not connector.capabilities.can_look_up:
        return _settle(attempt.pk, None, searched=False)
    sent = dataclasses.replace(outbound(post), attempted_since=lookup_window_start(post))
    try:
        found = connector.lookup(credentials_for(post.account), sent)
    except Exception as exc:  # a connector bug must not leave the question open forever
        log.exception("connector raised while looking up post %s", post_id)
        found = PublishResult(Outcome.PENDING, reason=f"{exc.__class__.__name__}: {exc}")
    return _settle(attempt.pk, found, searched=True)


@transaction.atomic
def _settle(attempt_id: int, found: PublishResult | None, *, searched: bool) -> Post | None:
    """Record what a lookup found (``searched``) or that the network cannot be asked."""
    attempt = _locked_attempt(attempt_id)
    post = attempt.post
    if attempt.state != AttemptState.UNKNOWN or post.state != PostState.PUBLISHING:
        return None  # settled by someone else meanwhile
    events: list[PendingEvent] = []
    network = post.account.network
    if not searched:
        _human(
            post,
            _(
                "%(network)s cannot confirm whether the post went out (%(why)s). Check the account, "
                "then mark it published or send it again."
            )
            % {"network": network, "why": attempt.reason},
            events,
        )
    elif found is not None and found.outcome is Outcome.PUBLISHED:
        _close_attempt(attempt, AttemptState.PUBLISHED, remote_id=found.remote_id)
        events.append(_event("publishing.post.reconciled", post, after={"found": True, "remote_id": found.remote_id}))
        _finish(post, PostState.PUBLISHED, events, result=found)
    elif found is None:
        _close_attempt(attempt, AttemptState.NOT_FOUND)
        events.append(_event("publishing.post.reconciled", post, after={"found": False}))
        _retry_later(post, events, delay=timedelta(0), reason=attempt.reason)
    elif attempt.failed_lookups + 1 < max_lookups():
        _look_again(attempt, found)
    else:
        _human(
            post,
            _("The network could not be asked whether the post went out (%(tries)d tries): %(reason)s")
            % {"tries": attempt.failed_lookups + 1, "reason": found.reason},
            events,
        )
    if events:
        append(events)
    return post


def _look_again(attempt: PublishAttempt, found: PublishResult) -> None:
    """The lookup could not reach the network: keep the question open and ask again after a back-off.

    A short outage or a rate limit should not make a person check every post by hand; the post
    still sends nothing while the question is open (the attempt stays ``unknown``).
    """
    attempt.failed_lookups += 1
    wait = max(backoff(attempt.failed_lookups), timedelta(seconds=found.retry_after or 0))
    attempt.look_again_at = timezone.now() + wait
    attempt.reason = found.reason or attempt.reason
    attempt.save(update_fields=["failed_lookups", "look_again_at", "reason"])


def _close_attempt(attempt: PublishAttempt, state: str, *, remote_id: str = "") -> None:
    attempt.state = state
    attempt.remote_id = remote_id or attempt.remote_id
    attempt.save(update_fields=["state", "remote_id"])


def publish_post(post_id: int) -> Post | None:
    """Publish one claimed post: attempt row committed first, then the call, then the outcome."""
    attempt = begin_attempt(post_id)
    if attempt is None:
        return None
    post = attempt.post  # read under the lock in begin_attempt; what is sent cannot change once scheduled
    connector, credentials, message = connector_for(post.account), credentials_for(post.account), outbound(post)
    if is_held_by_crisis(post):  # checked again at the call itself: a crisis declared a moment ago still holds it
        return _withdraw(attempt.pk)
    try:
        result = connector.publish(credentials, message)
    except Exception as exc:  # a connector bug must not leave the post stuck in "calling"
        log.exception("connector raised while publishing post %s", post_id)
        result = PublishResult(Outcome.PENDING, reason=f"{exc.__class__.__name__}: {exc}")
    post = record_outcome(attempt.pk, result)
    if result.outcome is Outcome.PENDING:
        return reconcile_post(post_id) or Post.objects.select_related(*_POST_RELATED).get(pk=post_id)
    return post


@transaction.atomic
def _withdraw(attempt_id: int) -> Post:
    """Close an attempt that never reached the network (a crisis began) and pause its post."""
    attempt = _locked_attempt(attempt_id)
    post = attempt.post
    if attempt.state != AttemptState.CALLING:
        return post
    reason = _("Not sent: a crisis was declared just before the call.")
    _close_attempt(attempt, AttemptState.NOT_FOUND)
    PublishAttempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now(), reason=reason)
    events = [_event("publishing.attempt.finished", post, after={"attempt": attempt.number, "outcome": "not_sent"})]
    _pause(post, events)
    append(events)
    return post


def reconcile_stale_attempts(*, now: datetime | None = None) -> int:
    """Deal with posts whose worker died: look up before retrying, or hand them to a human."""
    now = now or timezone.now()
    cutoff = now - call_timeout()
    count = 0
    for attempt_id in PublishAttempt.objects.filter(state=AttemptState.CALLING, started_at__lt=cutoff).values_list(
        "pk", flat=True
    )[:200]:
        count += _abandon_attempt(attempt_id)
    # Unknown outcomes the publishing worker did not settle itself (it died, or the lookup could not run).
    open_questions = PublishAttempt.objects.filter(
        Q(look_again_at__isnull=True, finished_at__lt=cutoff) | Q(look_again_at__lte=now),
        state=AttemptState.UNKNOWN,
        post__state=PostState.PUBLISHING,
    )
    for post_id in open_questions.values_list("post_id", flat=True).distinct()[:200]:
        reconcile_post(post_id)
    return count + _requeue_lost(cutoff)


@transaction.atomic
def _requeue_lost(cutoff: datetime) -> int:
    """Claimed but never attempted (the task was lost): nothing was sent, so it may simply go again."""
    open_attempt = PublishAttempt.objects.filter(
        post=OuterRef("pk"), state__in=[AttemptState.CALLING, AttemptState.UNKNOWN]
    )
    lost = list(
        Post.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(state=PostState.PUBLISHING, claimed_at__lt=cutoff)
        .exclude(Exists(open_attempt))
        .select_related("organisation")[:500]
    )
    if not lost:
        return 0
    Post.objects.filter(pk__in=[post.pk for post in lost], state=PostState.PUBLISHING).update(state=PostState.SCHEDULED)
    reason = _("Claimed, but no worker started it; nothing was sent.")
    moved = {"state": PostState.SCHEDULED}
    was = {"state": PostState.PUBLISHING}
    append([_event("publishing.post.requeued", post, before=was, after=moved, summary=reason) for post in lost])
    return len(lost)


def _abandon_attempt(attempt_id: int) -> int:
    """A call whose worker died: its outcome is unknown; record that, then reconcile outside the lock."""
    post_id = _mark_abandoned(attempt_id)
    if post_id is None:
        return 0
    reconcile_post(post_id)
    return 1


@transaction.atomic
def _mark_abandoned(attempt_id: int) -> int | None:
    attempt = _locked_attempt(attempt_id)
    if attempt.state != AttemptState.CALLING:
        return None
    post = attempt.post
    attempt.state = AttemptState.UNKNOWN
    attempt.finished_at = timezone.now()
    attempt.reason = _("The worker stopped while calling the network.")
    attempt.save(update_fields=["state", "finished_at", "reason"])
    append([_event("publishing.attempt.abandoned", post, after={"attempt": attempt.number}, summary=attempt.reason)])
    return post.pk


@transaction.atomic
def resolve_post(post: Post, *, actor: Member, outcome: str, url: str = "", reason: str = "") -> Post:
    """A person settles a post that needs a human: ``published`` (with its URL), ``failed`` or ``retry``.

    The attempts whose outcome was unknown are closed with what the person found: ``published``
    means one of them went out; ``retry`` means none did.
    """
    post = _locked_post(post.pk)
    access.require_eligible(actor, Permission.PUBLISH, post.account)
    if post.state != PostState.NEEDS_HUMAN:
        raise InvalidTransitionError(_("This post is not waiting for a person."))
    if outcome not in ("published", "failed", "retry"):
        raise InvalidInputError(_("Unknown outcome."))
    if outcome == "published" and url and not _is_web_address(url):
        raise InvalidInputError(_("Give the post's address on the network (starting with https://)."))
    if outcome == "retry" and post.account.connection_status == ConnectionStatus.NEEDS_RECONNECT:
        raise InvalidInputError(_("Reconnect the account before retrying."))
    events: list[PendingEvent] = []
    unknown = post.publish_attempts.filter(state=AttemptState.UNKNOWN)
    if outcome == "published":
        unknown.update(state=AttemptState.PUBLISHED)
        _finish(post, PostState.PUBLISHED, events, result=PublishResult(Outcome.PUBLISHED, url=url), reason=reason)
    elif outcome == "failed":
        failed = reason or _("Marked as failed by %(name)s") % {"name": actor.display_name}
        _finish(post, PostState.FAILED, events, reason=failed)
    else:
        unknown.update(state=AttemptState.NOT_FOUND)
        post.state, post.due_at, post.reason = PostState.SCHEDULED, timezone.now(), ""
        post.save(update_fields=["state", "due_at", "reason"])
        Draft.objects.filter(pk=post.draft_id, state=DraftState.NEEDS_HUMAN).update(state=DraftState.SCHEDULED)
    resolved = {"outcome": outcome, "url": url}
    events.append(_event("publishing.post.resolved", post, actor=actor, after=resolved, summary=reason))
    append(events)
    return post


def _is_web_address(url: str) -> bool:
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return False
    return True
