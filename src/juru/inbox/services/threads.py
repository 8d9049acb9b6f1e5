"""Conversations from stored mentions, and replies published through Juru recorded in them.

Threading: a message whose ``in_reply_to`` is a message we know joins that message's conversation;
any other message opens one (direct messages: one conversation per author and account). A reply
that arrives before its parent opens a conversation that remembers the parent's id
(``awaiting_parent``); when the parent arrives, that conversation is merged into the parent's.

Everything runs in the ingesting transaction, in bulk: a fixed number of queries per batch of
mentions whatever its size (lookups in chunks of ``CHUNK``), so a burst of tens of thousands of
comments is stored in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from juru.accounts.models import Organisation, TeamKind
from juru.inbox import sla
from juru.inbox.assignment import Allocator
from juru.inbox.models import Conversation, ConversationEvent, Direction, EventKind, Message, RoutingRule, Status
from juru.inbox.routing import Facts, Router
from juru.listening.models import Mention
from juru.project.bulk import insert_objects, insert_rows

CHUNK = 1000
DIRECT_KINDS = frozenset({"dm", "direct", "message", "direct_message"})
PREVIEW = 280


@dataclass
class _Batch:
    """Conversations touched by one batch: new ones (in arrival order) and known ones by id."""

    new: list[Conversation] = field(default_factory=list)
    known: dict[int, Conversation] = field(default_factory=dict)
    by_remote: dict[str, Conversation] = field(default_factory=dict)
    messages: list[tuple[Conversation, Mention]] = field(default_factory=list)


def _chunks(values: Sequence[str]) -> list[list[str]]:
    return [list(values[i : i + CHUNK]) for i in range(0, len(values), CHUNK)]


def _thread_key(mention: Mention) -> str:
    if mention.kind in DIRECT_KINDS:
        return f"dm:{mention.account_id}:{mention.author_handle}"[:220]
    return mention.remote_id


def build_conversations(organisation: Organisation, mentions: Sequence[Mention]) -> list[Conversation]:
    """Thread, route, assign and start the clocks of new mentions on owned accounts; returns new conversations."""
    owned = [m for m in mentions if m.account_id is not None]
    if not owned:
        return []
    now = timezone.now()
    network = owned[0].network
    batch = _Batch()
    parents = _known_parents(organisation, network, owned, batch)
    for mention in owned:
        conversation = _place(organisation, mention, parents, batch)
        batch.by_remote[mention.remote_id] = conversation
        batch.messages.append((conversation, mention))
    clock = sla.clock_for(organisation, now)
    _route_new(organisation, batch.new, now, clock)
    _update_known(batch, clock, now)
    insert_objects(batch.new)
    _save_messages(organisation, batch)
    _merge_orphans(organisation, network, batch)
    _schedule(batch.new + list(batch.known.values()))
    return batch.new


def _known_parents(
    organisation: Organisation, network: str, mentions: Sequence[Mention], batch: _Batch
) -> dict[str, Conversation]:
    """Conversations of already stored messages (and DM threads) these mentions continue."""
    wanted = sorted({m.in_reply_to for m in mentions if m.in_reply_to})
    found: dict[str, int] = {}
    for part in _chunks(wanted):
        found.update(
            Message.objects.filter(organisation=organisation, network=network, remote_id__in=part).values_list(
                "remote_id", "conversation_id"
            )
        )
    direct = sorted({_thread_key(m) for m in mentions if m.kind in DIRECT_KINDS})
    threads: dict[str, int] = {}
    for part in _chunks(direct):
        threads.update(
            Conversation.objects.filter(organisation=organisation, network=network, thread_key__in=part).values_list(
                "thread_key", "pk"
            )
        )
    ids = set(found.values()) | set(threads.values())
    for part in _chunks(sorted(ids)):  # type: ignore[arg-type]
        for conversation in Conversation.objects.filter(pk__in=part):
            batch.known[conversation.pk] = conversation
    parents = {remote: batch.known[pk] for remote, pk in found.items()}
    parents.update({key: batch.known[pk] for key, pk in threads.items()})
    return parents


def _place(
    organisation: Organisation, mention: Mention, parents: dict[str, Conversation], batch: _Batch
) -> Conversation:
    """The conversation a mention belongs to (a new one when it continues nothing we know)."""
    if mention.kind in DIRECT_KINDS:
        key = _thread_key(mention)
        existing = parents.get(key) or next((c for c in batch.new if c.thread_key == key), None)
    else:
        parent = mention.in_reply_to
        existing = (batch.by_remote.get(parent) or parents.get(parent)) if parent else None
    if existing is not None:
        _touch(existing, mention)
        return existing
    conversation = Conversation(
        organisation=organisation, account_id=mention.account_id, network=mention.network, kind=mention.kind,
        thread_key=_thread_key(mention),
        awaiting_parent=mention.in_reply_to[:200] if mention.kind not in DIRECT_KINDS else "",
        author_handle=mention.author_handle, author_name=mention.author_name, opened_at=mention.created_at,
        last_message_at=mention.created_at, lang=mention.lang, sentiment=mention.sentiment,
        preview=mention.text[:PREVIEW], message_count=1,
    )  # fmt: skip
    conversation._opener = mention  # type: ignore[attr-defined]  # routing reads the opening message
    batch.new.append(conversation)
    return conversation


def _touch(conversation: Conversation, mention: Mention) -> None:
    """A further message: newest preview, the author's newest name, and a new message count."""
    conversation.message_count += 1
    if mention.created_at >= conversation.last_message_at:
        conversation.last_message_at = mention.created_at
        conversation.preview = mention.text[:PREVIEW]
        conversation.sentiment = mention.sentiment or conversation.sentiment
        if mention.author_handle == conversation.author_handle and mention.author_name:
            conversation.author_name = mention.author_name  # renamed mid-conversation: show the newest name
    conversation._woken_at = mention.created_at  # type: ignore[attr-defined]


