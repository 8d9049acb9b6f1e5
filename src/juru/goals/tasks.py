"""Celery tasks of goals: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task

from juru.goals.delivery import send_monthly_reports


@shared_task(name="goals.send_monthly_reports", ignore_result=True)
def send_monthly_reports_task() -> int:
    """E-mail last month's report to the owners of every organisation that has not had it yet."""
    return send_monthly_reports()
