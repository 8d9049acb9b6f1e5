"""Append to the audit chain and export it (``juru.audit.verify`` checks it).

``record`` (one event) and ``append`` (several events prepared with ``prepare``) are the only
writers. They serialise appends by locking the chain head: ``SELECT ... FOR UPDATE`` on PostgreSQL;
on SQLite, Django opens transactions with ``BEGIN IMMEDIATE`` (settings), which takes the database
write lock up front, so two appends never read the same head.

Every append in the database waits for that one lock until the appending transaction commits, so
the lock is held as briefly as possible: payloads are made JSON-safe and labelled before it is
taken, several events of one transaction share one lock, one bulk insert and one head update, and
callers append as the last step of their transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from juru.accounts.models import Organisation
from juru.audit.models import AuditEvent, ChainHead

SYSTEM_ACTOR = "system"


class Writer(Protocol):
    """Anything with ``write(str)``: a file, sys.stdout, a management command's stdout."""

    def write(self, text: str, /) -> Any: ...


def _json_safe(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Round-trip through JSON so what is stored is exactly what was hashed (UUIDs, dates -> str).
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))  # type: ignore[no-any-return]


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


HASH_VERSION = 2  # what new events are hashed with (see ``canonical_fields``)


def canonical_fields(event: AuditEvent, organisation_public_id: str | None) -> dict[str, Any]:
    """The fields the hash covers, as plain JSON values (version 2 adds the actor's id and the version)."""
    fields = {
        "seq": event.seq,
        "created_at": _timestamp(event.created_at),
        "actor": event.actor_label,
        "organisation": organisation_public_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    if event.hash_version >= 2:
        fields["actor_id"] = event.actor_key
        fields["v"] = event.hash_version
    return fields


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an event's fields (which include the previous hash)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _describe(obj: Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    public_id = getattr(obj, "public_id", None)
    return obj._meta.label_lower, str(public_id if public_id is not None else obj.pk)


def _lock_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(id=1).first()
    if head is not None:
        return head
    # The row may be missing (fresh database, or a test flush); create it without racing.
    ChainHead.objects.bulk_create([ChainHead(id=1)], ignore_conflicts=True)
    return ChainHead.objects.select_for_update().get(id=1)


@dataclass(frozen=True)
class PendingEvent:
    """An event whose content is ready; only its place in the chain (seq, time, hashes) is missing."""

    action: str
    actor_id: Any
    actor_key: str
    actor_label: str
    organisation: Organisation | None
    object_type: str
    object_id: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    # Canonical JSON of every hashed field known before the lock (all but seq, created_at, prev_hash).
    fragments: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def chain_hash(self, seq: int, created_at: datetime, prev_hash: str) -> str:
        """``compute_hash(canonical_fields(...))`` of this event at that place, from the ready fragments."""
        parts = {
            **self.fragments,
            "seq": _canonical(seq),
            "created_at": _canonical(_timestamp(created_at)),
            "prev_hash": _canonical(prev_hash),
        }
        # The same text json.dumps(sort_keys=True) gives for the whole object: keys in sorted order.
        canonical = "{" + ",".join(f"{_canonical(key)}:{parts[key]}" for key in sorted(parts)) + "}"
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def prepare(
    *,
    action: str,
    actor: AbstractBaseUser | None,
    organisation: Organisation | None,
    obj: Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
    actor_label: str | None = None,
) -> PendingEvent:
    """Everything about an event that does not need the chain lock (no database access)."""
    object_type, object_id = _describe(obj)
    label = (actor_label or (actor.get_username() if actor is not None else SYSTEM_ACTOR))[:200]
    before, after = _json_safe(before), _json_safe(after)
    actor_key = str(actor.pk) if actor is not None else ""
    known = {
        "actor_id": actor_key,
        "v": HASH_VERSION,
        "actor": label,
        "organisation": str(organisation.public_id) if organisation is not None else None,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary,
        "before": before,
        "after": after,
    }
    return PendingEvent(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_key=actor_key,
        actor_label=label,
        organisation=organisation,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        before=before,
        after=after,
        fragments={key: _canonical(value) for key, value in known.items()},
    )


_COLUMNS = (
    "seq", "created_at", "actor_id", "actor_key", "hash_version", "actor_label", "organisation_id", "action",
    "object_type", "object_id", "summary", "before", "after", "prev_hash", "hash",
)  # fmt: skip
_JSON_COLUMNS = (_COLUMNS.index("before"), _COLUMNS.index("after"))


def _lock_head_postgres() -> tuple[int, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {ChainHead._meta.db_table} WHERE id = 1 FOR UPDATE")
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _insert_postgres(rows: list[AuditEvent]) -> None:
    """Insert the events and move the head in one statement: one round trip while the lock is held."""
    json_field = AuditEvent._meta.get_field("before")
    params: list[Any] = [rows[-1].seq, rows[-1].hash]
    for event in rows:
        values = [getattr(event, column) for column in _COLUMNS]
        for index in _JSON_COLUMNS:
            values[index] = json_field.get_db_prep_save(values[index], connection)
        params += values
    tuples = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * len(rows))
    sql = (
        f"WITH head AS (UPDATE {ChainHead._meta.db_table} SET seq = %s, hash = %s WHERE id = 1) "
        f"INSERT INTO {AuditEvent._meta.db_table} ({', '.join(_COLUMNS)}) VALUES {tuples} RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for event, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            event.pk = pk
            event._state.adding = False


def append(events: Sequence[PendingEvent]) -> list[AuditEvent]:
    """Append prepared events in order under one chain lock; call it last in the change's transaction."""
    if not events:
        return []
    # No savepoint: inside a caller's transaction a failed append must fail that whole change anyway.
    with transaction.atomic(savepoint=False):
        postgres = connection.vendor == "postgresql"
        locked = _lock_head_postgres() if postgres else None
        if locked is None:
            postgres = False  # the head row is missing: the portable path creates it
            head = _lock_head()
            locked = (head.seq, head.hash)
        # From here to the commit every other append waits: only hashing and one or two statements.
        moment = timezone.now()  # taken under the lock, so time never runs backwards along the chain
        seq, prev_hash = locked
        rows = []
        for pending in events:
            seq += 1
            event_hash = pending.chain_hash(seq, moment, prev_hash)
            rows.append(
                AuditEvent(
                    seq=seq,
                    created_at=moment,
                    actor_id=pending.actor_id,
                    actor_key=pending.actor_key,
                    hash_version=HASH_VERSION,
                    actor_label=pending.actor_label,
                    organisation=pending.organisation,
                    action=pending.action,
                    object_type=pending.object_type,
                    object_id=pending.object_id,
                    summary=pending.summary,
                    before=pending.before,
                    after=pending.after,
                    prev_hash=prev_hash,
                    hash=event_hash,
                )
            )
            prev_hash = event_hash
        if postgres:
            _insert_postgres(rows)
        else:
            AuditEvent.objects.bulk_create(rows)
            ChainHead.objects.filter(id=1).update(seq=seq, hash=prev_hash)
    return rows


def record(
    *,
    action: str,
    actor: AbstractBaseUser | None,
    organisation: Organisation | None,
    obj: Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the chain; call it inside the transaction of the change it records."""
    pending = prepare(
        action=action,
        actor=actor,
        organisation=organisation,
        obj=obj,
        before=before,
        after=after,
        summary=summary,
        actor_label=actor_label,
    )
    return append([pending])[0]


def export_events(output: Writer, *, organisation: Organisation | None = None) -> int:
    """Write events as JSON Lines (oldest first), with their hashes; returns the count."""
    events = AuditEvent.objects.order_by("seq").select_related("organisation")
    if organisation is not None:
        events = events.filter(organisation=organisation)
    count = 0
    for event in events.iterator(chunk_size=2000):
        org_id = str(event.organisation.public_id) if event.organisation else None
        line = canonical_fields(event, org_id) | {"hash": event.hash}
        if event.organisation is not None:
            line["organisation_slug"] = event.organisation.slug
        output.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
