"""The migrations spell out PostgreSQL's no-overlap constraints; they must hold exactly the statuses the code says
hold a slot (reservations) or occupy a space (leases), or fresh and existing databases would disagree."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from reservations.models import HOLDING
from tenants.models import OCCUPYING

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
