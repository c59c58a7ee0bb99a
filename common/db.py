"""Database helpers every app needs."""

from __future__ import annotations

from django.db import IntegrityError, connections, router
from django.db.models import Model


def is_exclusion_violation(err: IntegrityError) -> bool:
    """True when PostgreSQL refused a row because an exclusion constraint (SQLSTATE 23P01) saw an overlap."""
    return getattr(getattr(err, "__cause__", None), "pgcode", None) == "23P01"


def insert_unless_taken(obj: Model, *, unique_field: str) -> bool:
    """Insert `obj` unless a row already holds its `unique_field`; True (and `obj.pk` set) when it was inserted.

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
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote(meta.get_field(unique_field).column)}) DO NOTHING "
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
