"""Append to the audit chain, verify it and export it.

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from juru.accounts.models import Organisation
from juru.audit.models import GENESIS_HASH, AuditEvent, ChainHead

SYSTEM_ACTOR = "system"


class Writer(Protocol):
    """Anything with ``write(str)``: a file, sys.stdout, a management command's stdout."""

    def write(self, text: str, /) -> Any: ...


@dataclass(frozen=True)
class Problem:
    """One way the stored chain differs from what was appended."""

    seq: int
    kind: str  # edited | deleted | reordered
    detail: str

    def __str__(self) -> str:
        return f"seq {self.seq}: {self.kind} ({self.detail})"


def _json_safe(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Round-trip through JSON so what is stored is exactly what was hashed (UUIDs, dates -> str).
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))  # type: ignore[no-any-return]


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_fields(event: AuditEvent, organisation_public_id: str | None) -> dict[str, Any]:
    """The fields the hash covers, as plain JSON values."""
    return {
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
    known = {
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
    "seq", "created_at", "actor_id", "actor_label", "organisation_id", "action", "object_type", "object_id",
    "summary", "before", "after", "prev_hash", "hash",
)  # fmt: skip


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
        values[9] = json_field.get_db_prep_save(event.before, connection)
        values[10] = json_field.get_db_prep_save(event.after, connection)
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


def _rows() -> Iterator[tuple[int, str, str, bool]]:
    """(seq, prev_hash, hash, content intact) for every stored event, by seq."""
    events = AuditEvent.objects.order_by("seq").values(
        "seq", "created_at", "actor_label", "organisation__public_id", "action", "object_type",
        "object_id", "summary", "before", "after", "prev_hash", "hash",
    )  # fmt: skip
    for row in events.iterator(chunk_size=2000):
        event = AuditEvent(**{k: v for k, v in row.items() if k not in {"organisation__public_id", "hash"}})
        org = row["organisation__public_id"]
        intact = compute_hash(canonical_fields(event, str(org) if org else None)) == row["hash"]
        yield row["seq"], row["prev_hash"], row["hash"], intact


def verify_chain() -> list[Problem]:
    """Every edited, deleted or reordered event, by sequence number; empty if the chain is intact."""
    rows = list(_rows())
    problems = [Problem(seq, "edited", "its content no longer matches its hash") for seq, _p, _h, ok in rows if not ok]
    problems += _gaps(rows)
    problems += _order(rows)
    return sorted(set(problems), key=lambda p: (p.seq, p.kind))


def _gaps(rows: list[tuple[int, str, str, bool]]) -> list[Problem]:
    head = ChainHead.objects.filter(id=1).first()
    last = max([head.seq if head else 0, *(seq for seq, *_ in rows)])
    present = {seq for seq, *_ in rows}
    missing = [seq for seq in range(1, last + 1) if seq not in present]
    problems = [Problem(seq, "deleted", "this event is missing") for seq in missing]
    if head is not None and rows and head.seq == rows[-1][0] and head.hash != rows[-1][2]:
        problems.append(Problem(rows[-1][0], "edited", "the chain head records a different hash"))
    return problems


def _order(rows: list[tuple[int, str, str, bool]]) -> list[Problem]:
    """Walk the chain by its links and compare with the order of sequence numbers."""
    by_prev: dict[str, int] = {}
    for seq, prev, _hash, _ok in rows:
        by_prev.setdefault(prev, seq)
    hashes = {seq: h for seq, _p, h, _ok in rows}
    by_seq_order = [seq for seq, *_ in rows]
    walked: list[int] = []
    seen: set[int] = set()
    current, pending = GENESIS_HASH, iter(by_seq_order)
    while len(walked) < len(by_seq_order):
        nxt = by_prev.get(current)
        if nxt is None or nxt in seen:
            # Chain broken here (deletion or rewrite): continue from the next unvisited event.
            nxt = next(seq for seq in pending if seq not in seen)
        walked.append(nxt)
        seen.add(nxt)
        current = hashes[nxt]
    problems = [
        Problem(seq, "reordered", "its link places it elsewhere in the chain")
        for seq, expected in zip(walked, by_seq_order)
        if seq != expected
    ]
    problems += _broken_links(rows, {p.seq for p in problems})
    return problems


def _broken_links(rows: list[tuple[int, str, str, bool]], reordered: set[int]) -> list[Problem]:
    """A link that does not match the event before it (with no gap) means that event was rewritten."""
    problems = []
    previous_seq, previous_hash = 0, GENESIS_HASH
    for seq, prev, hash_, _ok in rows:
        adjacent = seq == previous_seq + 1
        if adjacent and prev != previous_hash and seq not in reordered and previous_seq not in reordered:
            target = previous_seq if previous_seq else seq
            problems.append(Problem(target, "edited", f"event {seq} does not link to it"))
        previous_seq, previous_hash = seq, hash_
    return problems


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
