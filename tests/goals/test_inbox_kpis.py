"""The inbox's KPIs: first response in business minutes, missed targets, resolved conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from juru.goals import kpis
from juru.inbox.models import Conversation
from juru.listening import services as listening
from tests.inbox.conftest import incoming
from tests.listening.conftest import cast  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Tuesday 10 November 2026, 10:00 in Jakarta: a working day, inside business hours.
OPENED = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)


def _scope(cast) -> kpis.Scope:  # noqa: F811
    return kpis.Scope(cast.org, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))


def test_first_response_resolution_and_missed_targets_are_measured(cast) -> None:  # noqa: F811
    listening.store_mentions(
        cast.org, cast.brand, [incoming(f"k{i}", f"Pesanan {i} belum sampai", author=f"p{i}") for i in range(3)]
    )
    rows = list(Conversation.objects.filter(organisation=cast.org).order_by("pk"))
    assert len(rows) == 3
    for minutes, row in zip((30, 60, 90), rows, strict=True):
        Conversation.objects.filter(pk=row.pk).update(
            opened_at=OPENED, first_responded_at=OPENED + timedelta(minutes=minutes)
        )
    Conversation.objects.filter(pk=rows[2].pk).update(
        first_response_breached=True, resolved_at=OPENED + timedelta(hours=3)
    )
    scope = _scope(cast)
    assert kpis.measure("first_response_median", scope) == 60.0
    assert kpis.measure("first_response_p90", scope) == 90.0
    assert kpis.measure("response_targets_missed", scope) == 1
    assert kpis.measure("conversations_resolved", scope) == 1


def test_an_empty_inbox_measures_nothing(cast) -> None:  # noqa: F811
    assert kpis.measure("first_response_median", _scope(cast)) is None
    assert kpis.measure("conversations_resolved", _scope(cast)) == 0
