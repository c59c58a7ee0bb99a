"""common.sessions: Django's database sessions with the per-request read in SQL; the same behaviour as Django's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from common.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_in_one_query_and_an_expired_or_unknown_one_does_not():
    store = SessionStore()
    store["cart"] = {"slot": "09:00", "name": "금천"}
    store.save()
    key = store.session_key
    with CaptureQueriesContext(connection) as read:
        assert SessionStore(key)["cart"] == {"slot": "09:00", "name": "금천"}
    assert len(read.captured_queries) == 1

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.get("cart") is None and expired.session_key is None  # a new session, never the old data
    unknown = SessionStore("x" * 32)
    assert unknown.get("cart") is None and unknown.session_key is None
    malformed = SessionStore("short")  # Django refuses keys under 8 characters before any query
    with CaptureQueriesContext(connection) as read:
        assert malformed.get("cart") is None
    assert len(read.captured_queries) == 0


def test_the_portal_uses_it_and_logging_out_ends_the_session(client):
    from django.conf import settings

    assert settings.SESSION_ENGINE == "common.sessions"
    maker = UserFactory(roles=[Role.MAKER])
    client.force_login(maker)
    assert client.get("/me/reservations/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the old cookie, replayed
    assert client.get("/me/reservations/").status_code == 302
