from __future__ import annotations

from datetime import datetime

import pytest

from facilities.pricing import SEOUL

# A Tuesday morning in Seoul; every service call in these tests passes it as `now`.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=SEOUL)


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def world(seeded):
    """The seeded anchors with their facilities and booking policies."""
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed

    facilities_seed.load()
    reservations_seed.load()
    g = seeded["geumcheon"]
    gaebong = seeded["gaebong"]
    return {
        "geumcheon": g,
        "changsin": seeded["changsin"],
        "gaebong": gaebong,
        "overlock": g.spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-OVL-01"),
        "sewing": g.spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-SEW-01"),
        "cutting": g.spaces.get(slug="cutting-room"),
        "sample": g.spaces.get(slug="sample-room"),
        "mask": g.spaces.get(slug="mask-facility"),
        "startup": g.spaces.get(slug="startup-room-1"),
        "community": seeded["changsin"].spaces.get(slug="community-space"),
        "laser": gaebong.spaces.get(slug="digital-fabrication-lab").equipment.get(kind__slug="laser-cutter"),
    }
