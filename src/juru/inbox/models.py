"""The inbox: conversations and their messages, routing rules, response-time targets, availability.

A conversation is one thread on one network, keyed by the network id of its first message
(``thread_key``), never by the author's name: a renamed author stays in the same conversation.
Inbound messages point at the ``listening.Mention`` they came from; outbound ones at the
``publishing.Post`` that answered. The clocks of the response-time targets live on the
conversation (see ``juru.inbox.sla``).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import BrandAccount, Member, Organisation, Team


def _public_id() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    RESOLVED = "resolved", _("Resolved")


class AssignmentMode(models.TextChoices):
    """How a team hands out new conversations to its members who are online."""

    MANUAL = "manual", _("By hand only")
    ROUND_ROBIN = "round_robin", _("Round-robin")
    LEAST_LOADED = "least_loaded", _("Least loaded")


class Conversation(models.Model):
    """One thread with the public on an owned account, with its routing, assignee and clocks."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="conversations")
    account = models.ForeignKey(BrandAccount, on_delete=models.SET_NULL, null=True, related_name="conversations")
    network = models.CharField(_("network"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20)
    thread_key = models.CharField(max_length=220)  # network id of the first message (DMs: the author)
    # The network id this thread answers when that message has not arrived yet (out-of-order delivery).
    awaiting_parent = models.CharField(max_length=200, blank=True, default="")
    author_handle = models.CharField(_("author"), max_length=200)
    author_name = models.CharField(_("author name"), max_length=200, blank=True, default="")
    preview = models.CharField(_("latest message"), max_length=280, blank=True, default="")
    lang = models.CharField(_("language"), max_length=5, blank=True, default="")
    sentiment = models.CharField(_("sentiment"), max_length=10, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations")
    assignee = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_conversations"
    )
    tags = models.JSONField(default=list, blank=True)
    rule = models.ForeignKey("RoutingRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    routed_to_crisis = models.BooleanField(default=False)
    message_count = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(_("opened at"))
    last_message_at = models.DateTimeField(_("last message"))
    # Response-time clocks: due times are stored when a message arrives (see juru.inbox.sla).
    clock_started_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)  # the running target's due time
    next_check_at = models.DateTimeField(null=True, blank=True)  # next warning or breach to raise
    first_response_warned = models.BooleanField(default=False)
    first_response_breached = models.BooleanField(default=False)
    resolution_warned = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)
    paused_at = models.DateTimeField(null=True, blank=True)  # pending: the clocks wait for the customer
    first_response_left = models.PositiveIntegerField(null=True, blank=True)  # business minutes left on pause
    resolution_left = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "opened_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "network", "thread_key"], name="inbox_conversation_thread"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_at", "opened_at"], name="inbox_conv_status_due"),
            models.Index(fields=["organisation", "team", "status", "due_at", "opened_at"], name="inbox_conv_team"),
            models.Index(
                fields=["organisation", "assignee", "status", "due_at", "opened_at"], name="inbox_conv_assignee"
            ),
            models.Index(fields=["organisation", "status", "last_message_at"], name="inbox_conv_recent"),
            models.Index(fields=["organisation", "network", "author_handle"], name="inbox_conv_author"),
            models.Index(fields=["next_check_at"], condition=Q(next_check_at__isnull=False), name="inbox_conv_check"),
            models.Index(
                fields=["organisation", "network", "awaiting_parent"],
                condition=~Q(awaiting_parent=""),
                name="inbox_conv_awaiting",
            ),
            models.Index(
                fields=["organisation", "status", "due_at"],
                condition=Q(first_response_breached=True) | Q(resolution_breached=True),
                name="inbox_conv_breached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_handle} ({self.network}, {self.status})"

    @property
    def breached(self) -> bool:
        return self.first_response_breached or self.resolution_breached

    @property
    def shown_author(self) -> str:
        """The author's newest name, or the handle."""
        return self.author_name or self.author_handle


class Direction(models.TextChoices):
    INBOUND = "in", _("From the public")
    OUTBOUND = "out", _("Our reply")


class Message(models.Model):
    """One message of a conversation: a stored mention (inbound) or a published reply (outbound)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    network = models.CharField(max_length=40)
    remote_id = models.CharField(max_length=200)
    in_reply_to = models.CharField(max_length=200, blank=True, default="")
    mention = models.OneToOneField(
        "listening.Mention", on_delete=models.CASCADE, null=True, blank=True, related_name="inbox_message"
    )
    post = models.OneToOneField(
        "publishing.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbox_message"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "network", "remote_id"], name="inbox_message_once"),
        ]
        indexes = [models.Index(fields=["conversation", "created_at"], name="inbox_message_thread")]

    def __str__(self) -> str:
        return f"{self.direction} {self.remote_id}"


class EventKind(models.TextChoices):
    NOTE = "note", _("Internal note")
    ASSIGNED = "assigned", _("Assigned")
    STATUS = "status", _("Status changed")
    ESCALATED = "escalated", _("Escalated")
    TAGS = "tags", _("Tags changed")
    PRIORITY = "priority", _("Priority changed")
    WARNING = "sla_warning", _("Response-time warning")
    BREACH = "sla_breach", _("Response-time target missed")
    REPLIED = "replied", _("Replied")


class ConversationEvent(models.Model):
    """What happened in a conversation besides messages (notes, assignment, escalation...), in its thread."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="inbox_event_thread")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.conversation_id}"


class Notification(models.Model):
    """An in-app notice for one member (a target about to be missed, missed, an escalation)."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="inbox_notifications")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    text = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["member", "read_at"], name="inbox_notice_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.member_id}"


class RoutingRule(models.Model):
    """Conditions on a new conversation and what to do with it; the first matching active rule wins.

    Every condition that is set must hold (words: any of them). Empty conditions match everything.
    """

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="routing_rules")
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    words = models.TextField(
        _("words and phrases"), blank=True, default="", help_text=_("One per line; the message contains any of them.")
    )
    sentiment = models.CharField(_("sentiment"), max_length=10, blank=True, default="")
    emotion = models.CharField(_("emotion"), max_length=10, blank=True, default="")
    abusive = models.BooleanField(_("only abusive messages"), default=False)
    hate = models.BooleanField(_("only hate speech"), default=False)
    language = models.CharField(_("language"), max_length=5, blank=True, default="")
    network = models.CharField(_("network"), max_length=40, blank=True, default="")
    account = models.ForeignKey(
        BrandAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("account")
    )
    authors = models.TextField(_("authors"), blank=True, default="", help_text=_("Handles, one per line."))
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("send to team")
    )
    priority = models.CharField(_("set priority"), max_length=10, choices=Priority.choices, blank=True, default="")
    tags = models.CharField(_("add tags"), max_length=300, blank=True, default="", help_text=_("Comma-separated."))
    assignee = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("assign to")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


def split_tags(value: str) -> list[str]:
    """Comma- or line-separated tags, trimmed, lower case, without duplicates."""
    seen: dict[str, None] = {}
    for part in value.replace("\n", ",").split(","):
        tag = part.strip().lower()[:40]
        if tag:
            seen.setdefault(tag)
    return list(seen)


class InboxSettings(models.Model):
    """An organisation's business hours, warning lead time, default team and offline threshold."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="inbox_settings")
    time_zone = models.CharField(_("time zone"), max_length=60, default="Asia/Jakarta")
    day_start = models.TimeField(_("business day starts"), default=time(8))
    day_end = models.TimeField(_("business day ends"), default=time(17))
    workdays = models.CharField(_("working days"), max_length=20, default="0,1,2,3,4")  # Monday = 0
    public_holidays = models.BooleanField(_("skip Indonesian public holidays and cuti bersama"), default=True)
    warning_minutes = models.PositiveIntegerField(_("warn this many minutes before a target is missed"), default=15)
    offline_after_minutes = models.PositiveIntegerField(_("offline after minutes without activity"), default=15)
    default_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("team for conversations no rule routes"),
    )  # fmt: skip

    def __str__(self) -> str:
        return f"inbox settings of {self.organisation_id}"

    @property
    def workday_numbers(self) -> set[int]:
        return {int(part) for part in self.workdays.split(",") if part.strip().isdigit()}