def _route_new(organisation: Organisation, new: list[Conversation], now: datetime, clock: sla.Clock) -> None:
    """Rules, then the crisis override, then automatic assignment (oldest first), then the clocks."""
    if not new:
        return
    config = sla.inbox_settings(organisation)
    router = Router(
        list(RoutingRule.objects.filter(organisation=organisation, is_active=True)),
        default_team_id=config.default_team_id,
        crisis_team_id=crisis_team_id(organisation),
        crisis_active=organisation.crisis_active,
    )
    routes = []
    for conversation in new:
        opener: Mention = conversation._opener  # type: ignore[attr-defined]
        route = router.route(
            Facts(
                text=opener.text, sentiment=opener.sentiment, emotion=opener.emotion, abusive=opener.abusive,
                hate=opener.hate, lang=opener.lang, network=opener.network, account_id=opener.account_id,
                author_handle=opener.author_handle,
            )
        )  # fmt: skip
        conversation.team_id, conversation.priority, conversation.tags = route.team_id, route.priority, route.tags
        conversation.assignee_id, conversation.rule_id = route.assignee_id, route.rule_id
        conversation.routed_to_crisis = route.crisis
        routes.append(route)
    allocator = Allocator(organisation, {c.team_id for c in new if c.assignee_id is None and c.team_id}, now,
                          config.offline_after_minutes)  # fmt: skip
    for conversation in sorted(new, key=lambda c: c.opened_at):
        if conversation.assignee_id is None:
            conversation.assignee_id = allocator.pick(conversation.team_id)
        sla.start(conversation, conversation.opened_at, clock)
    allocator.save()


def crisis_team_id(organisation: Organisation) -> int | None:
    """The organisation's crisis team (the first by name when there are several)."""
    team = organisation.teams.filter(kind=TeamKind.CRISIS).order_by("name").values_list("pk", flat=True).first()
    return team


def _update_known(batch: _Batch, clock: sla.Clock, now: datetime) -> None:
    """Known conversations got messages: reopen the resolved, resume the pending, then save."""
    touched = [c for c in batch.known.values() if hasattr(c, "_woken_at")]
    for conversation in touched:
        woken: datetime = conversation._woken_at  # type: ignore[attr-defined]
        if conversation.status == Status.RESOLVED:
            conversation.status = Status.OPEN
            sla.start(conversation, woken, clock)
        elif conversation.status == Status.PENDING:
            conversation.status = Status.OPEN
            sla.resume(conversation, now, clock)
            sla.settle(conversation, clock)
    fields = [
        "message_count", "last_message_at", "preview", "sentiment", "author_name", "status", "clock_started_at",
        "first_response_due_at", "first_responded_at", "resolution_due_at", "resolved_at", "due_at",
        "next_check_at", "paused_at", "first_response_left", "resolution_left", "first_response_warned",
        "first_response_breached", "resolution_warned", "resolution_breached",
    ]  # fmt: skip
    Conversation.objects.bulk_update(touched, fields, batch_size=CHUNK)


