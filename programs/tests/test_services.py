from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from facilities.models import EquipmentKind, Space
from programs import services
from programs.models import Registration, RegistrationStatus
from reservations import services as reservation_services
from reservations.services import BookingRefused

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def make_programme(
    world, staff, capacity=2, kind="workshop", certifies=None, room="cutting-room", anchor="geumcheon", day=3
):
    p = services.programme_create(
        anchor=world[anchor], kind=kind, title_ko="패턴 교실", capacity=capacity, created_by=staff, certifies=certifies
    )
    services.session_add(
        programme=p,
        space=Space.objects.get(anchor=world[anchor], slug=room),
        start=at(day, 14),
        end=at(day, 16),
        booked_by=staff,
        now=NOW,
    )
    return p


def test_a_session_books_its_room_so_it_can_never_collide_with_a_booking(world, city_admin, maker):
    p = make_programme(world, city_admin)
    room = Space.objects.get(anchor=world["geumcheon"], slug="cutting-room")
    with pytest.raises(BookingRefused):
        reservation_services.reservation_create(
            resource=room, start=at(3, 15), end=at(3, 16), booked_by=maker, user=maker, now=NOW
        )
    reservation_services.reservation_create(
        resource=room, start=at(4, 14), end=at(4, 16), booked_by=maker, user=maker, now=NOW
    )
    with pytest.raises(BookingRefused):
        services.session_add(programme=p, space=room, start=at(4, 15), end=at(4, 17), booked_by=city_admin, now=NOW)


def test_a_full_programme_puts_makers_on_the_waiting_list_and_a_cancellation_promotes_the_first(world, city_admin):
    p = make_programme(world, city_admin, capacity=2)
    a, b, c, d = (UserFactory(roles=[Role.MAKER]) for _ in range(4))
    ra, rb = (
        services.registration_create(programme=p, user=a, now=NOW),
        services.registration_create(programme=p, user=b, now=NOW),
    )
    rc, rd = (
        services.registration_create(programme=p, user=c, now=NOW),
        services.registration_create(programme=p, user=d, now=NOW),
    )
    assert [r.status for r in (ra, rb, rc, rd)] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert (services.waitlist_position(rc), services.waitlist_position(rd)) == (1, 2)
    promoted = services.registration_cancel(registration=rb, now=NOW)
    assert promoted.pk == rc.pk
    rd.refresh_from_db()
    assert services.waitlist_position(rd) == 1
    assert services.registration_cancel(registration=rd, now=NOW) is None  # a waiting-list cancellation frees no place


