"""Celery tasks of listening (queue ``listening``): thin wrappers that call one service each."""

from __future__ import annotations

import logging

import httpx
from celery import shared_task

from juru.accounts.models import BrandAccount
from juru.listening import notify, queries, services
from juru.listening.exceptions import ListeningError
from juru.listening.models import Alert

log = logging.getLogger(__name__)


@shared_task(name="listening.poll_accounts", ignore_result=True)
def poll_accounts() -> int:
    """Queue one poll per connected account that can read mentions (run by the scheduler)."""
    ids = queries.pollable_account_ids()
    for account_id in ids:
        poll_account.delay(account_id)
    return len(ids)


@shared_task(name="listening.poll_account", ignore_result=True)
def poll_account(account_id: int) -> int:
    """Read and store one account's new mentions; returns how many were stored."""
    account = BrandAccount.objects.select_related("organisation").filter(pk=account_id, is_active=True).first()
    if account is None:
        return 0
    result = services.ingest_account(account)
    if result.error:
        log.warning("polling %s failed: %s", account, result.error)
    return result.stored


@shared_task(
    name="listening.deliver_alert",
    bind=True,
    ignore_result=True,
    autoretry_for=(httpx.HTTPError,),
    retry_backoff=True,
    max_retries=6,
)
def deliver_alert(self: object, alert_id: int, opened: bool) -> None:
    """E-mail a newly opened alert and send the signed webhook (retried with back-off when it fails)."""
    alert = Alert.objects.select_related("organisation", "query", "account").filter(pk=alert_id).first()
    if alert is None:
        return
    retries = getattr(getattr(self, "request", None), "retries", 0)
    if opened and retries == 0 and services.alert_settings(alert.organisation).email_enabled:
        notify.email_alert(alert)
    try:
        notify.post_webhook(alert, opened=opened)
    except ListeningError as exc:
        # The address now leads somewhere alerts may not go (checked again at send time): never retried.
        log.warning("alert webhook of %s refused: %s", alert.organisation, exc.message)
