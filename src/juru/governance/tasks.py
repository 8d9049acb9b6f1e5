"""Celery tasks of the governance app: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task

from juru.governance.services.reminders import send_reminders

# How often beat sends reminders of open governance tasks (seconds); each task repeats weekly at most.
REMINDER_INTERVAL = 24 * 60 * 60.0


@shared_task(name="governance.send_reminders", ignore_result=True)
def send_governance_reminders() -> int:
    """E-mail members whose policy signature or training is missing or about to expire."""
    return send_reminders()
