from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from django.core.exceptions import ValidationError

from facilities import services as facility_services
from facilities.models import EquipmentKind, RateRule, RateTableVersion
from reservations import services
from reservations.models import Reservation, ReservationEvent, Status
from reservations.services import BookingRefused

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def book(resource, start, end, user, **kw):
    return services.reservation_create(
        resource=resource,
        start=start,
        end=end,
        booked_by=kw.pop("booked_by", user),
        user=user,
        now=kw.pop("now", NOW),
        **kw,
    )


def refused(code, **kw):
    with pytest.raises(BookingRefused) as err:
        book(**kw)
    assert err.value.code == code, err.value.messages
    return err.value


@pytest.mark.smoke
def test_a_maker_books_an_overlock_and_the_fee_is_frozen_onto_the_reservation(world, maker):
    r = book(world["overlock"], at(3, 14), at(3, 17), maker)
    assert r.status == Status.CONFIRMED and r.anchor == world["geumcheon"]
    assert r.fee_won == 6_000 and len(r.fee_lines) == 1 and r.rate_version_ids
    assert r.blocked_until == r.end_at
    assert list(r.events.values_list("from_status", "to_status")) == [("", "confirmed")]


@pytest.mark.smoke
def test_a_second_booking_of_the_same_slot_is_refused_naming_the_clash_and_offering_free_slots(
    world, maker, other_maker
):
    book(world["overlock"], at(3, 14), at(3, 17), maker)
    err = refused("clash", resource=world["overlock"], start=at(3, 15), end=at(3, 16), user=other_maker)
    assert "2026-12-03 14:00" in err.messages[0] and "17:00" in err.messages[0]
    assert err.suggestions and err.suggestions[0] == (at(3, 13), at(3, 14))  # the free hour just before comes first
    assert err.suggestions[1][0] >= at(3, 17)
    assert all(not (s < at(3, 17) and e > at(3, 14)) for s, e in err.suggestions)
    for s, e in err.suggestions:  # every slot offered instead is bookable by the same maker
        services.check_booking(resource=world["overlock"], start=s, end=e, now=NOW, user=other_maker)
    assert Reservation.objects.count() == 1


def test_back_to_back_bookings_are_fine_but_the_buffer_keeps_time_free(world, maker, other_maker):
    book(world["overlock"], at(3, 10), at(3, 12), maker)
    book(world["overlock"], at(3, 12), at(3, 14), other_maker)
    room = world["community"]  # 30 minutes of buffer after each booking
    book(room, at(3, 10), at(3, 12), maker)
    refused("clash", resource=room, start=at(3, 12), end=at(3, 13), user=other_maker)
    refused("clash", resource=room, start=at(3, 9), end=at(3, 10), user=other_maker)
    assert book(room, at(3, 12, 30), at(3, 13, 30), other_maker).status == Status.CONFIRMED


@pytest.mark.parametrize(
    "code,start,end",
    [
        ("order", at(3, 14), at(3, 13)),
        ("order", at(3, 14), at(3, 14)),
        ("past", at(1, 8), at(1, 9)),
        ("lead_time", at(1, 9, 30), at(1, 10, 30)),
        ("window", at(10, 10, month=1, year=2027), at(10, 12, month=1, year=2027)),
        ("unit", at(3, 14, 10), at(3, 15, 10)),
        ("min_duration", at(3, 14), at(3, 14, 30)),
        ("max_duration", at(3, 9), at(3, 14)),
        ("hours", at(3, 17), at(3, 19)),
        ("hours", at(3, 8), at(3, 10)),
        ("closed_day", at(5, 10), at(5, 12)),
        ("closed_day", at(25, 10), at(25, 12)),
    ],
)
def test_each_rule_refuses_with_its_own_reason(world, maker, code, start, end):
    refused(code, resource=world["overlock"], start=start, end=end, user=maker)
    assert not Reservation.objects.exists()


def test_a_public_holiday_refusal_names_the_holiday(world, maker):
    err = refused("closed_day", resource=world["overlock"], start=at(25, 10), end=at(25, 12), user=maker)
    assert "기독탄신일" in err.messages[0] or "Christmas" in err.messages[0]


def test_a_closure_of_the_space_refuses_its_machines_and_names_the_reason(world, maker, city_admin):
    space = world["overlock"].space
    facility_services.closure_create(
        anchor=world["geumcheon"],
        space=space,
        starts_at=at(3, 0),
        ends_at=at(4, 0),
        reason="정기 점검",
        created_by=city_admin,
        now=NOW,
    )
    err = refused("closure", resource=world["overlock"], start=at(3, 10), end=at(3, 12), user=maker)
    assert "정기 점검" in err.messages[0]
    assert book(world["cutting"], at(3, 10), at(3, 12), maker).status == Status.CONFIRMED


