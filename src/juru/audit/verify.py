"""Verify the stored chain: name every edited, deleted, reordered or malformed event in one linear pass.

Rows are read with plain SQL and parsed here, so a value that the ORM could not even load (a
sequence number that is not a number, a time that is not a time) is reported as a problem of that
row instead of stopping the check. Signed checkpoints kept outside the database catch what the
database alone cannot show: a tail that was cut off after the chain head was rewritten.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from juru.accounts.models import Organisation
from juru.audit.checkpoints import Checkpoint
from juru.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from juru.audit.services import canonical_fields, compute_hash

# Up to this many missing events are named one by one; a longer gap is named as one range.
MAX_NAMED_GAP = 1000


@dataclass(frozen=True)
class Problem:
    """One way the stored chain differs from what was appended (``row`` is the database id)."""

    seq: int
    kind: str  # edited | deleted | reordered | malformed | checkpoint
    detail: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"seq {self.seq}" if self.seq > 0 else f"row id {self.row}"
        return f"{where}: {self.kind} ({self.detail})"


@dataclass(frozen=True)
class _Row:
    row: int
    seq: int
    prev_hash: str
    hash: str


_SELECT = (
    "SELECT e.id, e.seq, e.created_at, e.actor_id, e.actor_key, e.hash_version, e.actor_label, o.public_id, "
    "e.action, e.object_type, e.object_id, e.summary, e.before, e.after, e.prev_hash, e.hash "
    f"FROM {AuditEvent._meta.db_table} e "
    f"LEFT JOIN {Organisation._meta.db_table} o ON o.id = e.organisation_id ORDER BY e.id"
)


def _raw_rows() -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(_SELECT)
        while batch := cursor.fetchmany(2000):
            yield from batch


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int):
        return value
    return int(str(value).strip())


def _as_time(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _parse(raw: tuple[Any, ...]) -> tuple[_Row | None, Problem | None]:
    """A row's place in the chain, or the problem that keeps it from having one."""
    (row_id, seq, created_at, actor_id, actor_key, version, label, org, action,
     object_type, object_id, summary, before, after, prev_hash, hash_) = raw  # fmt: skip
    try:
        seq = _as_int(seq)
        if seq < 1:
            raise ValueError("not positive")
    except (TypeError, ValueError):
        why = f"its sequence number {str(seq)[:40]!r} is not a positive whole number"
        return None, Problem(0, "malformed", why, row_id)
    # A row with a readable number holds its place in the chain even when its content is bad.
    place = _Row(row_id, seq, str(prev_hash), str(hash_))
    try:
        event = AuditEvent(
            seq=seq,
            created_at=_as_time(created_at),
            actor_key=str(actor_key or ""),
            hash_version=_as_int(version),
            actor_label=label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary,
            before=_as_json(before),
            after=_as_json(after),
            prev_hash=prev_hash,
        )
        # SQLite keeps UUIDs as 32 hex digits, PostgreSQL as UUIDs: both become the dashed form.
        fields = canonical_fields(event, str(uuid.UUID(str(org))) if org else None)
    except (TypeError, ValueError, OverflowError) as exc:
        return place, Problem(seq, "malformed", f"a stored value cannot be read: {str(exc)[:80]}", row_id)
    if compute_hash(fields) != hash_:
        return place, Problem(seq, "edited", "its content no longer matches its hash", row_id)
    if event.hash_version >= 2 and actor_id is not None and str(actor_id) != event.actor_key:
        return place, Problem(seq, "edited", "it now names another actor than the one recorded", row_id)
    return place, None


