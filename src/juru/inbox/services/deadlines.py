"""Raising response-time warnings and breaches when they come due, as timeline events and in-app notices."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from juru.accounts.models import Member, Role, TeamMembership
from juru.inbox import sla
from juru.inbox.models import Conversation, ConversationEvent, EventKind, Notification

SWEEP_LIMIT = 500
# Stored untranslated (English msgids) and translated when shown, in the reader's language.
NOTICE_TEXT: dict[tuple[str, str], str] = {
    (EventKind.WARNING, "first_response"): gettext_noop("First response due soon"),
    (EventKind.WARNING, "resolution"): gettext_noop("Resolution due soon"),
    (EventKind.BREACH, "first_response"): gettext_noop("First response target missed"),
    (EventKind.BREACH, "resolution"): gettext_noop("Resolution target missed"),
}


def recipients(conversation: Conversation) -> list[int]:
    """Who hears about a conversation: its assignee, else its team, else the owners and administrators."""
    if conversation.assignee_id:
        return [conversation.assignee_id]
    if conversation.team_id:
        team = list(TeamMembership.objects.filter(team_id=conversation.team_id).values_list("member_id", flat=True))
        if team:
            return team
    return list(
        Member.objects.filter(
            organisation_id=conversation.organisation_id, is_active=True, role__in=[Role.OWNER, Role.ADMIN]
        ).values_list("pk", flat=True)
    )


def notify(conversation: Conversation, kind: str, text: str, member_ids: list[int]) -> None:
    """In-app notices for these members."""
    Notification.objects.bulk_create(
        [
            Notification(
                organisation_id=conversation.organisation_id, member_id=m, conversation=conversation, kind=kind,
                text=text,
            )
            for m in dict.fromkeys(member_ids)
        ]
    )  # fmt: skip


def raise_due(organisation_id: int, now: datetime | None = None) -> int:
    """Raise every warning and breach of the organisation whose moment has passed; returns how many."""
    now = now or timezone.now()
    raised = 0
    with transaction.atomic():
        due = list(
            Conversation.objects.select_for_update(skip_locked=True)
            .select_related("organisation")
            .filter(organisation_id=organisation_id, next_check_at__lte=now)
            .order_by("next_check_at")[:SWEEP_LIMIT]
        )
        if not due:
            return 0
        clock = sla.clock_for(due[0].organisation, now)
        for conversation in due:
            raised += _raise(conversation, now, clock)
    return raised


def _raise(conversation: Conversation, now: datetime, clock: sla.Clock) -> int:
    found = sla.due_now(conversation, now, clock)
    conversation.save(
        update_fields=["first_response_warned", "first_response_breached", "resolution_warned",
                       "resolution_breached", "due_at", "next_check_at"]
    )  # fmt: skip
    if not found:
        return 0
    people = recipients(conversation)
    for kind, target in found:
        text = NOTICE_TEXT[(kind, target)]
        ConversationEvent.objects.create(
            organisation_id=conversation.organisation_id, conversation=conversation, kind=kind, text=text,
            data={"target": target},
        )  # fmt: skip
        notify(conversation, kind, text, people)
    return len(found)


def organisations_with_due(now: datetime | None = None) -> list[int]:
    """Organisations with a warning or breach to raise (read through the partial index on next_check_at)."""
    now = now or timezone.now()
    return list(
        Conversation.objects.filter(next_check_at__lte=now).values_list("organisation_id", flat=True).distinct()
    )