def test_equipment_in_maintenance_and_spaces_not_bookable_online_are_refused(world, maker, city_admin):
    facility_services.equipment_set_status(
        equipment=world["overlock"], status="maintenance", changed_by=city_admin, note="모터 수리", now=NOW
    )
    world["overlock"].refresh_from_db()
    refused("maintenance", resource=world["overlock"], start=at(3, 10), end=at(3, 12), user=maker)
    refused("not_bookable", resource=world["startup"], start=at(3, 10), end=at(3, 12), user=maker)


def test_the_laser_cutter_needs_a_training_and_a_certification_from_any_anchor_counts(world, maker, geumcheon_staff):
    err = refused("untrained", resource=world["laser"], start=at(3, 10), end=at(3, 12), user=maker)
    assert "Seoul" in err.messages[0] or "서울" in err.messages[0]
    facility_services.certification_grant(
        user=maker,
        kind=EquipmentKind.objects.get(slug="laser-cutter"),
        granted_by=geumcheon_staff,
        reason="금천 교육 이수",
        anchor=world["geumcheon"],
        granted_on=date(2026, 11, 1),
        now=NOW,
    )
    assert book(world["laser"], at(3, 10), at(3, 12), maker).anchor == world["gaebong"]


def test_a_weekly_quota_counts_every_booking_of_the_kind_in_that_week(world, maker, geumcheon_staff):
    facility_services.certification_grant(
        user=maker,
        kind=EquipmentKind.objects.get(slug="laser-cutter"),
        granted_by=geumcheon_staff,
        reason="교육",
        granted_on=date(2026, 11, 1),
        now=NOW,
    )
    book(world["laser"], at(2, 10), at(2, 14), maker)  # Wednesday: 4 of 6 hours
    err = refused("quota", resource=world["laser"], start=at(4, 10), end=at(4, 13), user=maker)
    assert "2" in err.messages[0]
    book(world["laser"], at(4, 10), at(4, 12), maker)
    book(world["laser"], at(8, 10), at(8, 13), maker)  # next week starts afresh


def test_a_room_refuses_more_people_than_it_holds(world, maker):
    refused("capacity", resource=world["cutting"], start=at(3, 10), end=at(3, 12), user=maker, party_size=9)


def test_a_resource_without_a_price_in_the_rate_table_is_refused(world, maker):
    RateRule.objects.filter(space=world["cutting"]).delete()
    refused("no_price", resource=world["cutting"], start=at(3, 10), end=at(3, 12), user=maker)


def test_a_room_that_needs_approval_holds_the_slot_until_approved_rejected_or_expired(
    world, maker, other_maker, geumcheon_staff
):
    r = book(world["sample"], at(3, 10), at(3, 12), maker)
    assert r.status == Status.REQUESTED and r.hold_expires_at == at(3, 9)  # now + 48 hours
    refused("clash", resource=world["sample"], start=at(3, 11), end=at(3, 12), user=other_maker)
    with pytest.raises(ValidationError):
        services.reservation_reject(reservation=r, by=geumcheon_staff, reason=" ", now=NOW)
    r = services.reservation_approve(reservation=r, by=geumcheon_staff, now=NOW)
    assert r.status == Status.CONFIRMED and r.hold_expires_at is None
    second = book(world["sample"], at(4, 10), at(4, 12), other_maker)
    services.reservation_reject(reservation=second, by=geumcheon_staff, reason="장비 점검 예정", now=NOW)
    third = book(world["sample"], at(7, 10), at(7, 12), other_maker)
    held_until = third.hold_expires_at
    assert services.reservations_expire_requests(now=held_until + timedelta(minutes=1)) == 1
    assert (
        services.reservations_expire_requests(now=held_until + timedelta(minutes=2)) == 0
    )  # running twice is harmless
    third.refresh_from_db()
    assert third.status == Status.EXPIRED
    assert (
        book(world["sample"], at(7, 10), at(7, 12), maker, now=held_until + timedelta(minutes=3)).status
        == Status.REQUESTED
    )


