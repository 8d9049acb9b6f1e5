"""Work on conversations: assign, change status or priority, tag, note, escalate; availability.

Each action changes the conversation, writes its event into the thread, and appends one audit
event last in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from juru.accounts.models import Member, Team, TeamMembership
from juru.audit.services import record
from juru.inbox import sla
from juru.inbox.assignment import Allocator
from juru.inbox.exceptions import InboxError
from juru.inbox.models import (
    Availability,
    Conversation,
    ConversationEvent,
    EventKind,
    Presence,
    Priority,
    Status,
    split_tags,
)
from juru.inbox.services.deadlines import notify

MAX_NOTE = 5000
MAX_REASON = 1000
BACKLOG_BATCH = 200
SEEN_EVERY = 60  # seconds: activity is written at most once a minute per member


def _locked(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().select_related("organisation").get(pk=conversation.pk)


def _event(conversation: Conversation, kind: str, actor: Member | None, text: str = "", **data: Any) -> None:
    ConversationEvent.objects.create(
        organisation_id=conversation.organisation_id, conversation=conversation, kind=kind, actor=actor, text=text,
        data=data,
    )  # fmt: skip


def _audit(
    action: str, actor: Member, conversation: Conversation, before: dict[str, Any], after: dict[str, Any]
) -> None:
    record(
        action=action, actor=actor.user, organisation=conversation.organisation, obj=conversation, before=before,
        after=after, summary=f"{conversation.network} @{conversation.author_handle}",
    )  # fmt: skip


def _member_of(conversation: Conversation, member: Member | None) -> Member | None:
    if member is not None and (member.organisation_id != conversation.organisation_id or not member.is_active):
        raise InboxError(_("Choose an active member of this organisation."))
    return member


def assign(*, actor: Member, conversation: Conversation, assignee: Member | None) -> Conversation:
    """Give the conversation to a member (or to nobody)."""
    _member_of(conversation, assignee)
    with transaction.atomic():
        locked = _locked(conversation)
        before = {"assignee": locked.assignee.display_name if locked.assignee else None}
        if locked.assignee_id == (assignee.pk if assignee else None):
            raise InboxError(_("The conversation is assigned to this person already."))
        locked.assignee = assignee
        locked.save(update_fields=["assignee"])
        name = assignee.display_name if assignee else ""
        _event(locked, EventKind.ASSIGNED, actor, name, assignee=str(assignee.public_id) if assignee else None)
        if assignee is not None and assignee.pk != actor.pk:
            notify(locked, EventKind.ASSIGNED, gettext_noop("Assigned to you"), [assignee.pk])
        _audit("inbox.assigned", actor, locked, before, {"assignee": name or None})
    return locked


def set_status(*, actor: Member, conversation: Conversation, status: str) -> Conversation:
    """Open, pending (clocks paused) or resolved (clocks stopped)."""
    if status not in Status.values:
        raise InboxError(_("Choose open, pending or resolved."))
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(conversation)
        before = locked.status
        if before == status:
            raise InboxError(_("The conversation has this status already."))
        clock = sla.clock_for(locked.organisation, now)
        if status == Status.PENDING:
            sla.pause(locked, now, clock)
        elif status == Status.RESOLVED:
            locked.resolved_at = now
        elif before == Status.PENDING:
            sla.resume(locked, now, clock)
        else:
            sla.start(locked, now, clock)  # reopened after resolving: fresh clocks
        locked.status = status
        sla.settle(locked, clock)
        locked.save()
        _event(locked, EventKind.STATUS, actor, status, before=before)
        _audit("inbox.status_changed", actor, locked, {"status": before}, {"status": status})
    team_id = locked.team_id
    if status == Status.RESOLVED and team_id:
        transaction.on_commit(lambda: assign_backlog(locked.organisation, [team_id]))
    _schedule(locked)
    return locked


def set_priority(*, actor: Member, conversation: Conversation, priority: str) -> Conversation:
    """A new priority; due times follow its targets, counted from when the clocks started."""
    if priority not in Priority.values:
        raise InboxError(_("Choose urgent, high, normal or low."))
    with transaction.atomic():
        locked = _locked(conversation)
        before = locked.priority
        if before == priority:
            raise InboxError(_("The conversation has this priority already."))
        locked.priority = priority
        sla.restart_for_priority(locked, sla.clock_for(locked.organisation, timezone.now()))
        locked.save()
        _event(locked, EventKind.PRIORITY, actor, priority, before=before)
        _audit("inbox.priority_changed", actor, locked, {"priority": before}, {"priority": priority})
    _schedule(locked)
    return locked


def set_tags(*, actor: Member, conversation: Conversation, tags: str) -> Conversation:
    """Replace the conversation's tags (comma-separated)."""
    wanted = split_tags(tags)
    if len(wanted) > 20:
        raise InboxError(_("A conversation takes at most 20 tags."))
    with transaction.atomic():
        locked = _locked(conversation)
        before = list(locked.tags)
        locked.tags = wanted
        locked.save(update_fields=["tags"])
        _event(locked, EventKind.TAGS, actor, ", ".join(wanted))
        _audit("inbox.tags_changed", actor, locked, {"tags": before}, {"tags": wanted})
    return locked


