"""Listening rows built through the services, for page tests here and in tests/web."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from juru.accounts.models import BrandAccount, Organisation
from juru.connectors.base import Mention as Incoming
from juru.listening import services
from juru.listening.models import Alert, ListeningQuery


def complaint_wave(prefix: str, count: int = 12, minutes_ago: int = 10) -> list[Incoming]:
    """Food-poisoning complaints about Acme, a few seconds apart, ending now."""
    start = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    text = "Sekeluarga keracunan dan sakit perut setelah makan nasi kotak Acme"
    return [Incoming(f"{prefix}{i}", f"warga{i}", text, start + timedelta(seconds=10 * i)) for i in range(count)]


def listening_objects(org: Organisation, account: BrandAccount) -> tuple[ListeningQuery, Alert]:
    """A brand query and the alert a complaint wave raised on it."""
    query = services.create_query(actor=None, organisation=org, name="Acme", kind="brand", terms="acme\nnasi kotak")
    services.store_mentions(org, account, complaint_wave(f"{org.slug}-"))
    return query, Alert.objects.get(organisation=org)
