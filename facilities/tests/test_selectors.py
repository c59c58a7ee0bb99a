from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from common.time import SEOUL
from facilities import seed, selectors, services
from facilities.models import EquipmentKind, OpeningHoursException
from facilities.pricing import QuoteError
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilities(seeded):
    seed.load(now=SEED_NOW)
    return seeded


def test_public_holidays_close_the_anchor_and_are_named_in_the_users_language(facilities):
    days = {
        d.day: d
        for d in selectors.anchor_hours(
            anchor=facilities["geumcheon"], start=date(2026, 12, 24), end=date(2026, 12, 26)
        )
    }
    assert days[date(2026, 12, 24)].opens == time(9)
    assert not days[date(2026, 12, 25)].is_open and "기독탄신일" in days[date(2026, 12, 25)].reason
    en = selectors.anchor_hours(
        anchor=facilities["geumcheon"], start=date(2026, 12, 25), end=date(2026, 12, 25), language="en"
    )
    assert "Christmas" in en[0].reason


def test_a_dated_exception_overrides_both_the_weekday_and_a_holiday(facilities):
    g = facilities["geumcheon"]
    OpeningHoursException.objects.create(
        anchor=g, date=date(2026, 12, 25), opens=time(10), closes=time(14), reason="특별 개방"
    )
    OpeningHoursException.objects.create(anchor=g, date=date(2026, 12, 24), reason="내부 점검")
    days = {d.day: d for d in selectors.anchor_hours(anchor=g, start=date(2026, 12, 24), end=date(2026, 12, 25))}
    assert (days[date(2026, 12, 25)].opens, days[date(2026, 12, 25)].closes) == (time(10), time(14))
    assert not days[date(2026, 12, 24)].is_open and days[date(2026, 12, 24)].reason == "내부 점검"


def test_weekends_without_hours_are_closed(facilities):
    sat = selectors.anchor_hours(anchor=facilities["geumcheon"], start=date(2026, 11, 28), end=date(2026, 11, 28))[0]
    assert not sat.is_open
    gaebong_sat = selectors.anchor_hours(
        anchor=facilities["gaebong"], start=date(2026, 11, 28), end=date(2026, 11, 28)
    )[0]
    assert gaebong_sat.opens == time(10)


def test_closures_of_the_anchor_or_of_the_space_overlap_a_period(facilities):
    g = facilities["geumcheon"]
    mask = g.spaces.get(slug="mask-facility")
    cutting = g.spaces.get(slug="cutting-room")
    start = datetime(2026, 12, 2, 0, 0, tzinfo=SEOUL)
    staff = UserFactory(roles=[Role.FACILITY_STAFF])
    services.closure_create(
        anchor=g,
        space=mask,
        starts_at=start,
        ends_at=start + timedelta(days=1),
        reason="정기 점검",
        created_by=staff,
        now=start - timedelta(days=1),
    )
    assert (
        len(
            selectors.closures_overlapping(
                anchor=g, start=start + timedelta(hours=10), end=start + timedelta(hours=12), space=mask
            )
        )
        == 1
    )
    assert (
        len(
            selectors.closures_overlapping(
                anchor=g, start=start + timedelta(hours=10), end=start + timedelta(hours=12), space=cutting
            )
        )
        == 0
    )
    assert (
        len(
            selectors.closures_overlapping(
                anchor=g, start=start + timedelta(days=1), end=start + timedelta(days=2), space=mask
            )
        )
        == 0
    )


def test_a_certification_from_gaebong_is_honoured_at_every_anchor_until_it_expires(facilities):
    laser = EquipmentKind.objects.get(slug="laser-cutter")
    maker = UserFactory(roles=[Role.MAKER])
    staff = UserFactory(roles=[Role.FACILITY_STAFF])
    assert not selectors.user_is_certified(user=maker, kind=laser)
    with time_machine.travel(datetime(2026, 11, 21, 10, tzinfo=SEOUL), tick=False):
        cert = services.certification_grant(
            user=maker,
            kind=laser,
            granted_by=staff,
            reason="안전교육 이수",
            anchor=facilities["gaebong"],
            now=timezone.now(),
        )
        assert selectors.user_is_certified(user=maker, kind=laser)
    assert cert.expires_on == date(2027, 11, 21)  # the laser cutter's certification lasts 12 months
    assert not selectors.user_is_certified(user=maker, kind=laser, on=date(2027, 11, 22))
    services.certification_revoke(certification=cert, revoked_by=staff, reason="안전수칙 위반", now=timezone.now())
    assert not selectors.user_is_certified(user=maker, kind=laser, on=date(2026, 12, 1))


def test_the_quote_of_a_seeded_room_uses_the_rate_table_in_effect(facilities):
    cutting = facilities["geumcheon"].spaces.get(slug="cutting-room")
    q = selectors.quote_for(
        resource=cutting,
        start=datetime(2026, 11, 26, 14, tzinfo=SEOUL),
        end=datetime(2026, 11, 26, 19, 30, tzinfo=SEOUL),
        categories=["tenant_member"],
    )
    assert [(line.gross_won, line.discount_won, line.amount_won) for line in q.lines] == [
        (60_000, 18_000, 42_000),
        (27_000, 8_100, 18_900),
    ]
    assert q.total_won == 60_900


def test_equipment_is_priced_by_its_kind_and_a_later_version_applies_from_its_date(facilities):
    laser = facilities["gaebong"].spaces.get(slug="digital-fabrication-lab").equipment.get(kind__slug="laser-cutter")
    before = selectors.quote_for(
        resource=laser, start=datetime(2027, 2, 26, 10, tzinfo=SEOUL), end=datetime(2027, 2, 26, 12, tzinfo=SEOUL)
    )
    after = selectors.quote_for(
        resource=laser, start=datetime(2027, 3, 5, 10, tzinfo=SEOUL), end=datetime(2027, 3, 5, 12, tzinfo=SEOUL)
    )
    assert (before.total_won, after.total_won) == (20_000, 24_000)
    assert before.version_ids != after.version_ids


def test_a_resource_without_a_price_is_refused_with_a_reason(facilities):
    mask = facilities["geumcheon"].spaces.get(slug="mask-facility")
    with pytest.raises(QuoteError) as err:
        selectors.quote_for(
            resource=mask, start=datetime(2025, 6, 2, 9, tzinfo=SEOUL), end=datetime(2025, 6, 2, 13, tzinfo=SEOUL)
        )
    assert err.value.code == "no_rate"
