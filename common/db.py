"""Database helpers every app needs."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


def is_exclusion_violation(err: IntegrityError) -> bool:
    """True when PostgreSQL refused a row because an exclusion constraint (SQLSTATE 23P01) saw an overlap."""
    return getattr(getattr(err, "__cause__", None), "pgcode", None) == "23P01"


def insert_unless_taken(obj: Model, *, unique_field: str | tuple[str, ...]) -> bool:
    """Insert `obj` unless a row already holds its `unique_field` (or the tuple of fields of a unique constraint);
    True (and `obj.pk` set) when it was inserted.

    One statement, `INSERT … ON CONFLICT (…) DO NOTHING RETURNING pk` (PostgreSQL, and SQLite from 3.35): unlike
    `create()` in a savepoint, a duplicate neither aborts the surrounding transaction nor costs the savepoint's
    two extra statements. It sends no save signals, so it is for rows no cached page shows
    (common.pagecache.UNCACHED_MODELS); the model's field defaults and `pre_save` (auto_now and the like) apply.
    """
    meta = obj._meta
    connection = connections[router.db_for_write(type(obj), instance=obj)]
    fields = [f for f in meta.local_concrete_fields if not (f.primary_key and obj.pk is None)]
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    quote = connection.ops.quote_name
    unique = (unique_field,) if isinstance(unique_field, str) else unique_field
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({', '.join(quote(meta.get_field(f).column) for f in unique)}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding, obj._state.db = False, connection.alias
    return True


_BY_PK: dict[tuple[str, str], tuple[str, list[str], list[tuple[Any, list[Any]]]]] = {}


def fetch_by_pk(model: type[M], pk: Any) -> M | None:
    """One row by its primary key as a model instance, or None: the query's SQL and its columns' converters made
    once per model and database, then one `SELECT` per call. For a read made on every request (the session's
    user): through `objects.get()` the query is compiled anew each time, about a thousand Python function calls.
    The instance is the one the ORM would build (`from_db`, with the backend's and the fields' converters)."""
    connection = connections[router.db_for_read(model)]
    plan = _BY_PK.get((model._meta.label, connection.alias))
    if plan is None:
        meta = model._meta
        fields = meta.concrete_fields
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.pk.column)} = %s"
        )
        columns = [f.get_col(meta.db_table) for f in fields]
        converters = [(c, connection.ops.get_db_converters(c) + c.get_db_converters(connection)) for c in columns]
        plan = _BY_PK[(meta.label, connection.alias)] = (sql, [f.attname for f in fields], converters)
    sql, names, converters = plan
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (column, functions) in zip(row, converters, strict=True):
        for convert in functions:
            value = convert(value, column, connection)
        values.append(value)
    return model.from_db(connection.alias, names, values)
