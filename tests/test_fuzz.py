"""Fuzzing with hypothesis: whatever a user types into the booking form, the fee calculator or an import file,
the answer is a page with a message (2xx, 3xx or 4xx), never a 500, and nothing half-written."""

from __future__ import annotations

import pytest
import tablib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = pytest.mark.django_db

TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "2026-12-03",
            "14:00",
            "25:61",
            "-1",
            "9" * 30,
            "<script>x</script>",
            "0000-00-00",
            "2026-02-30",
            "\x00",
            "NaN",
            "１４:００",
        ]
    ),
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def world(seeded):
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed

    facilities_seed.load(now=SEED_NOW)
    reservations_seed.load()
    return seeded


@FUZZ
@given(date=TEXT, start=TEXT, end=TEXT, purpose=TEXT, party=TEXT, repeat=TEXT, count=TEXT, step=TEXT)
def test_the_booking_form_never_answers_500(
    client, world, maker, date, start, end, purpose, party, repeat, count, step
):
    from reservations.models import Reservation

    client.force_login(maker)
    room = world["geumcheon"].spaces.get(slug="cutting-room")
    before = Reservation.objects.count()
    response = client.post(
        f"/book/space/{room.pk}/new/",
        {
            "date": date,
            "start": start,
            "end": end,
            "purpose": purpose,
            "party_size": party,
            "repeat": repeat,
            "count": count,
            "step": step,
        },
    )
    assert response.status_code < 500
    assert Reservation.objects.count() - before in (0, 1)


@FUZZ
@given(resource=TEXT, date=TEXT, start=TEXT, end=TEXT, category=TEXT)
def test_the_fee_calculator_never_answers_500(client, world, resource, date, start, end, category):
    response = client.get(
        "/anchors/geumcheon/rates/",
        {"resource": resource, "date": date, "start": start, "end": end, "category": category},
    )
    has_nul = any("\x00" in v for v in (resource, date, start, end, category))
    assert response.status_code == (400 if has_nul else 200)  # a NUL byte is refused before any view


@FUZZ
@given(rows=st.lists(st.lists(TEXT, min_size=6, max_size=6), min_size=1, max_size=4))
def test_an_equipment_import_of_any_content_writes_nothing_or_everything(world, rows):
    from facilities.models import Equipment
    from facilities.resources import EquipmentResource

    before = Equipment.objects.count()
    data = tablib.Dataset(*rows, headers=["anchor", "space", "kind", "asset_tag", "name_ko", "status"])
    result = EquipmentResource().import_data(data, dry_run=False)
    failed = result.has_errors() or result.has_validation_errors()
    assert Equipment.objects.count() == before if failed else Equipment.objects.count() >= before


@FUZZ
@given(rows=st.lists(st.lists(TEXT, min_size=8, max_size=8), min_size=1, max_size=3))
def test_a_rate_rule_import_of_any_content_never_crashes_and_rolls_back_on_errors(world, rows):
    from facilities.models import RateRule
    from facilities.resources import RateRuleResource

    before = RateRule.objects.count()
    data = tablib.Dataset(
        *rows,
        headers=[
            "anchor",
            "effective_from",
            "basis_ko",
            "space",
            "equipment_kind",
            "unit",
            "base_price_won",
            "deposit_won",
        ],
    )
    result = RateRuleResource().import_data(data, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        assert RateRule.objects.count() == before
