"""Celery task of the sandbox: the demo's gentle background stream of public comments."""

from __future__ import annotations

import random

from celery import shared_task
from django.conf import settings

from juru.accounts.models import AccountType, BrandAccount
from juru.sandbox import queries, scenarios


def demo_handles() -> list[str]:
    """The demo organisation's active sandbox brand accounts."""
    from juru.ops.demo import ORG_SLUG

    accounts = BrandAccount.objects.filter(
        organisation__slug=ORG_SLUG, network="sandbox", account_type=AccountType.BRAND, is_active=True
    )
    return sorted(accounts.values_list("handle", flat=True))


@shared_task(name="sandbox.background_traffic", ignore_result=True)
def background_traffic() -> int:
    """Add a few plausible comments to the demo's accounts (``SANDBOX_BACKGROUND_TRAFFIC`` off: nothing)."""
    if not settings.SANDBOX_BACKGROUND_TRAFFIC:
        return 0
    rng = random.Random()
    store = queries.store()
    return sum(len(scenarios.background(store, handle, rng=rng)) for handle in demo_handles())


def start_background() -> int:
    """The demo's first everyday comments on each account (``SANDBOX_BACKGROUND_TRAFFIC`` off: nothing)."""
    if not settings.SANDBOX_BACKGROUND_TRAFFIC:
        return 0
    store = queries.store()
    handles = demo_handles()
    return sum(len(scenarios.first_comments(store, handle, seed=index)) for index, handle in enumerate(handles))
