"""Writes of the listening app: queries, alert settings, acknowledging alerts, and ingestion.

Ingestion order for one poll: read the account's mentions after its stored cursor; drop the ones
already stored (network id); label the rest (language, sentiment, emotion, abuse, hate) in one
pass; then, in one transaction, store them, link them to the queries they match, feed them to the
organisation's spike detector (its state row locked, so two workers never interleave) and open or
update alerts. The cursor moves only after the mentions are stored: a crash in between reads them
again, and the unique network id keeps them from being stored twice.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import BrandAccount, Organisation
from juru.audit.services import record
from juru.connectors.base import Mention as IncomingMention
from juru.connectors.errors import ConnectorError
from juru.listening import addresses
from juru.listening.classification import label_all
from juru.listening.exceptions import ListeningError
from juru.listening.matching import Matcher, matching, parse_terms
from juru.listening.models import (
    Alert,
    AlertSettings,
    AlertStatus,
    ListeningQuery,
    Mention,
    PollCursor,
    QueryKind,
    QueryLanguage,
    SpikeState,
)
from juru.listening.signals import mentions_stored
from juru.project.bulk import insert_objects, insert_rows, save_fields
from juru.spikes import Alert as SpikeAlert
from juru.spikes import Detector, Event

MAX_TERMS = 200
BATCH = 1000


# --------------------------------------------------------------------------- queries


def _clean_query(*, name: str, kind: str, terms: str, exclusions: str, language: str) -> dict[str, Any]:
    name = name.strip()
    if not name:
        raise ListeningError(_("Give the query a name."))
    if kind not in QueryKind.values:
        raise ListeningError(_("Choose what the query is about."))
    if language not in QueryLanguage.values:
        raise ListeningError(_("Choose the query's language."))
    words = parse_terms(terms)
    if not words:
        raise ListeningError(_("Add at least one word or phrase, one per line."))
    if len(words) + len(parse_terms(exclusions)) > MAX_TERMS:
        raise ListeningError(_("A query takes at most %(count)d words and phrases.") % {"count": MAX_TERMS})
    return {"name": name, "kind": kind, "terms": terms.strip(), "exclusions": exclusions.strip(), "language": language}


def _snapshot(query: ListeningQuery) -> dict[str, Any]:
    fields = ("name", "kind", "terms", "exclusions", "language", "is_active")
    return {name: getattr(query, name) for name in fields}


def create_query(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    kind: str,
    terms: str,
    exclusions: str = "",
    language: str = "any",
) -> ListeningQuery:
    """A new listening query (names are unique per organisation)."""
    values = _clean_query(name=name, kind=kind, terms=terms, exclusions=exclusions, language=language)
    with transaction.atomic():
        if ListeningQuery.objects.filter(organisation=organisation, name__iexact=values["name"]).exists():
            raise ListeningError(_("A query with this name exists already."))
        query = ListeningQuery.objects.create(organisation=organisation, **values)
        record(
            action="listening.query_created", actor=actor, organisation=organisation, obj=query, after=_snapshot(query)
        )
    return query


def update_query(
    *,
    actor: Any,
    query: ListeningQuery,
    name: str,
    kind: str,
    terms: str,
    exclusions: str = "",
    language: str = "any",
    is_active: bool = True,
) -> ListeningQuery:
    """Change a query; mentions already stored keep the queries they matched when they arrived."""
    values = _clean_query(name=name, kind=kind, terms=terms, exclusions=exclusions, language=language)
    with transaction.atomic():
        clash = ListeningQuery.objects.filter(organisation=query.organisation, name__iexact=values["name"])
        if clash.exclude(pk=query.pk).exists():
            raise ListeningError(_("A query with this name exists already."))
        before = _snapshot(query)
        for key, value in values.items():
            setattr(query, key, value)
        query.is_active = is_active
        query.save()
        record(
            action="listening.query_changed", actor=actor, organisation=query.organisation, obj=query,
            before=before, after=_snapshot(query),
        )  # fmt: skip
    return query


def delete_query(*, actor: Any, query: ListeningQuery) -> None:
    """Remove a query (its mentions and alerts stay; its spike baseline is forgotten)."""
    with transaction.atomic():
        record(
            action="listening.query_deleted", actor=actor, organisation=query.organisation, obj=query,
            before=_snapshot(query),
        )  # fmt: skip
        state = SpikeState.objects.select_for_update().filter(organisation=query.organisation).first()
        if state is not None:
            detector = Detector.restore(state.state)
            detector.forget(query.stream_key)
            state.state = detector.snapshot()
            state.save(update_fields=["state", "updated_at"])
        Alert.objects.filter(query=query).update(query_name=query.name)  # its alerts keep saying what they were about
        query.delete()


# --------------------------------------------------------------------------- alert settings and alerts


def new_webhook_secret() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def alert_settings(organisation: Organisation) -> AlertSettings:
    """The organisation's alert settings (created with defaults on first use)."""
    found, _created = AlertSettings.objects.get_or_create(organisation=organisation)
    return found


