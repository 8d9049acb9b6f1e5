"""Reads of the inbox: the filtered list, one thread, the author's history, who may work on what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from juru.accounts import access
from juru.accounts.models import Grant, Member, OrgAction, Organisation, Permission, Team, TeamMembership
from juru.inbox.models import Conversation, ConversationEvent, Message, Notification, Priority, Status
from juru.listening.models import Mention

VIEWS = ("all", "mine", "team", "unassigned")
# What a row of the list shows (templates inbox/list.html, _due.html, _priority.html): the rest of a
# conversation (clocks, routing, thread keys) is left in the database.
LIST_FIELDS = (
    "public_id", "organisation_id", "account__handle", "network", "author_handle", "author_name", "preview", "tags",
    "message_count", "priority", "status", "team__name", "assignee", "due_at", "resolution_due_at",
    "first_response_breached", "resolution_breached", "opened_at", "last_message_at",
)  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """What the list shows: a view (all, mine, my teams, unassigned), status, priority, team, breached."""

    view: str = "all"
    status: str = Status.OPEN
    priority: str = ""
    team: Team | None = None
    breached: bool = False

    def as_params(self) -> dict[str, str]:
        params = {"view": self.view, "status": self.status, "priority": self.priority}
        params |= {"team": str(self.team.public_id) if self.team else "", "breached": "1" if self.breached else ""}
        return {key: value for key, value in params.items() if value}


def parse_filters(organisation: Organisation, params: Mapping[str, str]) -> Filters:
    """Filters from a query string; unknown values fall back to the defaults."""
    view = params.get("view", "all")
    status = params.get("status", Status.OPEN)
    priority = params.get("priority", "")
    team = None
    if params.get("team"):
        team = Team.objects.filter(organisation=organisation, public_id=_uuid(params["team"])).first()
    return Filters(
        view=view if view in VIEWS else "all",
        status=status if status in [*Status.values, "any"] else Status.OPEN,
        priority=priority if priority in Priority.values else "",
        team=team,
        breached=params.get("breached") in ("1", "true", "on"),
    )


def _uuid(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def conversations(member: Member, filters: Filters) -> QuerySet[Conversation]:
    """The member's organisation's conversations matching the filters, most urgent due time first."""
    found = Conversation.objects.filter(organisation=member.organisation)
    if filters.status != "any":
        found = found.filter(status=filters.status)
    if filters.view == "mine":
        found = found.filter(assignee=member)
    elif filters.view == "team":
        found = found.filter(team_id__in=TeamMembership.objects.filter(member=member).values("team_id"))
    elif filters.view == "unassigned":
        found = found.filter(assignee__isnull=True)
    if filters.priority:
        found = found.filter(priority=filters.priority)
    if filters.team is not None:
        found = found.filter(team=filters.team)
    if filters.breached:
        found = found.filter(Q(first_response_breached=True) | Q(resolution_breached=True))
    # The same columns as the indexes, so the database reads the first page in index order.
    order = ["due_at", "opened_at"] if filters.status == Status.OPEN else ["-last_message_at"]
    return found.select_related("team", "assignee__user", "account").order_by(*order)


def due_state(conversation: Conversation, warning_minutes: int, now: datetime) -> str:
    """ "breached", "warning" (within the warning lead time), "ok", or "" when no clock runs."""
    if conversation.breached:
        return "breached"
    due = conversation.due_at
    if due is None:
        return ""
    left = (due - now).total_seconds() / 60
    return "warning" if left <= warning_minutes else "ok"


def page_of(found: QuerySet[Conversation], page: int, size: int = 50) -> tuple[list[Conversation], bool]:
    """One page of the list (its columns only) and whether another follows (no COUNT over the whole inbox)."""
    start = (max(page, 1) - 1) * size
    rows = list(found.only(*LIST_FIELDS)[start : start + size + 1])
    return rows[:size], len(rows) > size


def thread(conversation: Conversation) -> list[Any]:
    """Messages and events of a conversation in time order, each tagged with what it is."""
    messages = list(
        Message.objects.filter(conversation=conversation)
        .select_related("mention", "post__draft")
        .order_by("created_at")
    )
    events = list(ConversationEvent.objects.filter(conversation=conversation).select_related("actor__user"))
    items = [("message", m.created_at, m) for m in messages] + [("event", e.created_at, e) for e in events]
    return [item for item in sorted(items, key=lambda item: item[1])]


def latest_inbound(conversation: Conversation) -> Mention | None:
    """The newest message from the public (what a reply answers)."""
    message = (
        Message.objects.filter(conversation=conversation, mention__isnull=False)
        .select_related("mention")
        .order_by("-created_at")
        .first()
    )
    return message.mention if message else None


def author_conversations(conversation: Conversation, limit: int = 10) -> list[Conversation]:
    """The author's other conversations on this network, newest first."""
    return list(
        Conversation.objects.filter(
            organisation_id=conversation.organisation_id, network=conversation.network,
            author_handle=conversation.author_handle,
        )
        .exclude(pk=conversation.pk)
        .order_by("-last_message_at")[:limit]
    )  # fmt: skip


def author_mentions(conversation: Conversation, limit: int = 10) -> list[Mention]:
    """What the author said elsewhere (mentions outside this conversation), newest first."""
    return list(
        Mention.objects.filter(
            organisation_id=conversation.organisation_id, network=conversation.network,
            author_handle=conversation.author_handle,
        )
        .exclude(inbox_message__conversation=conversation)
        .order_by("-created_at")[:limit]
    )  # fmt: skip


def can_configure(member: Member) -> bool:
    """Routing rules, business hours and targets are set by those who manage teams."""
    return access.role_can(member, OrgAction.MANAGE_TEAMS)


def can_work(member: Member, conversation: Conversation) -> bool:
    """Owners, administrators, the team and the assignee, and whoever may reply on or moderate the account."""
    if access.role_can(member, OrgAction.MANAGE_TEAMS) or conversation.assignee_id == member.pk:
        return True
    if conversation.team_id and TeamMembership.objects.filter(team_id=conversation.team_id, member=member).exists():
        return True
    if conversation.account_id is None:
        return False
    teams = TeamMembership.objects.filter(member=member).values("team_id")
    return (
        Grant.objects.filter(account_id=conversation.account_id, permission__in=[Permission.REPLY, Permission.MODERATE])
        .filter(Q(member=member) | Q(team_id__in=teams))
        .exists()
    )


def works_in_inbox(member: Member) -> bool:
    """Whether the member has any part in the inbox (for the availability switch)."""
    if access.role_can(member, OrgAction.MANAGE_TEAMS):
        return True
    return (
        TeamMembership.objects.filter(member=member).exists()
        or Grant.objects.filter(member=member, permission__in=[Permission.REPLY, Permission.MODERATE]).exists()
    )


def unread_notifications(member: Member) -> QuerySet[Notification]:
    return Notification.objects.filter(member=member, read_at__isnull=True)


def people(organisation: Organisation) -> QuerySet[Member]:
    return Member.objects.filter(organisation=organisation, is_active=True).select_related("user")


def teams(organisation: Organisation) -> QuerySet[Team]:
    return Team.objects.filter(organisation=organisation).order_by("name")
