"""Celery tasks of crisis mode: thin wrappers that call one function each."""

from __future__ import annotations

from celery import shared_task

from juru.crisis import notify
from juru.crisis.models import Crisis


@shared_task(name="crisis.announce_crisis", ignore_result=True)
def announce_crisis(crisis_id: int) -> int:
    """E-mail the crisis team that a crisis was declared; returns how many messages were sent."""
    crisis = Crisis.objects.select_related("organisation", "declared_by__user", "alert").filter(pk=crisis_id).first()
    if crisis is None:
        return 0
    return notify.email_declared(crisis)
