"""Shared personas (tests/personas.py) and a clock that can be moved."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.personas import (  # noqa: F401  (fixtures)
    account,
    admin_member,
    fast_password_hashing,
    org,
    other_org,
    outsider,
    owner,
    spokesperson,
    viewer,
)

MoveClock = Callable[[timedelta], datetime]


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch) -> MoveClock:
    """Move ``timezone.now`` forward by a delta (cumulative); returns the new now."""
    real_now = timezone.now
    offset = timedelta()

    def move(delta: timedelta) -> datetime:
        nonlocal offset
        offset += delta
        monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)
        return timezone.now()

    return move
