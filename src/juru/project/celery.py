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
    # The demo's sandbox accounts hear a few everyday comments every few minutes (JURU_SANDBOX_BACKGROUND_TRAFFIC).
    "sandbox-background-traffic": {"task": "sandbox.background_traffic", "schedule": 240.0},
    # Last month's report goes to each organisation's owners on the first run of a month (once per org and month).
    "goals-send-monthly-reports": {"task": "goals.send_monthly_reports", "schedule": 3600.0},
    # Hides and blocks the network did not take yet are tried again after their back-off.
    "moderation-sweep-actions": {"task": "moderation.sweep_actions", "schedule": 30.0},
    # Response-time warnings and breaches are scheduled at their moment; this catches any that slipped.
    "inbox-sweep-due": {"task": "inbox.sweep_due", "schedule": 60.0},
    # Replies whose approval chain finished are sent within seconds (claimed like scheduled posts).
    "replies-send-approved": {"task": "replies.send_approved", "schedule": 5.0},
}


@app.task(name="juru.ping")
def ping(value: str) -> str:
    """Echo a value back: proves a broker round-trip (used by health checks and tests)."""
    return f"pong:{value}"
