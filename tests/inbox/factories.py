"""Inbox rows built through the services, for page tests here and in tests/web."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from juru.accounts.models import BrandAccount, Organisation
from juru.connectors.base import Mention as Incoming
from juru.inbox.models import Conversation
from juru.inbox.services import config
from juru.listening import services as listening


def inbox_objects(org: Organisation, account: BrandAccount) -> dict[str, Any]:
    """A conversation (a complaint and a follow-up), a routing rule and a day off of ``org``."""
    start = datetime.now(UTC) - timedelta(minutes=20)
    listening.store_mentions(
        org,
        account,
        [
            Incoming(f"{org.slug}-c1", "warga1", "Nasi kotaknya basi, tolong!", start, author_name="Warga Satu"),
            Incoming(f"{org.slug}-c2", "warga1", "Halo? Ada yang baca?", start + timedelta(minutes=5),
                     in_reply_to=f"{org.slug}-c1", author_name="Warga Satu"),
        ],
    )  # fmt: skip
    rule = config.create_rule(actor=None, organisation=org, name="Basi", words="basi", priority="high")
    day = config.add_day_override(actor=None, organisation=org, day=date(2030, 1, 2), is_working_day=False, note="")
    conversation = Conversation.objects.get(organisation=org, thread_key=f"{org.slug}-c1")
    return {"conversation": conversation, "rule": rule, "day": day}
