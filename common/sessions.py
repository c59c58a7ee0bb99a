"""Django's database sessions, with the one read every logged-in request makes in plain SQL.

`SessionStore.load` asks for the session's data by key among the unexpired sessions; through the ORM (a model, a
query compiled per request, an instance built) that read cost about 800 Python function calls, in SQL a few dozen
(bench/bookings.py counts them). Everything else (creating, saving, rotating, deleting, expiry, the table) is
Django's own `django.contrib.sessions.backends.db`.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> SimpleNamespace | None:
        key = self.session_key  # None when the cookie's key is malformed (the base class validates it)
        row = None
        if key:
            model = self.model
            connection = connections[router.db_for_read(model)]
            q = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {q('session_data')} FROM {q(model._meta.db_table)} "
                    f"WHERE {q('session_key')} = %s AND {q('expire_date')} > %s",
                    [key, connection.ops.adapt_datetimefield_value(timezone.now())],
                )
                row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: a key that is unknown or expired starts a new session
            return None
        return SimpleNamespace(session_data=row[0])
