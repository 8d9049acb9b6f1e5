"""Small builders for crisis tests: scheduled posts, declared and ended crises."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from juru.crisis import services as crisis_services
from juru.crisis.models import Crisis
from juru.publishing import services
from juru.publishing.models import Draft, Post
from juru.publishing.services import publish as publish_services


def approved(cast: Any, text: str = "Promo rendang kemasan minggu ini!") -> Draft:
    """A draft on the brand account, approved by the PR team."""
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text=text)
    return services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)


def scheduled(cast: Any, text: str = "Promo rendang kemasan minggu ini!", when: datetime | None = None) -> Post:
    """An approved post in the queue, due now (or at ``when``)."""
    draft = approved(cast, text)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle], when=when)
    return Post.objects.get(draft=draft)


def declare(cast: Any, **kw: Any) -> Crisis:
    fields = {"severity": 8, "description": "Keluhan keracunan nasi kotak di media sosial"} | kw
    return crisis_services.declare_crisis(actor=cast.crisis_lead, **fields)


def run_due() -> list[int]:
    """One sweep: claim what is due and publish it; returns the claimed ids."""
    claimed = services.claim_due_posts()
    for pk in claimed:
        publish_services.publish_post(pk)
    return claimed