class SlaTarget(models.Model):
    """Response-time targets for one priority, in business minutes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sla_targets")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution (business minutes)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "priority"], name="inbox_sla_one_per_priority")]

    def __str__(self) -> str:
        return f"{self.priority}: {self.first_response_minutes}/{self.resolution_minutes}"


DEFAULT_TARGETS = {
    Priority.URGENT: (30, 240),
    Priority.HIGH: (60, 480),
    Priority.NORMAL: (240, 1440),
    Priority.LOW: (480, 2880),
}


class DayOverride(models.Model):
    """A day off or a working day that the calendar and public holidays would not give."""

    public_id = _public_id()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="day_overrides")
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(_("working day"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="inbox_day_override_once")]

    def __str__(self) -> str:
        return f"{self.date}: {'work' if self.is_working_day else 'off'}"


class TeamInbox(models.Model):
    """A team's inbox setting: how new conversations are handed out, and the round-robin pointer."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="inbox")
    assignment = models.CharField(
        _("assignment"), max_length=20, choices=AssignmentMode.choices, default=AssignmentMode.LEAST_LOADED
    )
    capacity = models.PositiveIntegerField(
        _("open conversations per person"), default=20, help_text=_("0 means no limit.")
    )
    last_assigned = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.team_id}: {self.assignment}"


class Presence(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")


class Availability(models.Model):
    """Whether a member takes new conversations: their choice, and when they were last active."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="availability")
    status = models.CharField(_("availability"), max_length=10, choices=Presence.choices, default=Presence.ONLINE)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.status}"

    # Online: chose "online" and active since the organisation's cut-off. Automatic assignment
    # filters on it and the colleagues' table reads it from a joined row; both rules live here.
    @staticmethod
    def online_since(cutoff: datetime) -> Q:
        """The rule as a filter on availability rows."""
        return Q(status=Presence.ONLINE, last_seen_at__gte=cutoff)

    def is_online(self, cutoff: datetime) -> bool:
        """The rule for one row already loaded."""
        return self.status == Presence.ONLINE and self.last_seen_at is not None and self.last_seen_at >= cutoff
