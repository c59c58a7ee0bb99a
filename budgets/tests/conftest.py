import pytest
from django.utils import timezone


@pytest.fixture
def world_for_budgets(seeded, maker):
    from datetime import datetime

    from facilities import seed as facilities_seed
    from facilities.pricing import SEOUL
    from reservations import seed as reservations_seed
    from reservations import services

    facilities_seed.load(now=timezone.now())
    reservations_seed.load()
    room = seeded["gaebong"].spaces.get(slug="sewing-workshop")
    services.reservation_create(
        resource=room,
        start=datetime(2026, 12, 3, 10, tzinfo=SEOUL),
        end=datetime(2026, 12, 3, 12, tzinfo=SEOUL),
        booked_by=maker,
        user=maker,
        now=datetime(2026, 12, 1, 9, tzinfo=SEOUL),
    )
    return seeded
