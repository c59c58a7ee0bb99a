from __future__ import annotations

import pytest

from reservations.services import lifecycle
from reservations.tests.conftest import NOW, at

__all__ = ["NOW", "at"]


@pytest.fixture
def book(world, maker, geumcheon_staff):
    """Book a resource of `world` (the overlock by default) for a maker, or a guest when `guest` is given."""

    def make(
        resource="overlock", start=None, end=None, user=None, guest="", guest_phone="010-0000-0000", now=NOW, **kw
    ):
        start = start or at(3, 10)
        end = end or start.replace(hour=start.hour + 2)
        return lifecycle.reservation_create(
            resource=world[resource] if isinstance(resource, str) else resource,
            start=start,
            end=end,
            booked_by=geumcheon_staff if guest else (user or maker),
            user=None if guest else (user or maker),
            guest_name=guest,
            guest_phone=guest_phone if guest else "",
            as_staff=bool(guest) or kw.pop("as_staff", False),
            now=now,
            **kw,
        )

    return make
