"""Reads of the listening app: filtered mentions, chart series, top terms, alerts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from juru.accounts.models import AccountType, BrandAccount, ConnectionStatus, Organisation
from juru.connectors import registry
from juru.connectors.errors import UnknownNetworkError
from juru.listening.matching import parse_terms
from juru.listening.models import Alert, AlertStatus, ListeningQuery, Mention, Sentiment
from juru.spikes.evidence import top_terms

PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
TERMS_SAMPLE = 2000


def pollable_account_ids() -> list[int]:
    """Connected, active brand accounts whose network reads mentions (employees' own accounts are not polled)."""
    out = []
    accounts = BrandAccount.objects.filter(
        is_active=True, connection_status=ConnectionStatus.CONNECTED, account_type=AccountType.BRAND
    )
    for account_id, network in accounts.values_list("pk", "network"):
        try:
            if registry.capabilities(network).read_mentions:
                out.append(account_id)
        except UnknownNetworkError:
            continue
    return out


def queries_for(organisation: Organisation) -> QuerySet[ListeningQuery]:
    return ListeningQuery.objects.filter(organisation=organisation).annotate(mention_count=Count("mentions"))


@dataclass(frozen=True)
class Filters:
    """What the listening page shows; every field is validated (unknown values mean "all")."""

    query: ListeningQuery | None = None
    sentiment: str = ""
    lang: str = ""
    network: str = ""
    period: str = "7d"

    @property
    def since(self) -> datetime:
        return timezone.now() - PERIODS[self.period]

    def as_params(self) -> dict[str, str]:
        return {
            "query": str(self.query.public_id) if self.query else "",
            "sentiment": self.sentiment,
            "lang": self.lang,
            "network": self.network,
            "period": self.period,
        }


def parse_filters(organisation: Organisation, params: Any) -> Filters:
    """Filters from request parameters; values that are not valid are ignored."""
    query = None
    wanted = _uuid(params.get("query", ""))
    if wanted is not None:
        query = ListeningQuery.objects.filter(organisation=organisation, public_id=wanted).first()
    sentiment = params.get("sentiment", "")
    lang = params.get("lang", "")
    network = params.get("network", "")
    period = params.get("period", "7d")
    return Filters(
        query=query,
        sentiment=sentiment if sentiment in Sentiment.values else "",
        lang=lang if lang in ("id", "en", "mixed") else "",
        network=network if network in networks(organisation) else "",
        period=period if period in PERIODS else "7d",
    )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def networks(organisation: Organisation) -> list[str]:
    """Networks the organisation has mentions from."""
    found = Mention.objects.filter(organisation=organisation).values_list("network", flat=True).distinct()
    return sorted(set(found))


def mentions(organisation: Organisation, filters: Filters) -> QuerySet[Mention]:
    """Mentions matching the filters, newest first."""
    qs = Mention.objects.filter(organisation=organisation, created_at__gte=filters.since)
    if filters.query is not None:
        qs = qs.filter(queries=filters.query)
    if filters.sentiment:
        qs = qs.filter(sentiment=filters.sentiment)
    if filters.lang:
        qs = qs.filter(lang=filters.lang)
    if filters.network:
        qs = qs.filter(network=filters.network)
    return qs.select_related("account").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class Bucket:
    """Mentions in one time bucket, by sentiment."""

    start: datetime
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative


def series(qs: QuerySet[Mention], filters: Filters) -> list[Bucket]:
    """Per-hour (24 hours) or per-day buckets over the period, empty ones included."""
    hourly = filters.period == "24h"
    trunc = TruncHour("created_at") if hourly else TruncDay("created_at")
    rows = qs.order_by().annotate(bucket=trunc).values("bucket", "sentiment").annotate(n=Count("pk"))
    counts: dict[datetime, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(timezone.localtime(row["bucket"]), {})[row["sentiment"]] = row["n"]
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    now = timezone.localtime()
    end = now.replace(minute=0, second=0, microsecond=0)
    if not hourly:
        end = end.replace(hour=0)
    steps = int(PERIODS[filters.period] / step)
    starts = [end - step * i for i in range(steps - 1, -1, -1)]
    return [
        Bucket(start, **{k: v for k, v in counts.get(start, {}).items() if k in Sentiment.values}) for start in starts
    ]


def terms(qs: QuerySet[Mention], exclude: Iterable[str] = (), limit: int = 15) -> list[str]:
    """The words most mentions share, from the latest ones."""
    texts = qs.values_list("text", flat=True)[:TERMS_SAMPLE]
    return top_terms(texts, limit=limit, exclude=exclude)


def query_words(query: ListeningQuery | None) -> list[str]:
    """A query's own words (left out of its top terms: they are in every mention)."""
    if query is None:
        return []
    return [word for term in parse_terms(query.terms) for word in term.split()]


def alerts(organisation: Organisation, status: str = "") -> QuerySet[Alert]:
    qs = Alert.objects.filter(organisation=organisation).select_related("query", "account", "acknowledged_by")
    if status in AlertStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-opened_at")


def open_alert_count(organisation: Organisation) -> int:
    """Alerts nobody has acknowledged yet (the badge in the navigation)."""
    return Alert.objects.filter(organisation=organisation, status=AlertStatus.OPEN).count()