def verify_chain(checkpoints: Sequence[Checkpoint] = ()) -> list[Problem]:
    """Every problem of the stored chain (and against ``checkpoints``), by sequence number; [] if intact."""
    problems: list[Problem] = []
    rows: list[_Row] = []
    for raw in _raw_rows():
        place, problem = _parse(raw)
        if problem is not None:
            problems.append(problem)
        if place is not None:
            rows.append(place)
    rows.sort(key=lambda r: r.seq)
    head = ChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    last = head[0] if head else (rows[-1].seq if rows else 0)
    beyond = [r for r in rows if r.seq > last]
    rows = [r for r in rows if r.seq <= last]
    problems += [
        Problem(r.seq, "edited", f"its sequence number is past the chain head ({last})", r.row) for r in beyond
    ]
    problems += _gaps(rows, last)
    problems += _order(rows)
    if head is not None and rows and head[0] == rows[-1].seq and head[1] != rows[-1].hash:
        problems.append(Problem(rows[-1].seq, "edited", "the chain head records a different hash", rows[-1].row))
    problems += _against_checkpoints(rows, last, checkpoints)
    return sorted(set(problems), key=lambda p: (p.seq, p.kind, p.row or 0))


def _gaps(rows: list[_Row], last: int) -> list[Problem]:
    """Missing sequence numbers between 1 and ``last``, walking the sorted rows once."""
    problems: list[Problem] = []
    expected = 1
    for seq in [r.seq for r in rows] + [last + 1]:
        if seq > expected:
            problems += _missing(expected, seq - 1, "this event is missing")
        expected = max(expected, seq + 1)
    return problems


def _missing(first: int, last: int, why: str) -> list[Problem]:
    if last - first < MAX_NAMED_GAP:
        return [Problem(seq, "deleted", why) for seq in range(first, last + 1)]
    return [Problem(first, "deleted", f"events {first} to {last} are missing ({last - first + 1} events)")]


def _order(rows: list[_Row]) -> list[Problem]:
    """Walk the chain by its links and compare with the order of sequence numbers."""
    by_prev: dict[str, int] = {}
    for index, row in enumerate(rows):
        by_prev.setdefault(row.prev_hash, index)
    walked: list[int] = []
    seen: set[int] = set()
    current, unvisited = GENESIS_HASH, iter(range(len(rows)))
    while len(walked) < len(rows):
        nxt = by_prev.get(current)
        if nxt is None or nxt in seen:
            # The chain breaks here (deletion or rewrite): go on from the next unvisited event.
            nxt = next(i for i in unvisited if i not in seen)
        walked.append(nxt)
        seen.add(nxt)
        current = rows[nxt].hash
    problems = [
        Problem(rows[index].seq, "reordered", "its link places it elsewhere in the chain", rows[index].row)
        for position, index in enumerate(walked)
        if index != position
    ]
    return problems + _broken_links(rows, {p.seq for p in problems})


def _broken_links(rows: list[_Row], reordered: set[int]) -> list[Problem]:
    """A link that does not match the event before it (with no gap) means that event was rewritten."""
    problems = []
    previous = _Row(0, 0, "", GENESIS_HASH)
    for row in rows:
        adjacent = row.seq == previous.seq + 1
        if adjacent and row.prev_hash != previous.hash and row.seq not in reordered and previous.seq not in reordered:
            target = previous if previous.seq else row
            problems.append(Problem(target.seq, "edited", f"event {row.seq} does not link to it", target.row))
        previous = row
    return problems


def _against_checkpoints(rows: list[_Row], last: int, checkpoints: Sequence[Checkpoint]) -> list[Problem]:
    """What the signed checkpoints remember that the database no longer shows."""
    by_seq = {r.seq: r for r in rows}
    problems: list[Problem] = []
    for checkpoint in checkpoints:
        when = checkpoint.time
        if checkpoint.seq > last:
            why = f"the checkpoint of {when} recorded the chain up to event {checkpoint.seq}"
            problems += _missing(last + 1, checkpoint.seq, why)
            continue
        row = by_seq.get(checkpoint.seq)
        if row is not None and row.hash != checkpoint.hash:
            detail = f"its hash differs from the one the checkpoint of {when} recorded"
            problems.append(Problem(row.seq, "edited", detail, row.row))
    return problems
