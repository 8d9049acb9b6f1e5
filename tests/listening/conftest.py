"""Listening fixtures: the publishing cast (owner, crisis team, sandbox accounts), a sandbox, eager tasks."""

from __future__ import annotations

from typing import Any

import pytest

from juru.listening import services, tasks
from juru.listening.models import ListeningQuery
from tests.publishing.conftest import Cast, build_cast, sandbox  # noqa: F401 (fixture re-exported)


@pytest.fixture
def cast(db: Any) -> Cast:
    """The acme organisation; the owner and the crisis team have e-mail addresses."""
    built = build_cast("acme")
    for member in (built.owner, built.crisis_lead, built.pr2, built.pr1):
        member.user.email = f"{member.user.username}@acme.example"
        member.user.save(update_fields=["email"])
    return built


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listening tasks run in the test process as soon as they are sent (no broker, no Celery state)."""
    for task in (tasks.poll_account, tasks.deliver_alert):
        monkeypatch.setattr(task, "delay", task)


@pytest.fixture
def brand_query(cast: Cast) -> ListeningQuery:
    """A brand query matching the demo's food company and its products."""
    return services.create_query(
        actor=None,
        organisation=cast.org,
        name="Acme",
        kind="brand",
        terms="acme\nnasi kotak\nrendang kemasan",
        exclusions="lowongan",
    )


def register(store: Any, cast: Cast) -> None:
    """The brand account exists on the sandbox with a first post to comment under."""
    store.register(cast.brand.handle, "Acme")
    store.publish(cast.brand.handle, "Selamat pagi dari Acme!")