def update_alert_settings(
    *, actor: Any, organisation: Organisation, email_enabled: bool, webhook_url: str, rotate_secret: bool = False
) -> AlertSettings:
    """Save where alerts go; a webhook gets a signing secret the first time (or when asked to rotate it)."""
    webhook_url = webhook_url.strip()
    if webhook_url:
        addresses.check(webhook_url)  # public addresses only (checked again at send time)
    with transaction.atomic():
        current = alert_settings(organisation)
        before = {"email_enabled": current.email_enabled, "webhook_url": current.webhook_url}
        current.email_enabled = email_enabled
        current.webhook_url = webhook_url
        rotated = bool(webhook_url) and (rotate_secret or not current.webhook_secret_encrypted)
        if rotated:
            current.webhook_secret = new_webhook_secret()
        current.save()
        after = {"email_enabled": email_enabled, "webhook_url": webhook_url, "secret_rotated": rotated}
        record(
            action="listening.alert_settings_changed", actor=actor, organisation=organisation, obj=current,
            before=before, after=after,
        )  # fmt: skip
    return current


def acknowledge_alert(*, actor: Any, alert: Alert) -> Alert:
    """Mark an alert as seen and being handled."""
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.status == AlertStatus.ACKNOWLEDGED:
            raise ListeningError(_("This alert has been acknowledged already."))
        locked.status = AlertStatus.ACKNOWLEDGED
        locked.acknowledged_by = actor
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        record(
            action="listening.alert_acknowledged", actor=actor, organisation=locked.organisation, obj=locked,
            after={"status": locked.status},
        )  # fmt: skip
    return locked


# --------------------------------------------------------------------------- ingestion


@dataclass
class IngestResult:
    """What one poll did."""

    fetched: int = 0
    stored: int = 0
    alerts: list[Alert] = field(default_factory=list)
    error: str = ""


def ingest_account(account: BrandAccount) -> IngestResult:
    """Poll one account's mentions after its cursor and store the new ones (see the module docstring)."""
    from juru.publishing.services.publish import connector_for, credentials_for

    cursor, _created = PollCursor.objects.get_or_create(account=account)
    try:
        items = connector_for(account).fetch_mentions(credentials_for(account), since=cursor.cursor or None)
    except ConnectorError as exc:
        reason = exc.result.reason or exc.result.outcome
        PollCursor.objects.filter(pk=cursor.pk).update(polled_at=timezone.now(), error=str(reason)[:500])
        return IngestResult(error=str(reason))
    result = store_mentions(account.organisation, account, items)
    newest = next((item.cursor for item in reversed(items) if item.cursor), "")
    PollCursor.objects.filter(pk=cursor.pk).update(cursor=newest or cursor.cursor, polled_at=timezone.now(), error="")
    result.fetched = len(items)
    return result


def store_mentions(
    organisation: Organisation, account: BrandAccount | None, items: Sequence[IncomingMention], *, network: str = ""
) -> IngestResult:
    """Label, store, match and spike-check the mentions not stored before; returns what was stored."""
    network = network or (account.network if account else "")
    unique = list({item.remote_id: item for item in items if item.remote_id}.values())
    known: set[str] = set()
    for start in range(0, len(unique), BATCH):
        ids = [item.remote_id for item in unique[start : start + BATCH]]
        known.update(
            Mention.objects.filter(organisation=organisation, network=network, remote_id__in=ids).values_list(
                "remote_id", flat=True
            )
        )
    fresh = [item for item in unique if item.remote_id not in known]
    if not fresh:
        return IngestResult()
    labels = label_all([item.text for item in fresh])
    queries = list(ListeningQuery.objects.filter(organisation=organisation, is_active=True))
    matchers = [Matcher.build(q.stream_key, q.terms, q.exclusions, q.language) for q in queries]
    by_key = {q.stream_key: q for q in queries}
    batch = uuid.uuid4()
    rows = [
        Mention(
            organisation=organisation, account=account, network=network, remote_id=item.remote_id[:200],
            kind=item.kind, author_handle=item.author_handle[:200], author_name=item.author_name[:200],
            text=item.text, url=item.url[:500], in_reply_to=(item.in_reply_to or "")[:200],
            created_at=_aware(item.created_at), batch=batch, lang=label.lang, sentiment=label.sentiment,
            sentiment_score=label.sentiment_score, emotion=label.emotion, abusive=label.abusive,
            abusive_score=label.abusive_score, hate=label.hate, hate_score=label.hate_score,
        )
        for item, label in zip(fresh, labels, strict=True)
    ]  # fmt: skip
    with transaction.atomic():
        stored = _insert(rows)
        keys = {m.pk: matching(matchers, m.text, m.lang) for m in stored}
        links = [(m.pk, by_key[key].pk) for m in stored for key in keys[m.pk]]
        insert_rows(Mention.queries.through, ("mention_id", "listeningquery_id"), links, ignore_conflicts=True)
        mentions_stored.send(sender=Mention, organisation=organisation, mentions=stored)
        alerts = _feed_spikes(organisation, stored, keys, by_key)
    return IngestResult(stored=len(stored), alerts=alerts)


