"""Hides and blocks on the network: requested in the deciding transaction, carried out by a task.

A request is a ``ModerationAction`` row (pending). ``perform`` claims it with a conditional UPDATE
that also sets a lease (``next_attempt_at``), so two workers never call the network for the same
row, and a worker that dies leaves it for the sweeper once the lease ends. A network failure keeps
it pending with a back-off; a refusal (or an account to reconnect) marks it failed for a person to
retry. Hiding and blocking are idempotent on every network, so a retry after a lost answer is safe.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import BrandAccount
from juru.audit.services import PendingEvent, append
from juru.connectors.base import ModeratingConnector, Outcome, PublishResult
from juru.listening.models import Mention
from juru.moderation.exceptions import ModerationError
from juru.moderation.models import ActionKind, ActionState, Author, ModerationAction
from juru.moderation.services.common import event, queue

LEASE = timedelta(minutes=5)  # how long a claimed action is left to its worker before the sweeper retries it
GIVE_UP = (Outcome.REJECTED, Outcome.AUTH_EXPIRED)
REVERSAL = {ActionKind.HIDE: ActionKind.UNHIDE, ActionKind.BLOCK: ActionKind.UNBLOCK}


def request(
    *,
    author: Author,
    account: BrandAccount,
    kind: str,
    actor: Any,
    mention: Mention | None = None,
    reason: str = "",
) -> tuple[ModerationAction, PendingEvent]:
    """A pending action and its audit event; the caller appends the event and calls ``queue``."""
    action = ModerationAction.objects.create(
        organisation=author.organisation, author=author, account=account, mention=mention, kind=kind,
        automatic=actor is None, reason=reason[:300], requested_by=actor,
    )  # fmt: skip
    after = {"author": author.handle, "account": account.handle, "mention": str(mention.public_id) if mention else ""}
    pending = event(
        f"moderation.{kind}_requested", actor=actor, organisation=author.organisation, obj=action,
        summary=f"@{author.handle}: {reason}"[:200], after=after,
    )  # fmt: skip
    return action, pending


def in_effect(author: Author, kind: str) -> list[ModerationAction]:
    """The author's hides or blocks not reversed yet (newest first)."""
    return list(
        ModerationAction.objects.filter(author=author, kind=kind, reversed_by__isnull=True)
        .exclude(state__in=[ActionState.FAILED, ActionState.CANCELLED])
        .select_related("account", "mention")
    )


def reverse(action: ModerationAction, *, actor: Any, reason: str) -> tuple[ModerationAction, PendingEvent]:
    """The opposite action (unhide, unblock), linked to the one it undoes."""
    if action.kind not in REVERSAL:
        raise ModerationError(_("This action cannot be undone."))
    if action.reversed_by_id is not None:
        raise ModerationError(_("This action has been undone already."))
    undo, pending = request(
        author=action.author, account=action.account, kind=REVERSAL[ActionKind(action.kind)], actor=actor,
        mention=action.mention, reason=reason,
    )  # fmt: skip
    if action.state == ActionState.PENDING:
        # Never carried out: it must not reach the network after its own reversal.
        ModerationAction.objects.filter(pk=action.pk, state=ActionState.PENDING).update(state=ActionState.CANCELLED)
    action.reversed_by = undo
    action.save(update_fields=["reversed_by"])
    return undo, pending


def _call(action: ModerationAction) -> PublishResult:
    from juru.publishing.services.publish import connector_for, credentials_for

    connector = connector_for(action.account)
    if not isinstance(connector, ModeratingConnector):
        return PublishResult(Outcome.REJECTED, reason=_("This network cannot hide comments or block authors."))
    credentials = credentials_for(action.account)
    if action.kind in (ActionKind.HIDE, ActionKind.UNHIDE):
        assert action.mention is not None
        return connector.hide(credentials, action.mention.remote_id, hidden=action.kind == ActionKind.HIDE)
    return connector.block(credentials, action.author.handle, blocked=action.kind == ActionKind.BLOCK)


def _claim(action_id: int) -> bool:
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = ModerationAction.objects.filter(due, pk=action_id, state=ActionState.PENDING).update(
        attempts=F("attempts") + 1, next_attempt_at=now + LEASE
    )
    return claimed == 1


def perform(action_id: int) -> ModerationAction | None:
    """Carry one pending action out on the network (None when another worker has it or it is not due)."""
    from juru.publishing.services.common import backoff

    if not _claim(action_id):
        return None
    action = ModerationAction.objects.select_related("account", "author", "mention", "organisation").get(pk=action_id)
    try:
        result = _call(action)
    except Exception as exc:  # noqa: BLE001 (an unexpected failure is a transient one: keep the retry)
        result = PublishResult(Outcome.FAILED, reason=str(exc) or type(exc).__name__)
    with transaction.atomic():
        locked = ModerationAction.objects.select_for_update().get(pk=action_id)
        if locked.state != ActionState.PENDING:
            return locked
        if result.ok:
            locked.state, locked.done_at, locked.error, locked.next_attempt_at = (
                ActionState.DONE,
                timezone.now(),
                "",
                None,
            )
        elif result.outcome in GIVE_UP:
            locked.state, locked.error, locked.next_attempt_at = ActionState.FAILED, result.reason[:500], None
        else:
            wait = timedelta(seconds=result.retry_after) if result.retry_after else backoff(locked.attempts)
            locked.error, locked.next_attempt_at = result.reason[:500], timezone.now() + wait
        locked.save(update_fields=["state", "done_at", "error", "next_attempt_at"])
        if locked.state != ActionState.PENDING:
            append(
                [
                    event(
                        f"moderation.action_{locked.state}", actor=None, organisation=locked.organisation,
                        obj=locked, summary=f"{locked.kind} @{action.author.handle}: {locked.error}"[:200],
                        after={"kind": locked.kind, "state": locked.state, "attempts": locked.attempts},
                    )
                ]
            )  # fmt: skip
    return locked


def retry(*, actor: Any, action: ModerationAction) -> ModerationAction:
    """Try a failed action again (after the account was reconnected, say)."""
    with transaction.atomic():
        locked = ModerationAction.objects.select_for_update().select_related("author").get(pk=action.pk)
        if locked.state != ActionState.FAILED:
            raise ModerationError(_("Only an action the network refused can be tried again."))
        locked.state, locked.next_attempt_at, locked.error = ActionState.PENDING, None, ""
        locked.save(update_fields=["state", "next_attempt_at", "error"])
        append(
            [
                event(
                    "moderation.action_retried", actor=actor, organisation=locked.organisation, obj=locked,
                    after={"kind": locked.kind},
                )
            ]
        )  # fmt: skip
        queue([locked])
    return locked


def due_action_ids(limit: int = 500) -> list[int]:
    """Pending actions whose back-off or lease has ended, oldest first."""
    now = timezone.now()
    due = ModerationAction.objects.filter(state=ActionState.PENDING).filter(
        Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(minutes=1)) | Q(next_attempt_at__lte=now)
    )
    return list(due.order_by("created_at").values_list("pk", flat=True)[:limit])
