from __future__ import annotations

import pytest

from reservations.tests.conftest import NOW, at  # noqa: F401  shared clock helpers


@pytest.fixture
def world(seeded):
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed

    facilities_seed.load()
    reservations_seed.load()
    return seeded