def _insert(rows: list[Mention]) -> list[Mention]:
    """Insert the rows; those inserted (not those another worker stored first), with their ids, oldest first."""
    # Only the ids come back: the rows in hand already hold every value that was written.
    ids = dict(insert_objects(rows, ignore_conflicts=True, returning=("remote_id", "id")))
    stored = []
    for row in rows:
        pk = ids.pop(row.remote_id, None)  # popped: of two ids cut to the same 200 characters, the first was stored
        if pk is not None:
            row.pk = pk
            row._state.adding, row._state.db = False, Mention.objects.db
            stored.append(row)
    stored.sort(key=lambda row: (row.created_at, row.pk))
    return stored


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def account_stream_key(account: BrandAccount) -> str:
    """The spike detector's name for what is said to one account and matches no query."""
    return f"account:{account.public_id}"


def _feed_spikes(
    organisation: Organisation,
    mentions: list[Mention],
    keys: dict[int, list[str]],
    queries: dict[str, ListeningQuery],
) -> list[Alert]:
    """Run the organisation's detector over new mentions, oldest first; open or update alerts."""
    state = _locked_spike_state(organisation)
    detector = Detector.restore(state.state)
    local = timezone.get_current_timezone()
    accounts = {m.account_id: m.account for m in mentions if m.account is not None}
    changed: dict[str, Alert] = {}
    opened: set[str] = set()
    for mention in mentions:
        streams = list(keys[mention.pk])
        if not streams and mention.account_id in accounts:
            # Mentions no query claims still have a stream: everything else said to the account.
            streams.append(account_stream_key(accounts[mention.account_id]))
        moment = mention.created_at.astimezone(local)
        for key in streams:
            event = Event(str(mention.public_id), moment, key, mention.sentiment, mention.text)
            raised = detector.observe(event)
            if raised is not None:
                alert = _save_alert(organisation, raised, queries.get(key), accounts.get(mention.account_id))
                changed[alert.episode] = alert
                if not raised.update:
                    opened.add(alert.episode)
    state.state = detector.snapshot()
    save_fields(state, ["state", "updated_at"])  # the state grows with the traffic: bound, not quoted
    for alert in changed.values():
        _announce(alert, opened=alert.episode in opened)
    return list(changed.values())


def _locked_spike_state(organisation: Organisation) -> SpikeState:
    """The organisation's detector state, locked (created on first use), its document read once."""
    found = SpikeState.objects.select_for_update().filter(organisation=organisation).first()
    if found is None:
        SpikeState.objects.get_or_create(organisation=organisation)
        found = SpikeState.objects.select_for_update().get(organisation=organisation)
    return found


def _save_alert(
    organisation: Organisation, raised: SpikeAlert, query: ListeningQuery | None, account: BrandAccount | None
) -> Alert:
    examples = [{"id": mention_id, "text": text[:500]} for mention_id, text in raised.examples]
    values = {
        "severity": raised.severity, "observed": raised.observed, "expected": raised.expected,
        "window_minutes": raised.window // 60, "top_terms": list(raised.top_terms), "examples": examples,
        "updated_at": raised.time,
    }  # fmt: skip
    if raised.update:
        Alert.objects.filter(organisation=organisation, episode=raised.episode).update(
            updates=F("updates") + 1, **values
        )
        return Alert.objects.get(organisation=organisation, episode=raised.episode)
    alert = Alert.objects.create(
        organisation=organisation, episode=raised.episode, query=query, account=None if query else account,
        query_name=query.name if query else "",
        sentiment=raised.sentiment, opened_at=raised.opened_at, **values,
    )  # fmt: skip
    summary = f"{alert.subject}: {alert.observed} vs {alert.expected:.1f} expected"
    record(
        action="listening.alert_opened", actor=None, organisation=organisation, obj=alert, actor_label="juru",
        after={"severity": alert.severity, "sentiment": alert.sentiment}, summary=summary,
    )  # fmt: skip
    return alert


def _announce(alert: Alert, *, opened: bool) -> None:
    """Send the alert out (e-mail when it opens, webhook on every change) once the transaction commits."""
    from juru.listening import tasks

    transaction.on_commit(lambda: tasks.deliver_alert.delay(alert.pk, opened))