def test_only_legal_transitions_are_allowed_and_each_is_logged(world, maker, geumcheon_staff):
    r = book(world["overlock"], at(3, 14), at(3, 17), maker)
    with pytest.raises(ValidationError):
        services.reservation_approve(reservation=r, by=geumcheon_staff, now=NOW)  # already confirmed
    with pytest.raises(ValidationError):
        services.reservation_complete(reservation=r, by=geumcheon_staff, now=NOW)
    r = services.reservation_check_in(reservation=r, by=geumcheon_staff, now=at(3, 13, 55))
    r = services.reservation_complete(reservation=r, by=geumcheon_staff, now=at(3, 17))
    with pytest.raises(ValidationError):
        services.reservation_cancel(reservation=r, by=maker, now=at(3, 18))
    assert list(ReservationEvent.objects.filter(reservation=r).values_list("from_status", "to_status", "by")) == [
        ("", "confirmed", maker.pk),
        ("confirmed", "checked_in", geumcheon_staff.pk),
        ("checked_in", "completed", geumcheon_staff.pk),
    ]


def test_cancelling_is_free_until_the_deadline_then_a_share_is_owed_and_staff_can_waive_it(
    world, maker, geumcheon_staff
):
    early = book(world["cutting"], at(10, 10), at(10, 12), maker)
    assert services.reservation_cancel(reservation=early, by=maker, now=at(9, 9)).charge_won == 0
    late = book(world["cutting"], at(10, 10), at(10, 12), maker)
    with pytest.raises(services.ChargeChanged) as refused:  # the charge must be accepted first
        services.reservation_cancel(reservation=late, by=maker, now=at(9, 11))
    assert refused.value.charge == 15_000 and "15,000" in refused.value.messages[0]
    with pytest.raises(services.ChargeChanged):  # shown 10,000 earlier, it is 15,000 now: refused again
        services.reservation_cancel(reservation=late, by=maker, accepted_charge_won=10_000, now=at(9, 11))
    late.refresh_from_db()
    assert late.status == Status.CONFIRMED and not late.events.filter(to_status="cancelled").exists()
    late = services.reservation_cancel(reservation=late, by=maker, accepted_charge_won=15_000, now=at(9, 11))
    assert late.charge_won == 15_000  # 50 % of 30,000
    with pytest.raises(ValidationError):
        services.reservation_waive_charge(reservation=late, by=geumcheon_staff, reason="", now=NOW)
    late = services.reservation_waive_charge(reservation=late, by=geumcheon_staff, reason="급한 병원 일정", now=NOW)
    assert late.charge_won == 0 and late.charge_waived_reason == "급한 병원 일정"


def test_a_no_show_is_marked_after_the_grace_period_and_charged(world, maker, geumcheon_staff):
    r = book(world["cutting"], at(3, 10), at(3, 12), maker)
    with pytest.raises(ValidationError):
        services.reservation_mark_no_show(reservation=r, by=geumcheon_staff, now=at(3, 10, 10))
    r = services.reservation_mark_no_show(reservation=r, by=geumcheon_staff, now=at(3, 10, 20))
    assert r.status == Status.NO_SHOW and r.charge_won == 30_000
    assert (
        book(
            world["cutting"], at(3, 11), at(3, 12), maker, booked_by=geumcheon_staff, as_staff=True, now=at(3, 10, 30)
        ).status
        == Status.CONFIRMED
    )


def test_moving_requotes_inside_the_policy_and_is_refused_after_the_deadline(world, maker, other_maker):
    r = book(world["cutting"], at(10, 14), at(10, 16), maker)
    book(world["cutting"], at(11, 10), at(11, 12), other_maker)
    with pytest.raises(BookingRefused):
        services.reservation_move(reservation=r, start=at(11, 11), end=at(11, 13), by=maker, now=NOW)
    moved = services.reservation_move(reservation=r, start=at(11, 16), end=at(11, 18), by=maker, now=NOW)
    assert (moved.start_at, moved.fee_won) == (at(11, 16), 30_000)
    with pytest.raises(ValidationError):
        services.reservation_move(reservation=moved, start=at(11, 14), end=at(11, 16), by=maker, now=at(11, 9))


def test_a_later_rate_version_never_changes_a_price_already_quoted(world, maker, city_admin):
    r = book(world["cutting"], at(7, 10, month=1, year=2027), at(7, 12, month=1, year=2027), maker, now=at(20, 9))
    current = RateTableVersion.objects.get(table__anchor=world["geumcheon"])
    new = facility_services.rate_version_copy(
        version=current, effective_from=date(2027, 1, 1), basis_ko="개정", today=date(2026, 12, 20)
    )
    RateRule.objects.filter(version=new, space=world["cutting"]).update(base_price_won=20_000)
    draft = book(world["cutting"], at(7, 16, month=1, year=2027), at(7, 18, month=1, year=2027), maker, now=at(20, 9))
    assert draft.fee_won == 30_000  # a draft prices nothing
    facility_services.rate_version_publish(version=new, today=date(2026, 12, 20))
    r.refresh_from_db()
    assert r.fee_won == 30_000
    again = book(world["cutting"], at(7, 13, month=1, year=2027), at(7, 15, month=1, year=2027), maker, now=at(20, 9))
    assert again.fee_won == 40_000 and again.rate_version_ids == [new.pk]


