"""Celery tasks of the inbox: raising response-time warnings and breaches on time.

Each batch of new or changed conversations schedules ``inbox.raise_due`` at the distinct minutes
something comes due (``eta``); ``inbox.sweep_due`` runs every minute as a safety net (a lost task,
a worker that was down) and reads only rows whose check time has passed, through a partial index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from juru.inbox.services import deadlines

log = logging.getLogger(__name__)
HORIZON = timedelta(hours=12)


@shared_task(name="inbox.raise_due", ignore_result=True)
def raise_due(organisation_id: int) -> int:
    """Raise the organisation's warnings and breaches whose time has come."""
    return deadlines.raise_due(organisation_id)


@shared_task(name="inbox.sweep_due", ignore_result=True)
def sweep_due() -> int:
    """The once-a-minute safety net over every organisation."""
    return sum(deadlines.raise_due(org_id) for org_id in deadlines.organisations_with_due())


def schedule_checks(organisation_id: int, moments: Iterable[datetime]) -> None:
    """One ``raise_due`` per distinct minute (rounded up), so a burst schedules a handful of tasks.

    Only the next ``HORIZON`` is scheduled (brokers redeliver far-off eta tasks); later moments
    and any task the broker lost are raised by the once-a-minute sweep. A broker that cannot be
    reached loses nothing either: the sweep raises them.
    """
    now = timezone.now()
    minutes = sorted({_ceil_minute(m) for m in moments if m <= now + HORIZON})
    try:
        if minutes and minutes[0] <= now:
            raise_due.delay(organisation_id)
        for moment in (m for m in minutes if m > now):
            raise_due.apply_async((organisation_id,), eta=moment)
    except Exception:  # noqa: BLE001 - the sweep is the fallback; a broker outage must not fail a commit
        log.warning("could not schedule response-time checks for organisation %s", organisation_id, exc_info=True)


def _ceil_minute(moment: datetime) -> datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=1)
