"""common.db.insert_unless_taken: one statement, no savepoint, a duplicate changes nothing and aborts nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from common.db import insert_unless_taken
from common.time import SEOUL
from notifications.models import Outbox, OutboxStatus

AT = datetime(2026, 3, 2, 9, 0, tzinfo=SEOUL)


@pytest.mark.django_db
def test_a_new_row_is_inserted_with_its_defaults_and_a_taken_key_changes_nothing():
    user = UserFactory()
    row = Outbox(key="k-1", kind="notice:confirmed", user_id=user.pk, object_id=7, due_at=AT, created_at=AT)
    with CaptureQueriesContext(connection) as inserted:
        assert insert_unless_taken(row, unique_field="key")
    assert len(inserted.captured_queries) == 1 and "ON CONFLICT" in inserted.captured_queries[0]["sql"]
    stored = Outbox.objects.get(pk=row.pk)
    assert (stored.key, stored.status, stored.attempts, stored.due_at, stored.user_id) == (
        "k-1",
        OutboxStatus.PENDING,
        0,
        AT,
        user.pk,
    )
    assert not row._state.adding

    with transaction.atomic():
        again = Outbox(key="k-1", kind="other", user_id=user.pk, object_id=8, due_at=AT + timedelta(days=1))
        assert not insert_unless_taken(again, unique_field="key") and again.pk is None
        # The transaction is still usable after the duplicate (no IntegrityError aborted it).
        assert Outbox.objects.filter(key="k-1").values_list("kind", "object_id").get() == ("notice:confirmed", 7)


@pytest.mark.django_db
def test_fetch_by_pk_builds_the_instance_the_orm_builds_in_one_query():
    from accounts.models import User
    from common.db import fetch_by_pk

    user = UserFactory(full_name="김 메이커", phone="010-0000-0000", is_staff=True)
    User.objects.filter(pk=user.pk).update(category_verified_at=AT)
    fetch_by_pk(User, user.pk)  # the first call per model and database makes the query's plan
    with CaptureQueriesContext(connection) as read:
        fetched = fetch_by_pk(User, user.pk)
    assert len(read.captured_queries) == 1
    expected = User.objects.get(pk=user.pk)
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(fetched, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert fetched.category_verified_at == AT and fetched.category_verified_at.tzinfo is not None
    assert not fetched._state.adding and fetched._state.db == "default"
    assert fetch_by_pk(User, 10**9) is None
    assert fetch_by_pk(User, str(user.pk)).pk == user.pk  # the session keeps the id as text

    from anchors.tests.factories import AnchorFactory
    from reservations.models import BookingPolicy  # a JSON field and a foreign key

    policy = BookingPolicy.objects.create(anchor=AnchorFactory(), reminder_offsets=[1440, 120])
    loaded = fetch_by_pk(BookingPolicy, policy.pk)
    fields = [f.attname for f in BookingPolicy._meta.concrete_fields]
    assert [getattr(loaded, f) for f in fields] == [getattr(policy, f) for f in fields]
    assert loaded.reminder_offsets == [1440, 120]


@pytest.mark.django_db
def test_the_sessions_user_is_loaded_by_one_select_and_an_inactive_account_is_none():
    from accounts.backends import EmailBackend

    user = UserFactory()
    with CaptureQueriesContext(connection) as read:
        assert EmailBackend().get_user(user.pk) == user
    assert len(read.captured_queries) == 1
    user.is_active = False
    user.save()
    assert EmailBackend().get_user(user.pk) is None
    assert EmailBackend().get_user(10**9) is None
