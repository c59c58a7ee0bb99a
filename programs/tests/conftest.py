from __future__ import annotations

from reservations.tests.conftest import NOW, at  # noqa: F401  shared clock helpers
