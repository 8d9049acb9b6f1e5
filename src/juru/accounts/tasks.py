"""Celery tasks of the accounts app: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task

from juru.accounts import connections

# How often beat looks for tokens about to expire (seconds); well inside ``connections.REFRESH_MARGIN``.
REFRESH_INTERVAL = 10 * 60.0


@shared_task(name="accounts.refresh_expiring_tokens", ignore_result=True)
def refresh_expiring_tokens() -> dict[str, int]:
    """Renew access tokens that expire soon (X); a refusal flags the account for reconnecting."""
    return connections.refresh_expiring_tokens()
