from datetime import date, datetime

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from common.time import SEOUL
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with


@pytest.fixture
def world_for_budgets(seeded, maker):
    from datetime import datetime

    from common.time import SEOUL
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed
    from reservations import services

    facilities_seed.load(now=SEED_NOW)
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


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=SEOUL)


BOOKED_AT = at(2, 8)


@pytest.fixture
def november(seeded, maker, other_maker, geumcheon_staff, settings, tmp_path):
    """The seed is loaded (tests start from it), with its example tenants leased only from December 2026."""
    settings.MEDIA_ROOT = tmp_path
    from accounts.validators import brn_check_digit
    from facilities.models import Space
    from programs import services as programmes
    from reservations import services
    from tenants import services as tenancy
    from tenants.services import organisation_create

    g = seeded["geumcheon"]
    cutting = g.spaces.get(slug="cutting-room")  # 15,000 won an hour
    overlock = g.spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-OVL-01")  # 2,000 won an hour
    sample = g.spaces.get(slug="sample-room")  # needs approval

    def book(resource, start, end, who=maker):
        return services.reservation_create(
            resource=resource, start=start, end=end, booked_by=who, user=who, now=BOOKED_AT
        )

    a = book(cutting, at(3, 10), at(3, 12))  # completed: 2 h, 30,000
    services.reservation_check_in(reservation=a, by=geumcheon_staff, now=at(3, 10))
    services.reservation_complete(reservation=a, by=geumcheon_staff, now=at(3, 12))
    book(cutting, at(4, 13), at(4, 16), other_maker)  # confirmed: 3 h, 45,000
    c = book(overlock, at(5, 10), at(5, 12))  # no-show: its 4,000 fee is not revenue, the 100 % charge is
    services.reservation_mark_no_show(reservation=c, by=geumcheon_staff, now=at(5, 10, 20))
    d = book(overlock, at(6, 10), at(6, 12))  # cancelled in the free period: nothing
    services.reservation_cancel(reservation=d, by=maker, now=at(2, 9))
    e = book(overlock, at(9, 10), at(9, 12))  # cancelled late: 50 % of 4,000 kept
    services.reservation_cancel(reservation=e, by=maker, accepted_charge_won=2_000, now=at(9, 8))
    f = book(cutting, at(10, 10), at(10, 11), other_maker)  # no-show, charge waived: nothing
    services.reservation_mark_no_show(reservation=f, by=geumcheon_staff, now=at(10, 10, 30))
    services.reservation_waive_charge(reservation=f, by=geumcheon_staff, reason="병원", now=at(10, 11))
    h = book(sample, at(13, 10), at(13, 12))  # a request never approved: expired, nothing
    services.reservations_expire_requests(now=h.hold_expires_at)
    # A programme's hold on the sample room: 2 booked hours, no fee; two of three registered makers attend.
    p = programmes.programme_create(
        anchor=g, kind="workshop", title_ko="봉제 기초", capacity=5, created_by=geumcheon_staff
    )
    session = programmes.session_add(
        programme=p, space=sample, start=at(12, 14), end=at(12, 16), booked_by=geumcheon_staff, now=BOOKED_AT
    )
    people = [UserFactory(roles=[Role.MAKER]) for _ in range(3)]
    regs = [programmes.registration_create(programme=p, user=u, now=BOOKED_AT) for u in people]
    for reg, came in zip(regs, (True, True, False), strict=True):
        programmes.attendance_record(
            session=session, registration=reg, attended=came, result="", recorded_by=geumcheon_staff, now=at(12, 16)
        )

    # Start-up rooms: room 1 leased September to November (in force all month), room 3 from October with the
    # lease ended on 15 November (it occupied the room until then), room 2 leased only from December (the
    # example tenants of the seed): 2 of 3 rooms occupied in November, by 2 companies.
    def company(name, stem):
        return organisation_create(
            name=name,
            business_registration_number=stem + str(brn_check_digit(stem)),
            representative="대표",
            created_by=maker,
        )

    room = {n: Space.objects.get(anchor=g, slug=f"startup-room-{n}") for n in (1, 3)}
    autumn = tenancy.lease_create(
        space=room[1], organisation=company("가을 공방 (예시)", "220811234"), starts_on=date(2026, 9, 1), months=3
    )
    tenancy.lease_activate(lease=autumn)
    gone = tenancy.lease_create(
        space=room[3], organisation=company("떠난 공방 (예시)", "220811235"), starts_on=date(2026, 10, 1), months=3
    )
    tenancy.lease_activate(lease=gone)
    tenancy.lease_terminate(lease=gone, ends_on=date(2026, 11, 15), reason="이전", today=date(2026, 11, 20))
    return g
