"""API: conversations (list with filters, detail, assign, resolve, reopen, escalate, note) and routing rules.

Same services and checks as the pages: another organisation's objects are 404, actions a member may
not take are 403, refused input is 400 (RFC 9457 problems through ``juru.project.api_errors``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from juru.accounts import access
from juru.accounts.api_auth import api_member
from juru.accounts.models import BrandAccount, Member, Team
from juru.inbox import queries
from juru.inbox.exceptions import InboxError
from juru.inbox.models import Conversation, Priority, RoutingRule, Status
from juru.inbox.services import config, work

router = Router(tags=["inbox"])
MAX_LIMIT = 500


class ConversationOut(Schema):
    id: uuid.UUID
    network: str
    account: str | None
    kind: str
    author: str
    author_name: str
    team: str | None
    priority: str
    status: str
    due_at: datetime | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    breached: bool
    sentiment: str
    assignee: str | None
    tags: list[str]
    preview: str
    message_count: int
    opened_at: datetime
    last_message_at: datetime


class MessageOut(Schema):
    direction: str
    remote_id: str
    author: str
    text: str
    created_at: datetime


class EventOut(Schema):
    kind: str
    actor: str | None
    text: str
    created_at: datetime


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]
    events: list[EventOut]


class AssignIn(Schema):
    assignee: uuid.UUID | None = None


class EscalateIn(Schema):
    reason: str
    team: uuid.UUID | None = None
    member: uuid.UUID | None = None


class NoteIn(Schema):
    text: str


class NoteOut(Schema):
    id: uuid.UUID
    text: str
    created_at: datetime


class RuleIn(Schema):
    name: str
    is_active: bool = True
    words: str = ""
    sentiment: str = ""
    emotion: str = ""
    abusive: bool = False
    hate: bool = False
    language: str = ""
    network: str = ""
    account: uuid.UUID | None = None
    authors: str = ""
    team: uuid.UUID | None = None
    priority: str = ""
    tags: str = ""
    assignee: uuid.UUID | None = None


class RuleOut(Schema):
    id: uuid.UUID
    name: str
    position: int
    is_active: bool
    words: list[str]
    sentiment: str
    emotion: str
    abusive: bool
    hate: bool
    language: str
    network: str
    account: uuid.UUID | None
    authors: list[str]
    team: uuid.UUID | None
    priority: str
    tags: list[str]
    assignee: uuid.UUID | None


def team_slug(team: Team | None) -> str | None:
    return slugify(team.name) if team else None


def _out(c: Conversation) -> dict[str, Any]:
    return {
        "id": c.public_id, "network": c.network, "account": c.account.handle if c.account else None, "kind": c.kind,
        "author": c.author_handle, "author_name": c.shown_author, "team": team_slug(c.team), "priority": c.priority,
        "status": c.status, "due_at": c.due_at, "first_response_due_at": c.first_response_due_at,
        "resolution_due_at": c.resolution_due_at, "breached": c.breached, "sentiment": c.sentiment,
        "assignee": c.assignee.user.get_username() if c.assignee else None, "tags": c.tags, "preview": c.preview,
        "message_count": c.message_count, "opened_at": c.opened_at, "last_message_at": c.last_message_at,
    }  # fmt: skip


def _detail(c: Conversation) -> ConversationDetail:
    items = queries.thread(c)
    messages = [
        MessageOut(
            direction=m.direction, remote_id=m.remote_id,
            author=m.mention.author_handle if m.mention else (c.account.handle if c.account else ""),
            text=m.mention.text if m.mention else (m.post.body if m.post else ""), created_at=m.created_at,
        )
        for kind, _when, m in items
        if kind == "message"
    ]  # fmt: skip
    events = [
        EventOut(kind=e.kind, actor=e.actor.user.get_username() if e.actor else None, text=e.text,
                 created_at=e.created_at)
        for kind, _when, e in items
        if kind == "event"
    ]  # fmt: skip
    return ConversationDetail(**_out(c), messages=messages, events=events)


def _conversation(member: Member, conversation_id: uuid.UUID) -> Conversation:
    found = Conversation.objects.select_related("team", "assignee__user", "account", "organisation")
    return access.get_object_for_member(found, member, conversation_id)


def _workable(member: Member, conversation_id: uuid.UUID) -> Conversation:
    conversation = _conversation(member, conversation_id)
    if not queries.can_work(member, conversation):
        raise HttpError(403, _("Your role does not allow this action."))
    return conversation


def _refused(exc: InboxError) -> HttpError:
    return HttpError(400, exc.message)


@router.get("/conversations", response=list[ConversationOut], summary="Conversations, most urgent first")
def list_conversations(
    request: HttpRequest,
    status: str = "open",
    team: str = "",
    priority: str = "",
    assignee: str = "",
    breached: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    member = api_member(request)
    if status not in [*Status.values, "any"]:
        raise HttpError(400, _("status must be one of: %(values)s") % {"values": ", ".join([*Status.values, "any"])})
    if priority and priority not in Priority.values:
        raise HttpError(400, _("priority must be one of: %(values)s") % {"values": ", ".join(Priority.values)})
    found = queries.conversations(member, queries.Filters(status=status, priority=priority, breached=breached))
    if team:
        chosen = [t for t in queries.teams(member.organisation) if team in (slugify(t.name), str(t.public_id))]
        found = found.filter(team__in=chosen)
    if assignee == "none":
        found = found.filter(assignee__isnull=True)
    elif assignee:
        found = found.filter(assignee__user__username=assignee)
    limit = max(1, min(limit, MAX_LIMIT))
    return [_out(c) for c in found[max(offset, 0) : max(offset, 0) + limit]]


@router.get("/conversations/{conversation_id}", response=ConversationDetail, summary="One conversation and its thread")
def get_conversation(request: HttpRequest, conversation_id: uuid.UUID) -> ConversationDetail:
    return _detail(_conversation(api_member(request), conversation_id))


@router.post("/conversations/{conversation_id}/assign", response=ConversationOut, summary="Assign (or unassign)")
def assign(request: HttpRequest, conversation_id: uuid.UUID, body: AssignIn) -> dict[str, Any]:
    member = api_member(request)
    conversation = _workable(member, conversation_id)
    person = access.get_object_for_member(Member, member, body.assignee) if body.assignee else None
    try:
        return _out(work.assign(actor=member, conversation=conversation, assignee=person))
    except InboxError as exc:
        raise _refused(exc) from None


def _status(request: HttpRequest, conversation_id: uuid.UUID, status: str) -> dict[str, Any]:
    member = api_member(request)
    conversation = _workable(member, conversation_id)
    try:
        return _out(work.set_status(actor=member, conversation=conversation, status=status))
    except InboxError as exc:
        raise HttpError(409, exc.message) from None


@router.post("/conversations/{conversation_id}/resolve", response=ConversationOut, summary="Resolve (stops the clocks)")
def resolve(request: HttpRequest, conversation_id: uuid.UUID) -> dict[str, Any]:
    return _status(request, conversation_id, Status.RESOLVED)


@router.post("/conversations/{conversation_id}/reopen", response=ConversationOut, summary="Reopen")
def reopen(request: HttpRequest, conversation_id: uuid.UUID) -> dict[str, Any]:
    return _status(request, conversation_id, Status.OPEN)


@router.post("/conversations/{conversation_id}/pending", response=ConversationOut, summary="Wait for the customer")
def pending(request: HttpRequest, conversation_id: uuid.UUID) -> dict[str, Any]:
    return _status(request, conversation_id, Status.PENDING)


@router.post("/conversations/{conversation_id}/escalate", response=ConversationOut, summary="Escalate with a reason")
def escalate(request: HttpRequest, conversation_id: uuid.UUID, body: EscalateIn) -> dict[str, Any]:
    member = api_member(request)
    conversation = _workable(member, conversation_id)
    team = access.get_object_for_member(Team, member, body.team) if body.team else None
    person = access.get_object_for_member(Member, member, body.member) if body.member else None
    try:
        return _out(
            work.escalate(actor=member, conversation=conversation, reason=body.reason, team=team, member=person)
        )
    except InboxError as exc:
        raise _refused(exc) from None


@router.post("/conversations/{conversation_id}/notes", response={201: NoteOut}, summary="Add an internal note")
def note(request: HttpRequest, conversation_id: uuid.UUID, body: NoteIn) -> HttpStatus:
    member = api_member(request)
    conversation = _workable(member, conversation_id)
    try:
        event = work.add_note(actor=member, conversation=conversation, text=body.text)
    except InboxError as exc:
        raise _refused(exc) from None
    return HttpStatus(201, NoteOut(id=event.public_id, text=event.text, created_at=event.created_at))


# --------------------------------------------------------------------------- routing rules


def _rule_out(rule: RoutingRule) -> RuleOut:
    return RuleOut(
        id=rule.public_id, name=rule.name, position=rule.position, is_active=rule.is_active,
        words=[w.strip() for w in rule.words.splitlines() if w.strip()], sentiment=rule.sentiment,
        emotion=rule.emotion, abusive=rule.abusive, hate=rule.hate, language=rule.language, network=rule.network,
        account=rule.account.public_id if rule.account else None,
        authors=[a.strip() for a in rule.authors.splitlines() if a.strip()],
        team=rule.team.public_id if rule.team else None, priority=rule.priority, tags=rule.tag_list,
        assignee=rule.assignee.public_id if rule.assignee else None,
    )  # fmt: skip


def _configurer(request: HttpRequest) -> Member:
    member = api_member(request)
    if not queries.can_configure(member):
        raise HttpError(403, _("Your role does not allow this action."))
    return member


def _rule_values(member: Member, body: RuleIn) -> dict[str, Any]:
    values = body.dict()
    values["account"] = access.get_object_for_member(BrandAccount, member, body.account) if body.account else None
    values["team"] = access.get_object_for_member(Team, member, body.team) if body.team else None
    values["assignee"] = access.get_object_for_member(Member, member, body.assignee) if body.assignee else None
    return values


@router.get("/routing-rules", response=list[RuleOut], summary="Routing rules in the order they are tried")
def list_rules(request: HttpRequest) -> list[RuleOut]:
    rules = RoutingRule.objects.filter(organisation=api_member(request).organisation)
    return [_rule_out(r) for r in rules.select_related("account", "team", "assignee")]


@router.post("/routing-rules", response={201: RuleOut}, summary="Create a routing rule (tried after the others)")
def create_rule(request: HttpRequest, body: RuleIn) -> HttpStatus:
    member = _configurer(request)
    try:
        rule = config.create_rule(actor=member.user, organisation=member.organisation, **_rule_values(member, body))
    except InboxError as exc:
        raise _refused(exc) from None
    return HttpStatus(201, _rule_out(rule))


@router.get("/routing-rules/{rule_id}", response=RuleOut, summary="One routing rule")
def get_rule(request: HttpRequest, rule_id: uuid.UUID) -> RuleOut:
    return _rule_out(access.get_object_for_member(RoutingRule, api_member(request), rule_id))


@router.put("/routing-rules/{rule_id}", response=RuleOut, summary="Change a routing rule")
def update_rule(request: HttpRequest, rule_id: uuid.UUID, body: RuleIn) -> RuleOut:
    member = api_member(request)
    rule = access.get_object_for_member(RoutingRule, member, rule_id)
    _configurer(request)
    try:
        return _rule_out(config.update_rule(actor=member.user, rule=rule, **_rule_values(member, body)))
    except InboxError as exc:
        raise _refused(exc) from None


@router.delete("/routing-rules/{rule_id}", response={204: None}, summary="Remove a routing rule")
def delete_rule(request: HttpRequest, rule_id: uuid.UUID) -> HttpStatus:
    member = api_member(request)
    rule = access.get_object_for_member(RoutingRule, member, rule_id)
    _configurer(request)
    config.delete_rule(actor=member.user, rule=rule)
    return HttpStatus(204, None)