def _save_messages(organisation: Organisation, batch: _Batch) -> None:
    """Plain rows, not model instances: those would cost more than the database work."""
    columns = ("organisation_id", "conversation_id", "direction", "network", "remote_id", "in_reply_to",
               "mention_id", "created_at")  # fmt: skip
    moment = connection.ops.adapt_datetimefield_value
    rows = [
        (organisation.pk, conversation.pk, Direction.INBOUND.value, mention.network, mention.remote_id,
         mention.in_reply_to, mention.pk, moment(mention.created_at))
        for conversation, mention in batch.messages
    ]  # fmt: skip
    insert_rows(Message, columns, rows, ignore_conflicts=True)  # a message delivered twice is stored once


def _merge_orphans(organisation: Organisation, network: str, batch: _Batch) -> None:
    """Replies stored before their parent: move them into the parent's conversation now it is here."""
    in_batch = {c.pk for c in batch.by_remote.values()}
    for part in _chunks(sorted(batch.by_remote)):
        orphans = Conversation.objects.filter(organisation=organisation, network=network, awaiting_parent__in=part)
        for orphan in orphans:
            if orphan.pk not in in_batch:
                merge(orphan, into=batch.by_remote[orphan.awaiting_parent])


def merge(orphan: Conversation, *, into: Conversation) -> None:
    """Move a conversation's messages, events and notices into another and drop it."""
    if orphan.pk == into.pk:
        return
    Message.objects.filter(conversation=orphan).update(conversation=into)
    ConversationEvent.objects.filter(conversation=orphan).update(conversation=into)
    orphan.notifications.update(conversation=into)
    into.message_count += orphan.message_count
    if orphan.last_message_at > into.last_message_at:
        into.last_message_at, into.preview = orphan.last_message_at, orphan.preview
    if orphan.tags:
        into.tags = list(dict.fromkeys([*into.tags, *orphan.tags]))
    into.save(update_fields=["message_count", "last_message_at", "preview", "tags"])
    orphan.delete()


def _schedule(conversations: list[Conversation]) -> None:
    """Ask for the warnings and breaches at their moments, once per distinct minute (after commit)."""
    from juru.inbox.tasks import schedule_checks

    moments = {c.next_check_at for c in conversations if c.next_check_at is not None}
    if moments and conversations:
        org_id = conversations[0].organisation_id
        transaction.on_commit(lambda: schedule_checks(org_id, moments))


# --------------------------------------------------------------------------- replies sent through Juru


def record_reply(post: Any, events: list[Any]) -> Conversation | None:
    """A published post that answers a message of a conversation: record it and stop the first-response clock."""
    if not post.reply_to:
        return None
    network = post.account.network
    parent = (
        Message.objects.select_related("conversation")
        .filter(organisation_id=post.organisation_id, network=network, remote_id=post.reply_to)
        .first()
    )
    if parent is None:
        return None
    conversation = Conversation.objects.select_for_update().get(pk=parent.conversation_id)
    moment = post.published_at or timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                organisation_id=post.organisation_id, conversation=conversation, direction=Direction.OUTBOUND,
                network=network, remote_id=post.remote_id or f"post:{post.public_id}", in_reply_to=post.reply_to,
                post=post, created_at=moment,
            )
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    conversation.message_count += 1
    conversation.last_message_at = max(conversation.last_message_at, moment)
    if conversation.first_responded_at is None:
        conversation.first_responded_at = moment
    sla.settle(conversation, sla.clock_for(conversation.organisation, moment))
    conversation.save()
    ConversationEvent.objects.create(
        organisation_id=post.organisation_id, conversation=conversation, kind=EventKind.REPLIED,
        data={"post": str(post.public_id)},
    )  # fmt: skip
    return conversation
