"""Replies fixtures: the publishing cast, responders with the reply grant, a mention on the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache import cache

from juru.accounts.models import Member, Role
from juru.accounts.services import brand_accounts as account_services
from juru.connectors.base import Mention as Incoming
from juru.listening import services as listening
from juru.listening.models import Mention
from juru.publishing import tasks as publishing_tasks
from juru.replies import services
from juru.replies.models import SavedReply
from tests.publishing.conftest import Cast, build_cast, sandbox  # noqa: F401 (fixture re-exported)

COMPLAINT = "Pesanan nasi kotak saya belum datang dari tadi siang, gimana ini?"


@pytest.fixture
def cast(db: Any) -> Cast:
    """The acme organisation; ``second_brand`` (acme_care) is the customer-care account."""
    return build_cast("acme")


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Presence lives in the cache: each test starts with nobody on any conversation."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """The publish task runs in the test process when queued (no broker)."""
    monkeypatch.setattr(publishing_tasks.publish_post, "delay", publishing_tasks.publish_post)


def make_responder(cast: Cast, name: str) -> Member:
    """An eligible responder holding the reply grant (only) on the care account."""
    member = cast.member(name, role=Role.RESPONDER)
    member.user.first_name = name.title()
    member.user.save(update_fields=["first_name"])
    account_services.set_grant(actor=None, account=cast.second_brand, permission="reply", member=member)
    return member


@pytest.fixture
def responder(cast: Cast) -> Member:
    return make_responder(cast, "rani")


@pytest.fixture
def second_responder(cast: Cast) -> Member:
    return make_responder(cast, "dodi")


@pytest.fixture
def care_post(cast: Cast, sandbox: Any) -> str:  # noqa: F811 (the imported fixture)
    """The sandbox id of a post by the care account that customers comment under."""
    sandbox.register(cast.second_brand.handle, "Acme Care")
    post, _ = sandbox.publish(cast.second_brand.handle, "Selamat siang dari Acme!")
    return str(post.id)


@pytest.fixture
def mention_on_sandbox(cast: Cast, sandbox: Any, care_post: str) -> Callable[..., Mention]:  # noqa: F811
    """A customer's comment under the care account's post, on the sandbox and stored as a mention."""

    def make(text: str = COMPLAINT, author: str = "rina_w") -> Mention:
        comment = sandbox.comment(author, care_post, text, author_name="Rina W")
        incoming = Incoming(comment.id, author, text, datetime.now(UTC), author_name="Rina W", kind="comment")
        listening.store_mentions(cast.org, cast.second_brand, [incoming])
        return Mention.objects.get(organisation=cast.org, remote_id=comment.id)

    return make


def approved_saved_reply(cast: Cast, text_id: str, *, text_en: str = "", holding: bool = False) -> SavedReply:
    """A saved reply written by PR and approved by compliance."""
    saved = services.create_saved_reply(
        actor=cast.pr1, title=text_id[:30], text_id=text_id, text_en=text_en, tags=["pengiriman"], is_holding=holding
    )
    return services.approve_saved_reply(saved, actor=cast.compliance)
