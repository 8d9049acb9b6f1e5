"""What the moderation services share: the policy row, the audit event shape, queueing network actions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from juru.accounts.models import Organisation
from juru.audit.services import PendingEvent, prepare
from juru.moderation.models import ModerationAction, ModerationPolicy

AUTOMATIC = "juru"  # the actor label of what the policy did by itself


def policy_for(organisation: Organisation) -> ModerationPolicy:
    """The organisation's moderation policy (created with the defaults on first use)."""
    found, _created = ModerationPolicy.objects.get_or_create(organisation=organisation)
    return found


def event(
    action: str,
    *,
    actor: Any,
    organisation: Organisation,
    obj: Any,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> PendingEvent:
    """An audit event of moderation; without an actor it is the policy acting (shown as Juru)."""
    return prepare(
        action=action, actor=actor, organisation=organisation, obj=obj, summary=summary, before=before,
        after=after, actor_label=None if actor is not None else AUTOMATIC,
    )  # fmt: skip


def queue(actions: list[ModerationAction]) -> None:
    """Carry the actions out on the network once the deciding transaction has committed."""
    if not actions:
        return
    from juru.moderation import tasks

    ids = [action.pk for action in actions]
    transaction.on_commit(lambda: [tasks.perform_action.delay(pk) for pk in ids])