def test_a_second_registration_by_the_same_maker_is_refused_by_the_service_and_the_database(world, city_admin, maker):
    p = make_programme(world, city_admin)
    services.registration_create(programme=p, user=maker, now=NOW)
    with pytest.raises(ValidationError):
        services.registration_create(programme=p, user=maker, now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(programme=p, user=maker, status=RegistrationStatus.WAITLISTED)


def test_registration_closes_when_the_programme_starts(world, city_admin, maker):
    p = make_programme(world, city_admin)
    with pytest.raises(ValidationError):
        services.registration_create(programme=p, user=maker, now=at(3, 14))


def test_passing_a_safety_training_grants_the_certification_that_unlocks_the_laser_cutter_everywhere(
    world, city_admin, maker
):
    laser = EquipmentKind.objects.get(slug="laser-cutter")
    p = make_programme(
        world, city_admin, kind="safety_training", certifies=laser, room="seminar-room", anchor="gaebong"
    )
    unit = world["gaebong"].spaces.get(slug="digital-fabrication-lab").equipment.get(kind=laser)
    with pytest.raises(BookingRefused) as err:
        reservation_services.reservation_create(
            resource=unit, start=at(8, 10), end=at(8, 12), booked_by=maker, user=maker, now=NOW
        )
    assert err.value.code == "untrained"
    reg = services.registration_create(programme=p, user=maker, now=NOW)
    session = p.sessions.get()
    with pytest.raises(ValidationError):
        services.attendance_record(
            session=session, registration=reg, attended=False, result="pass", recorded_by=city_admin, now=NOW
        )
    services.attendance_record(
        session=session, registration=reg, attended=True, result="pass", recorded_by=city_admin, now=at(3, 16)
    )
    cert = maker.certifications.get(kind=laser)
    assert cert.granted_at_anchor == world["gaebong"] and cert.granted_on == date(2026, 12, 3)
    r = reservation_services.reservation_create(
        resource=unit, start=at(8, 10), end=at(8, 12), booked_by=maker, user=maker, now=at(3, 17)
    )
    assert r.status == "confirmed"


def test_a_safety_training_must_name_a_kind_that_needs_certification(world, city_admin):
    with pytest.raises(ValidationError):
        services.programme_create(
            anchor=world["gaebong"], kind="safety_training", title_ko="x", capacity=5, created_by=city_admin
        )
    with pytest.raises(ValidationError):
        services.programme_create(
            anchor=world["gaebong"],
            kind="safety_training",
            title_ko="x",
            capacity=5,
            created_by=city_admin,
            certifies=EquipmentKind.objects.get(slug="overlock"),
        )


def test_outcomes_count_the_people_who_attended_unless_told_otherwise(world, city_admin):
    p = make_programme(world, city_admin, capacity=5)
    regs = [services.registration_create(programme=p, user=UserFactory(), now=NOW) for _ in range(3)]
    session = p.sessions.get()
    for i, reg in enumerate(regs):
        services.attendance_record(
            session=session, registration=reg, attended=i < 2, result="", recorded_by=city_admin, now=at(3, 16)
        )
    outcome = services.outcome_save(programme=p, matches=1, jobs_created=2, satisfaction="4.5")
    assert (outcome.participants, outcome.matches, outcome.jobs_created) == (2, 1, 2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_the_waiting_list_in_order_without_overfilling(world, city_admin):
    if connection.vendor != "postgresql":
        pytest.skip("row locks across threads are PostgreSQL's")
    p = make_programme(world, city_admin, capacity=5)
    registered = [services.registration_create(programme=p, user=UserFactory(), now=NOW) for _ in range(5)]
    waiting = [services.registration_create(programme=p, user=UserFactory(), now=NOW) for _ in range(6)]
    barrier = threading.Barrier(5)
    errors = []

    def cancel(reg):
        try:
            barrier.wait(timeout=30)
            services.registration_cancel(registration=reg, now=NOW)
        except Exception as err:  # noqa: BLE001 - any error fails the test below
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in registered]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    now_registered = set(p.registrations.filter(status="registered").values_list("pk", flat=True))
    assert now_registered == {r.pk for r in waiting[:5]}
    assert p.registrations.filter(status="waitlisted").get().pk == waiting[5].pk


def test_registered_makers_get_one_reminder_per_session_and_offset(world, city_admin, maker):
    from django.core import mail

    from notifications import services as notification_services
    from notifications.models import Outbox
    from programs import reminders

    p = make_programme(world, city_admin, capacity=3)
    services.registration_create(programme=p, user=maker, now=NOW)
    mail.outbox.clear()
    assert reminders.session_reminders_schedule(now=at(2, 14, 30)) == 1  # a day before 14:00 on the 3rd
    assert reminders.session_reminders_schedule(now=at(2, 14, 31)) == 0
    row = Outbox.objects.get(kind="session-reminder")
    assert (
        notification_services.outbox_send(pk=row.pk, now=at(2, 14, 31)) == "sent"
        and notification_services.outbox_send(pk=row.pk, now=at(2, 14, 32)) == "not-claimed"
    )
    assert len(mail.outbox) == 1 and "패턴 교실" in mail.outbox[0].subject


def test_housekeeping_gives_places_freed_by_a_larger_capacity_to_the_waiting_list_once(world, city_admin):
    p = make_programme(world, city_admin, capacity=1)
    regs = [services.registration_create(programme=p, user=UserFactory(), now=NOW) for _ in range(3)]
    p.capacity = 2
    p.save()
    assert services.promote_waitlists(now=NOW) == 1
    assert services.promote_waitlists(now=NOW) == 0
    regs[1].refresh_from_db()
    assert regs[1].status == RegistrationStatus.REGISTERED


def test_a_programme_larger_than_its_room_is_refused_with_a_clear_message_and_nothing_is_written(world, city_admin):
    from reservations.models import Reservation

    p = services.programme_create(
        anchor=world["geumcheon"], kind="workshop", title_ko="큰 강의", capacity=30, created_by=city_admin
    )
    before = Reservation.objects.count()
    with pytest.raises(ValidationError) as err:
        services.session_add(
            programme=p, space=world["cutting"], start=at(3, 10), end=at(3, 12), booked_by=city_admin, now=NOW
        )
    assert "8" in err.value.messages[0] and "30" in err.value.messages[0]
    assert Reservation.objects.count() == before and not p.sessions.exists()


def test_a_free_session_holds_an_unpriced_room_with_no_fee_and_every_other_booking_rule(world, city_admin, maker):
    from facilities.models import Space

    hall = Space.objects.create(
        anchor=world["geumcheon"], slug="hall", name_ko="강당", name_en="Hall", kind="education", capacity=40
    )
    p = services.programme_create(
        anchor=world["geumcheon"], kind="open_day", title_ko="열린 날", capacity=30, created_by=city_admin
    )
    session = services.session_add(
        programme=p, space=hall, start=at(3, 10), end=at(3, 12), booked_by=city_admin, now=NOW
    )
    hold = session.reservation
    assert hold.fee_exempt and (hold.fee_won, hold.fee_lines, hold.discount_category) == (0, [], "")
    assert hold.party_size == 30  # the programme's places, not clamped to anything
    with pytest.raises(BookingRefused) as refused:  # a maker cannot book the unpriced room: no price
        reservation_services.reservation_create(
            resource=hall, start=at(4, 10), end=at(4, 12), booked_by=maker, user=maker, now=NOW
        )
    assert refused.value.code == "no_price"
    with pytest.raises(BookingRefused):  # closed days still refuse a programme
        services.session_add(programme=p, space=hall, start=at(5, 10), end=at(5, 12), booked_by=city_admin, now=NOW)


def test_moving_a_session_moves_its_room_hold_and_tells_the_registered_makers(world, city_admin, maker):
    from notifications.models import Outbox

    p = make_programme(world, city_admin, capacity=5)
    services.registration_create(programme=p, user=maker, now=NOW)
    session = p.sessions.get()
    old_hold = session.reservation
    moved = services.session_move(
        session=session, space=world["cutting"], start=at(4, 10), end=at(4, 12), moved_by=city_admin, now=NOW
    )
    old_hold.refresh_from_db()
    assert moved.reservation.pk == old_hold.pk and (old_hold.start_at, old_hold.end_at) == (at(4, 10), at(4, 12))
    assert old_hold.fee_won == 0 and old_hold.fee_exempt
    # The old slot is free again; the new one is held.
    reservation_services.reservation_create(
        resource=world["cutting"], start=at(3, 14), end=at(3, 16), booked_by=maker, user=maker, now=NOW
    )
    with pytest.raises(BookingRefused):
        reservation_services.reservation_create(
            resource=world["cutting"], start=at(4, 10), end=at(4, 11), booked_by=maker, user=maker, now=NOW
        )
    # To another room: a new hold there, the old one released.
    moved = services.session_move(
        session=moved, space=world["sample"], start=at(4, 13), end=at(4, 15), moved_by=city_admin, now=NOW
    )
    old_hold.refresh_from_db()
    assert (
        old_hold.status == "cancelled" and moved.reservation.space == world["sample"] and moved.reservation.fee_exempt
    )
    assert Outbox.objects.filter(kind="session-moved", user=maker).count() == 2
