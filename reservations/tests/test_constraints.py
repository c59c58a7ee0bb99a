"""The migrations spell out PostgreSQL's no-overlap constraints; they must hold exactly the statuses the code says
hold a slot (reservations) or occupy a space (leases), or fresh and existing databases would disagree."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection

from reservations.models import HOLDING
from tenants.models import OCCUPYING

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def _definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'x'")
        return dict(cursor.fetchall())


def _statuses(definition: str) -> set[str]:
    return set(re.findall(r"'(\w+)'::character varying", definition))


def test_the_exclusion_constraints_cover_exactly_the_statuses_of_the_code():
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints are PostgreSQL's")
    found = _definitions()
    for field in ("space", "equipment"):
        definition = found[f"reservation_no_overlap_{field}"]
        assert _statuses(definition) == {s.value for s in HOLDING}, definition
        assert "tstzrange(start_at, blocked_until, '[)'" in definition and f"{field}_id WITH =" in definition
    lease = found["lease_no_overlap_per_space"]
    assert _statuses(lease) == {s.value for s in OCCUPYING}, lease
    assert "daterange(starts_on, ends_on, '[]'" in lease


def test_range_reads_bound_start_at_by_the_longest_hold_the_schema_allows(world, maker):
    """Range reads skip history older than MAX_BLOCKED_SPAN before the window; that is sound only while no
    booking can hold its slot longer: a maximum length and a buffer are each at most a PositiveSmallIntegerField
    of minutes, and every booking passes rule_max_duration."""
    from django.db import models as m

    from facilities.models import Equipment, Space
    from reservations import selectors
    from reservations.models import MAX_BLOCKED_SPAN

    limit = 32767  # PositiveSmallIntegerField's largest value, on every database Django supports
    for model in (Space, Equipment):
        for name in ("max_duration_minutes", "buffer_minutes"):
            field = model._meta.get_field(name)
            assert isinstance(field, m.PositiveSmallIntegerField), (model, name)
    assert MAX_BLOCKED_SPAN >= timedelta(minutes=2 * limit)
    # A booking is still found from any moment it holds.
    from reservations import services

    r = services.reservation_create(
        resource=world["cutting"], start=at(3, 10), end=at(3, 16), booked_by=maker, user=maker, now=NOW
    )
    for moment in (at(3, 10), at(3, 15, 59)):
        found = selectors.holding_overlapping(
            resource=world["cutting"], start=moment, until=moment + timedelta(minutes=1)
        )
        assert list(found) == [r]
