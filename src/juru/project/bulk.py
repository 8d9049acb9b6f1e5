"""Inserts (and one update) at ingestion rates: one short statement per chunk of rows, values bound on the server.

Django's ``bulk_create`` prepares every value through several field methods, and its PostgreSQL
cursors quote every value into the SQL text in Python (client-side binding): for the thousands of
values a poll writes, or a detector state of megabytes, that costs more than the database's work.
Here each field's conversion is decided once per model (plain values go as they are, times, JSON
and UUIDs through the field's own ``get_db_prep_save``), and on PostgreSQL each column goes as one
binary array to ``UNNEST`` through psycopg's own cursor. Both databases take ``ON CONFLICT DO
NOTHING`` and ``RETURNING``. Errors are Django's, as from the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.db import connection, models

CHUNK = 500  # rows per statement: well under SQLite's 32,766 parameters for the widest model here
PLAIN = frozenset({
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "FloatField", "ForeignKey",
    "IntegerField", "OneToOneField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
    "TextField",
})  # fmt: skip

Converter = Callable[[models.Model], Any]


def _converter(field: models.Field[Any, Any], vendor: str) -> Converter:
    name = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    kind = field.get_internal_type()
    if kind in PLAIN:
        return lambda obj: getattr(obj, name)
    if kind == "DateTimeField" and vendor == "postgresql":
        # An aware time goes as it is (the field's own path would only look it over); a naive one is
        # made aware by the field, with its warning.
        def moment(obj: models.Model) -> Any:
            value = getattr(obj, name)
            return value if value is None or value.tzinfo else field.get_db_prep_save(value, connection)

        return moment
    return lambda obj: field.get_db_prep_save(getattr(obj, name), connection)


@cache
def _plan(model: type[models.Model], vendor: str) -> tuple[tuple[str, ...], tuple[Converter, ...]]:
    """The columns an insert of ``model`` writes (all but the automatic key) and how to convert each value."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return tuple(f.column for f in fields), tuple(_converter(f, vendor) for f in fields)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert plain rows of database-ready values; the ``returning`` columns of the rows inserted, in order."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
    tail = (" ON CONFLICT DO NOTHING" if ignore_conflicts else "") + (
        f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    )
    found: list[tuple[Any, ...]] = []
    with _cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            part = rows[start : start + CHUNK]
            if connection.vendor == "postgresql":
                # One array per column: a short statement whatever the number of rows.
                sql = head + f"SELECT * FROM UNNEST({_casts(model, tuple(columns))})" + tail
                cursor.execute(sql, [list(column) for column in zip(*part, strict=True)])
            else:
                one = "(" + ", ".join(["%s"] * len(columns)) + ")"
                cursor.execute(head + "VALUES " + ", ".join([one] * len(part)) + tail, [v for row in part for v in row])
            if returning:
                found += [tuple(row) for row in cursor.fetchall()]
    return found


@cache
def _casts(model: type[models.Model], columns: tuple[str, ...]) -> str:
    """``%b::varchar(200)[], %b::bigint[], ...``: the binary array placeholders of ``columns``, typed."""
    by_column = {f.column: f for f in model._meta.concrete_fields}
    return ", ".join(f"%b::{by_column[c].db_type(connection)}[]" for c in columns)


def save_fields(obj: models.Model, names: Sequence[str]) -> None:
    """``obj.save(update_fields=names)`` for a saved row with a large value (a JSON document of megabytes)."""
    by_name = {field.name: field for field in obj._meta.concrete_fields}
    fields = [by_name[name] for name in names]
    values = [_converter(field, connection.vendor)(obj) for field in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    key = obj._meta.pk.column if obj._meta.pk else "id"
    with _cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(obj._meta.db_table)} SET {assignments} WHERE {quote(key)} = %s", [*values, obj.pk]
        )


@contextmanager
def _cursor() -> Iterator[Any]:
    """A cursor in the current transaction; on PostgreSQL psycopg's own, which binds values on the server."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def insert_objects(
    objs: Sequence[models.Model], *, ignore_conflicts: bool = False, returning: Sequence[str] = ("id",)
) -> list[tuple[Any, ...]]:
    """Insert model instances of one model (every field but the key); see ``insert_rows``.

    Without ``ignore_conflicts`` every instance is inserted: each gets its key and counts as saved.
    """
    if not objs:
        return []
    model = type(objs[0])
    columns, converters = _plan(model, connection.vendor)
    rows = [tuple(convert(obj) for convert in converters) for obj in objs]
    found = insert_rows(model, columns, rows, ignore_conflicts=ignore_conflicts, returning=returning)
    if not ignore_conflicts and tuple(returning[:1]) == ("id",):
        for obj, row in zip(objs, found, strict=True):
            obj.pk = row[0]
            obj._state.adding, obj._state.db = False, connection.alias
    return found
