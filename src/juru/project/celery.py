"""The Celery app: the one place for queues and the periodic schedule."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juru.project.settings")

app = Celery("juru")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    # Signed checkpoints of the audit chain head go outside the database (file, webhook, e-mail).
    "audit-write-checkpoint": {"task": "audit.write_checkpoint", "schedule": 900.0},
    # Scheduled posts are claimed from the database every few seconds (never broker countdowns).
    "publishing-sweep-due-posts": {"task": "publishing.sweep_due_posts", "schedule": 5.0},
    # Access tokens that expire (X: two hours) are renewed before they do.
    "accounts-refresh-expiring-tokens": {"task": "accounts.refresh_expiring_tokens", "schedule": 600.0},
    # Members with an unsigned policy or missing/expiring training are reminded by e-mail (weekly at most).
    "governance-send-reminders": {"task": "governance.send_reminders", "schedule": 86400.0},
    # Every connected account's mentions are read every half minute (one task per account).
    "listening-poll-accounts": {"task": "listening.poll_accounts", "schedule": 30.0},
    # Replies whose approval chain finished are sent within seconds (claimed like scheduled posts).
    "replies-send-approved": {"task": "replies.send_approved", "schedule": 5.0},
}


@app.task(name="juru.ping")
def ping(value: str) -> str:
    """Echo a value back: proves a broker round-trip (used by health checks and tests)."""
    return f"pong:{value}"
