"""Moderation rows built through ingestion and the services, for page tests here and in tests/web."""

from __future__ import annotations

from typing import Any

from juru.accounts.models import BrandAccount, Organisation
from juru.listening import services as listening
from juru.moderation.models import ActionKind, Author, ModerationAction
from juru.moderation.services.appeals import record_appeal
from tests.moderation.conftest import SPAMMER, spam_wave


def moderation_objects(org: Organisation, account: BrandAccount) -> dict[str, Any]:
    """A spammer with three strikes (a ban suggested), their hidden comment, the hide and an open appeal."""
    listening.store_mentions(org, account, spam_wave(3))
    author = Author.objects.get(organisation=org, handle=SPAMMER)
    action = ModerationAction.objects.filter(author=author, kind=ActionKind.HIDE).order_by("pk").first()
    assert action is not None
    assert action.mention is not None
    appeal = record_appeal(actor=None, author=author, statement="Saya bukan bot")
    return {"author": author, "comment": action.mention, "action": action, "appeal": appeal}
