"""Inbox fixtures: the publishing cast, a sandbox, tasks kept in the test process, helpers to store mentions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from juru.connectors.base import Mention as Incoming
from juru.inbox import tasks
from tests.listening.conftest import cast, eager  # noqa: F401 (fixtures re-exported)
from tests.publishing.conftest import Cast, sandbox  # noqa: F401


@pytest.fixture(autouse=True)
def scheduled(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Checks scheduled with the broker are recorded here instead of sent (the tests call them)."""
    calls: list[Any] = []
    monkeypatch.setattr(tasks.raise_due, "delay", lambda *args: calls.append(("now", args)))
    monkeypatch.setattr(tasks.raise_due, "apply_async", lambda args, eta=None, **kw: calls.append((eta, tuple(args))))
    return calls


def incoming(
    remote_id: str,
    text: str,
    *,
    author: str = "budi",
    name: str = "",
    reply_to: str | None = None,
    kind: str = "comment",
    minutes_ago: float = 5,
    when: datetime | None = None,
) -> Incoming:
    """One comment as a connector hands it over."""
    moment = when or datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return Incoming(remote_id, author, text, moment, in_reply_to=reply_to, author_name=name or author, kind=kind)


@pytest.fixture
def around_the_clock(cast: Cast) -> Cast:  # noqa: F811
    """Business hours every day, all day, no holidays: due times are plain additions."""
    from datetime import time

    from juru.inbox.sla import inbox_settings

    config = inbox_settings(cast.org)
    config.day_start, config.day_end, config.workdays, config.public_holidays = time(0), time(0), "0,1,2,3,4,5,6", False
    config.save()
    return cast


@pytest.fixture
def demo_org(settings: Any, sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:  # noqa: F811
    """The demo organisation and a private sandbox that ``juru sandbox traffic`` writes to."""
    from juru.ops import demo

    settings.SANDBOX_PATH = str(sandbox.path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("JURU_DATA_DIR", str(sandbox.path.parent))
    return demo.create()
