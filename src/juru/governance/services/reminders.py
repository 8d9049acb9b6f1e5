"""E-mail reminders of open governance tasks: sign the policy, pass or renew training.

The overview shows the same tasks in the app; e-mail repeats a task every ``REMIND_EVERY`` until it
is done. One message per member, in Indonesian and English.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from juru.accounts.models import Member
from juru.governance.models import Reminder
from juru.governance.queries import Todo, current_policy, member_todos

REMIND_EVERY = timedelta(days=7)


def _key(member: Member, todo: Todo) -> str:
    if todo.kind == "sign":
        current = current_policy(member.organisation)
        return f"sign:v{current.number if current else 0}"
    code = todo.module.code if todo.module else ""
    due = todo.due.date().isoformat() if todo.due else ""
    return f"{todo.kind}:{code}:{due}"


def _due(member: Member, todos: list[Todo]) -> list[tuple[str, Todo]]:
    """The tasks not reminded of within ``REMIND_EVERY``."""
    keyed = [(_key(member, todo), todo) for todo in todos]
    recent = set(
        Reminder.objects.filter(
            member=member, key__in=[k for k, _t in keyed], sent_at__gt=timezone.now() - REMIND_EVERY
        ).values_list("key", flat=True)
    )
    return [(key, todo) for key, todo in keyed if key not in recent]


def _message(member: Member, todos: list[Todo]) -> tuple[str, str]:
    base = settings.JURU_BASE_URL.rstrip("/")
    link = base + reverse("web:org_home", args=[member.organisation.slug])
    parts = []
    for lang in ("id", "en"):
        with translation.override(lang):
            parts.append(
                render_to_string("governance/reminder_email.txt", {"member": member, "todos": todos, "link": link})
            )
    with translation.override("id"):
        subject = render_to_string("governance/reminder_subject.txt", {"member": member}).strip()
    return subject, "\n\n---\n\n".join(parts)


def send_reminders() -> int:
    """E-mail every active member with open tasks not reminded of lately; returns the messages sent."""
    sent = 0
    members = Member.objects.filter(is_active=True).select_related("user", "organisation")
    for member in members.exclude(user__email=""):
        # Decisions on violation cases were e-mailed when taken; the reminders repeat only tasks.
        due = _due(member, [todo for todo in member_todos(member) if todo.kind != "case"])
        if not due:
            continue
        subject, body = _message(member, [todo for _key, todo in due])
        send_mail(subject, body, None, [member.user.email])
        now = timezone.now()
        for key, _todo in due:
            Reminder.objects.update_or_create(member=member, key=key, defaults={"sent_at": now})
        sent += 1
    return sent
