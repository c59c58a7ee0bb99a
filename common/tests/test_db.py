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
