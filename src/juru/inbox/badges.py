"""The priority and due badges of a conversation: one markup for the inbox list and the conversation page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from juru.inbox import queries
from juru.inbox.models import Conversation, Priority, Status

PRIORITY_CLASSES: dict[str, str] = {Priority.URGENT: "badge badge-danger", Priority.HIGH: "badge badge-warn"}
DUE_CLASSES: dict[str, str] = {"warning": "badge badge-warn", "ok": "badge badge-ok"}


@dataclass(frozen=True)
class BadgeMaker:
    """What every badge of one page shares, worked out once: the time, the warning lead and the date format."""

    warning_minutes: int
    now: datetime
    date_format: str
    priorities: dict[str, str]

    @classmethod
    def for_page(cls, warning_minutes: int) -> BadgeMaker:
        """The badge maker of one page, in the request's language."""
        priorities = {str(value): str(label) for value, label in Priority.choices}
        return cls(warning_minutes, timezone.now(), get_format("SHORT_DATETIME_FORMAT"), priorities)

    def _when(self, value: datetime | None) -> str:
        return "" if value is None else dateformat.format(timezone.localtime(value), self.date_format)

    def priority(self, conversation: Conversation) -> SafeString:
        """The priority badge, coloured for urgent and high."""
        label = self.priorities.get(conversation.priority, conversation.priority)
        css = PRIORITY_CLASSES.get(conversation.priority, "badge")
        return format_html('<span class="{}" data-testid="priority">{}</span>', css, label)

    def due(self, conversation: Conversation) -> SafeString:
        """The due badge: target missed, due soon, due, paused (pending), or nothing when no clock runs."""
        state = queries.due_state(conversation, self.warning_minutes, self.now)
        if state == "breached":
            title = self._when(conversation.due_at or conversation.resolution_due_at)
            markup = '<span class="badge badge-danger" data-testid="due-breached" title="{}">{}</span>'
            return format_html(markup, title, _("Target missed"))
        if state in DUE_CLASSES:
            text = _("Due %(when)s") % {"when": self._when(conversation.due_at)}
            return format_html('<span class="{}" data-testid="due-{}">{}</span>', DUE_CLASSES[state], state, text)
        if conversation.status == Status.PENDING:
            return format_html('<span class="badge">{}</span>', _("Paused"))
        return SafeString("")
