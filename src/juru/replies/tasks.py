"""Celery tasks of replies: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task

from juru.replies import services


@shared_task(name="replies.send_approved", ignore_result=True)
def send_approved() -> int:
    """Schedule and queue replies whose approval chain has just finished."""
    return services.send_approved()