def add_note(*, actor: Member, conversation: Conversation, text: str) -> ConversationEvent:
    """An internal note in the thread (never sent to the public)."""
    text = text.strip()
    if not text:
        raise InboxError(_("Write the note first."))
    if len(text) > MAX_NOTE:
        raise InboxError(_("A note takes at most %(count)d characters.") % {"count": MAX_NOTE})
    with transaction.atomic():
        locked = _locked(conversation)
        note = ConversationEvent.objects.create(
            organisation_id=locked.organisation_id, conversation=locked, kind=EventKind.NOTE, actor=actor, text=text
        )
        _audit("inbox.note_added", actor, locked, {}, {"note": str(note.public_id), "length": len(text)})
    return note


def escalate(
    *, actor: Member, conversation: Conversation, reason: str, team: Team | None = None, member: Member | None = None
) -> Conversation:
    """Hand the conversation to a more qualified team or person, with the reason (shown in the thread)."""
    reason = reason.strip()
    if not reason:
        raise InboxError(_("Say why the conversation is escalated."))
    if len(reason) > MAX_REASON:
        raise InboxError(_("A reason takes at most %(count)d characters.") % {"count": MAX_REASON})
    if team is None and member is None:
        raise InboxError(_("Choose the team or the person to escalate to."))
    if team is not None and team.organisation_id != conversation.organisation_id:
        raise InboxError(_("Choose a team of this organisation."))
    _member_of(conversation, member)
    with transaction.atomic():
        locked = _locked(conversation)
        before = {"team": locked.team.name if locked.team else None,
                  "assignee": locked.assignee.display_name if locked.assignee else None}  # fmt: skip
        if team is not None:
            locked.team = team
        locked.assignee = member
        locked.save(update_fields=["team", "assignee"])
        after = {"team": locked.team.name if locked.team else None, "assignee": member.display_name if member else None,
                 "reason": reason}  # fmt: skip
        _event(locked, EventKind.ESCALATED, actor, reason, team=after["team"], assignee=after["assignee"])
        people = [member.pk] if member else _team_members(locked.team_id)
        notify(locked, EventKind.ESCALATED, reason[:300], [p for p in people if p != actor.pk])
        _audit("inbox.escalated", actor, locked, before, after)
    return locked


def _team_members(team_id: int | None) -> list[int]:
    if not team_id:
        return []
    return list(TeamMembership.objects.filter(team_id=team_id).values_list("member_id", flat=True))


def _schedule(conversation: Conversation) -> None:
    from juru.inbox.tasks import schedule_checks

    if conversation.next_check_at is not None:
        moment = conversation.next_check_at
        transaction.on_commit(lambda: schedule_checks(conversation.organisation_id, [moment]))


# --------------------------------------------------------------------------- availability and backlog


def availability_of(member: Member) -> Availability:
    found, _created = Availability.objects.get_or_create(member=member)
    return found


def touch(member: Member) -> Availability:
    """The member is active now (written at most once a minute); coming back online hands out the backlog.

    Returns the member's availability, so a page showing it need not read it again.
    """
    now = timezone.now()
    current = availability_of(member)
    if current.last_seen_at and (now - current.last_seen_at).total_seconds() < SEEN_EVERY:
        return current
    config = sla.inbox_settings(member.organisation)
    was_offline = current.last_seen_at is None or (now - current.last_seen_at).total_seconds() > (
        config.offline_after_minutes * 60
    )
    Availability.objects.filter(pk=current.pk).update(last_seen_at=now)
    current.last_seen_at = now
    if was_offline and current.status == Presence.ONLINE:
        assign_backlog(member.organisation, _teams_of(member))
    return current


def set_availability(*, member: Member, status: str) -> Availability:
    """Online (takes new conversations) or away."""
    if status not in Presence.values:
        raise InboxError(_("Choose online or away."))
    current = availability_of(member)
    current.status = status
    current.last_seen_at = timezone.now()
    current.save(update_fields=["status", "last_seen_at"])
    if status == Presence.ONLINE:
        assign_backlog(member.organisation, _teams_of(member))
    return current


def _teams_of(member: Member) -> list[int]:
    return list(TeamMembership.objects.filter(member=member).values_list("team_id", flat=True))


def assign_backlog(organisation: Any, team_ids: Iterable[int]) -> int:
    """Hand out the teams' unassigned open conversations, oldest first, to members online with room."""
    team_ids = [t for t in team_ids if t]
    if not team_ids:
        return 0
    now = timezone.now()
    config = sla.inbox_settings(organisation)
    given = 0
    with transaction.atomic():
        allocator = Allocator(organisation, team_ids, now, config.offline_after_minutes)
        waiting = (
            Conversation.objects.select_for_update(skip_locked=True)
            .filter(organisation=organisation, team_id__in=team_ids, status=Status.OPEN, assignee__isnull=True)
            .order_by("opened_at", "pk")[:BACKLOG_BATCH]
        )
        changed = []
        for conversation in waiting:
            chosen = allocator.pick(conversation.team_id)
            if chosen is not None:
                conversation.assignee_id = chosen
                changed.append(conversation)
        Conversation.objects.bulk_update(changed, ["assignee"])
        allocator.save()
        given = len(changed)
    return given
