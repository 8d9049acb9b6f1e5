"""Moderation fixtures: the publishing cast with a moderator, a sandbox network, comments through ingestion."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from juru.accounts.models import BrandAccount, Member, Organisation, Role
from juru.accounts.services import brand_accounts as account_services
from juru.connectors.base import Mention as Incoming
from juru.listening import services as listening
from juru.moderation import tasks
from juru.sandbox.scenarios import CRITIC, SPAM
from tests.listening.conftest import cast as cast  # noqa: F401 (fixture re-exported)
from tests.publishing.conftest import Cast
from tests.publishing.conftest import sandbox as sandbox  # noqa: F401 (fixture re-exported)

SPAMMER = "promo_gacor88"
CRITIC_HANDLE = "pelanggan.kecewa"


@pytest.fixture
def moderator(cast: Cast) -> Member:  # noqa: F811
    """A responder holding the ``moderate`` grant on the main brand account."""
    member = cast.member("moderator", role=Role.RESPONDER)
    account_services.set_grant(actor=None, account=cast.brand, permission="moderate", member=member)
    return member


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Moderation tasks run in the test process as soon as they are sent."""
    monkeypatch.setattr(tasks.perform_action, "delay", tasks.perform_action)


def comments(
    author: str, texts: Sequence[str], *, prefix: str = "", start: datetime | None = None, kind: str = "comment"
) -> list[Incoming]:
    """Comments by one author under the brand's post, a minute apart, ending about now."""
    start = start or datetime.now(UTC) - timedelta(minutes=len(texts) + 1)
    tag = prefix or author
    return [
        Incoming(f"{tag}-{i}", author, text, start + timedelta(minutes=i), kind=kind, author_name=author.title())
        for i, text in enumerate(texts)
    ]


def deliver(org: Organisation, account: BrandAccount, items: Sequence[Incoming]) -> int:
    """Store through the listening ingestion path (as a poll would); returns how many were new."""
    return listening.store_mentions(org, account, list(items)).stored


def spam_wave(count: int = 3) -> list[Incoming]:
    """The ``spam`` scenario: one author posting gambling links again and again."""
    return comments(SPAMMER, [SPAM[i % len(SPAM)] for i in range(count)])


def critic() -> list[Incoming]:
    """The ``critic`` scenario: one angry but legitimate customer, once."""
    return comments(CRITIC_HANDLE, [CRITIC[1].format(brand="Acme", product="nasi kotak")])


def on_sandbox(store: Any, cast: Cast, items: Sequence[Incoming]) -> list[Incoming]:
    """Write the comments under the brand's post on the sandbox, so hiding them there works."""
    store.register(cast.brand.handle, "Acme")
    root, _ = store.publish(cast.brand.handle, "Selamat pagi dari Acme!")
    written = []
    for item in items:
        post = store.comment(item.author_handle, root.id, item.text)
        written.append(
            Incoming(
                post.id, item.author_handle, item.text, item.created_at, kind="comment", author_name=item.author_name
            )
        )
    return written
