"""Reads of crisis mode: the active crisis, history, what the pause holds, and the advocacy switch."""

from __future__ import annotations

from django.db.models import QuerySet

from juru.accounts.models import Organisation
from juru.crisis.models import Crisis, HeldPost, HeldState
from juru.publishing.holds import held_by_crisis
from juru.publishing.models import Post, PostState


def active_crisis(organisation: Organisation) -> Crisis | None:
    """The organisation's crisis that has not ended, if any."""
    return (
        Crisis.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("alert", "declared_by__user")
        .first()
    )


def advocacy_paused(organisation: Organisation) -> bool:
    """True during a crisis: employees' shares of company content wait until it ends."""
    return bool(Organisation.objects.filter(pk=organisation.pk, crisis_active=True).exists())


def history(organisation: Organisation) -> QuerySet[Crisis]:
    """Every crisis of the organisation, newest first."""
    return Crisis.objects.filter(organisation=organisation).select_related(
        "alert", "declared_by__user", "ended_by__user"
    )


def paused_posts(organisation: Organisation) -> QuerySet[Post]:
    """Posts the pause is keeping from the network right now (due or not), soonest first."""
    queue = Post.objects.filter(organisation=organisation, state__in=[PostState.SCHEDULED, PostState.PUBLISHING])
    return queue.filter(held_by_crisis()).select_related("account", "draft").order_by("due_at", "pk")


def held_posts(crisis: Crisis) -> QuerySet[HeldPost]:
    """The review list of an ended crisis: posts still waiting for a decision first, then the decided ones."""
    return HeldPost.objects.filter(crisis=crisis).select_related("post__account", "post__draft", "decided_by__user")


def waiting_count(crisis: Crisis) -> int:
    """Held posts nobody has decided about yet."""
    return HeldPost.objects.filter(crisis=crisis, state=HeldState.HELD).count()