def test_staff_book_a_walk_in_group_without_notice_or_approval_and_record_booker_and_guest(
    world, maker, geumcheon_staff
):
    r = services.reservation_create(
        resource=world["sample"],
        start=at(1, 9),
        end=at(1, 11),
        booked_by=geumcheon_staff,
        guest_name="홍길동",
        guest_phone="010-1234-5678",
        guest_organisation="시흥동 봉제협회",
        as_staff=True,
        party_size=5,
        discount_category="partner_programme",
        now=NOW,
    )
    assert r.status == Status.CONFIRMED and r.user is None and r.booked_by == geumcheon_staff
    assert r.fee_won == 8_000 and r.discount_category == "partner_programme"  # 16,000 less 50 %
    with pytest.raises(BookingRefused):
        services.reservation_create(
            resource=world["cutting"], start=at(3, 9), end=at(3, 11), booked_by=maker, guest_name="x", now=NOW
        )


def test_a_weekly_series_lists_its_clashes_and_is_created_skipping_them_or_not_at_all(
    world, maker, other_maker, geumcheon_staff
):
    book(world["cutting"], at(8, 10), at(8, 12), other_maker)  # clashes with the second Tuesday
    args = dict(
        resource=world["cutting"],
        start=at(1, 10),
        end=at(1, 12),
        frequency="weekly",
        count=8,
        booked_by=geumcheon_staff,
        guest_name="패턴 교실",
        as_staff=True,
        now=NOW,
    )
    preview = services.series_preview(
        resource=world["cutting"], start=at(1, 10), end=at(1, 12), frequency="weekly", count=8, as_staff=True, now=NOW
    )
    problems = [(o.start.date().isoformat(), o.code) for o in preview if o.problem]
    assert problems == [("2026-12-08", "clash")]
    with pytest.raises(ValidationError):
        services.series_create(skip_problems=False, **args)
    assert Reservation.objects.filter(series__isnull=False).count() == 0
    series = services.series_create(skip_problems=True, **args)
    assert series.reservations.count() == 8 - len(problems)
    assert len(series.skipped) == len(problems)
    fourth = series.reservations.order_by("start_at")[2]
    n = services.series_cancel_rest(reservation=fourth, by=geumcheon_staff, now=NOW)
    assert n == series.reservations.filter(start_at__gte=fourth.start_at).count()
    assert series.reservations.filter(status=Status.CONFIRMED).count() == 2


def test_a_weekly_series_across_a_public_holiday_flags_that_week(world, geumcheon_staff):
    preview = services.series_preview(
        resource=world["cutting"], start=at(11, 10), end=at(11, 12), frequency="weekly", count=4, as_staff=True, now=NOW
    )
    flagged = {o.start.date(): o.code for o in preview if o.problem}
    assert flagged == {date(2026, 12, 25): "closed_day", date(2027, 1, 1): "closed_day"}


def test_bookings_keep_seoul_wall_clock_time_whatever_the_input_zone(world, maker):
    from datetime import datetime

    start = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
    r = book(world["overlock"], start, start + timedelta(hours=2), maker)
    assert r.start_at == at(3, 10)
    late = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)  # 23:00 in Seoul: after hours
    refused("hours", resource=world["overlock"], start=late, end=late + timedelta(hours=2), user=maker)


def test_an_approved_booking_of_an_approval_room_moved_by_its_maker_waits_for_approval_again(
    world, maker, geumcheon_staff
):
    from notifications.models import Outbox

    r = book(world["sample"], at(8, 10), at(8, 12), maker)
    services.reservation_approve(reservation=r, by=geumcheon_staff, now=NOW)
    moved = services.reservation_move(reservation=r, start=at(9, 10), end=at(9, 12), by=maker, now=NOW)
    assert moved.status == Status.REQUESTED and moved.hold_expires_at is not None
    assert moved.events.last().from_status == Status.CONFIRMED
    assert Outbox.objects.filter(kind="staff-alert:request", object_id=r.pk).count() == 2  # asked again
    by_desk = services.reservation_move(
        reservation=services.reservation_approve(reservation=moved, by=geumcheon_staff, now=NOW),
        start=at(10, 10),
        end=at(10, 12),
        by=geumcheon_staff,
        as_staff=True,
        now=NOW,
    )
    assert by_desk.status == Status.CONFIRMED  # the desk moving it needs no approval of its own
