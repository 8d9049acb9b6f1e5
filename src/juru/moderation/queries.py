"""Reads of moderation: authors with their points, an author's record, the moderators' queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from juru.accounts.models import Organisation
from juru.listening.models import Mention
from juru.moderation.models import (
    ActionKind,
    ActionState,
    Appeal,
    AppealState,
    Author,
    AuthorState,
    ModerationAction,
    ModerationPolicy,
    Strike,
)
from juru.moderation.services.common import policy_for

RECENT_MENTIONS = 50


def window_start(policy: ModerationPolicy) -> datetime:
    """Where the policy's counting window begins now."""
    return timezone.now() - timedelta(days=policy.window_days)


def authors(
    organisation: Organisation, *, state: str = "", q: str = "", networks: frozenset[str] | None = None
) -> QuerySet[Author]:
    """Authors with their strike points in the window (``points``) and all their strikes (``strike_count``)."""
    since = window_start(policy_for(organisation))
    counted = Strike.objects.filter(author=OuterRef("pk"), created_at__gte=since).filter(
        Q(author__counted_from__isnull=True) | Q(created_at__gte=F("author__counted_from"))
    )
    points = counted.values("author").annotate(total=Sum("weight")).values("total")
    found = Author.objects.filter(organisation=organisation).annotate(
        points=Coalesce(Subquery(points, output_field=IntegerField()), 0),
        strike_count=Count("strikes", distinct=True),
    )
    if state == "whitelisted":
        found = found.filter(whitelisted=True)
    elif state in AuthorState.values:
        found = found.filter(state=state)
    elif state == "struck":
        found = found.filter(strike_count__gt=0)
    if q:
        found = found.filter(Q(handle__icontains=q.lstrip("@")) | Q(name__icontains=q))
    if networks is not None:
        found = found.filter(network__in=networks)
    return found.order_by("-points", "-strike_count", "handle")


def points_of(author: Author) -> int:
    """The author's strike points within the policy's window (after ``counted_from``)."""
    start = window_start(policy_for(author.organisation))
    if author.counted_from is not None:
        start = max(start, author.counted_from)
    total = author.strikes.filter(created_at__gte=start).aggregate(total=Sum("weight"))["total"]
    return int(total or 0)


@dataclass(frozen=True)
class AuthorRecord:
    """Everything an author's page explains: strikes with their evidence, actions, appeals, comments."""

    author: Author
    points: int
    policy: ModerationPolicy
    strikes: list[Strike]
    actions: list[ModerationAction]
    appeals: list[Appeal]
    mentions: list[Mention]
    hidden: set[int]  # ids of mentions hidden now (or about to be)


def author_record(author: Author) -> AuthorRecord:
    """The author's page, in a fixed number of queries."""
    strikes = list(author.strikes.select_related("mention", "mention__account").order_by("-created_at"))
    actions = list(
        author.actions.select_related("account", "mention", "requested_by", "reversed_by").order_by("-created_at")
    )
    hidden = {
        a.mention_id
        for a in actions
        if a.kind == ActionKind.HIDE and a.reversed_by_id is None and a.state not in (ActionState.FAILED, "cancelled")
        and a.mention_id is not None
    }  # fmt: skip
    mentions = list(
        Mention.objects.filter(organisation=author.organisation, network=author.network, author_handle=author.handle)
        .select_related("account")
        .order_by("-created_at")[:RECENT_MENTIONS]
    )
    appeals = list(author.appeals.select_related("recorded_by", "decided_by"))
    policy = policy_for(author.organisation)
    return AuthorRecord(author, points_of(author), policy, strikes, actions, appeals, mentions, hidden)


@dataclass(frozen=True)
class Queue:
    """What waits for moderators, and what the policy did by itself lately."""

    suggested: list[Author]
    appeals: list[Appeal]
    failed: list[ModerationAction]
    pending: int
    recent: list[ModerationAction]


def queue(organisation: Organisation, *, networks: frozenset[str] | None = None) -> Queue:
    """The moderation queue: suggested bans, open appeals, refused actions, recent automatic actions."""
    suggested = authors(organisation, state=AuthorState.BAN_SUGGESTED, networks=networks)
    appeals = Appeal.objects.filter(organisation=organisation, state=AppealState.OPEN).select_related("author")
    actions = ModerationAction.objects.filter(organisation=organisation).select_related("author", "account", "mention")
    if networks is not None:
        appeals = appeals.filter(author__network__in=networks)
        actions = actions.filter(author__network__in=networks)
    return Queue(
        suggested=list(suggested[:100]),
        appeals=list(appeals.order_by("created_at")[:100]),
        failed=list(actions.filter(state=ActionState.FAILED).order_by("-created_at")[:100]),
        pending=actions.filter(state=ActionState.PENDING).count(),
        recent=list(actions.filter(automatic=True).order_by("-created_at")[:50]),
    )


def author_for_mention(mention: Mention) -> Author | None:
    """The author record of a mention's writer, if moderation has seen them."""
    return Author.objects.filter(
        organisation=mention.organisation_id, network=mention.network, handle=mention.author_handle
    ).first()
