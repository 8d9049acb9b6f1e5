"""Listening fixtures: the publishing cast (owner, crisis team, sandbox accounts), a sandbox, eager tasks."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from juru.listening import addresses, services, tasks
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


# Names the tests resolve without a network: hooks.example is a public host, the others lead inside.
DNS = {
    "hooks.example": ["93.184.216.34"],
    "intranet.example": ["10.1.2.3"],
    "metadata.example": ["169.254.169.254"],
    "mixed.example": ["93.184.216.34", "192.168.0.10"],
}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Webhook addresses resolve from ``DNS`` (IP literals to themselves); unknown names do not resolve."""
    table = {name: list(found) for name, found in DNS.items()}

    def resolve(host: str, port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]

    monkeypatch.setattr(addresses, "resolve", resolve)
    return table


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
