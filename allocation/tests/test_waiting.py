"""Waiting lists: a freed slot is offered to the first maker waiting who can book it, held for them, then the next;
concurrent cancellations never give one slot to two people."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from allocation import services
from allocation.models import AllocationPolicy, SlotWait, WaitStatus
from notifications.models import Outbox
from reservations import selectors as reservation_selectors
from reservations import services as reservation_services
from reservations.models import Reservation, Status
from reservations.services import BookingRefused

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def book(resource, start, end, user, now=NOW):
    return reservation_services.reservation_create(
        resource=resource, start=start, end=end, booked_by=user, user=user, now=now
    )


def wait(user, resource, start, end, now=NOW):
    return services.wait_join(user=user, resource=resource, start=start, end=end, now=now)


@pytest.fixture
def busy(world, makers):
    """Overlock 1 booked by makers[0] on Thursday 3 December, 10:00–12:00; makers[1] then [2] wait for it."""
    r = book(world["overlock"], at(3, 10), at(3, 12), makers[0])
    first = wait(makers[1], world["overlock"], at(3, 10), at(3, 12), now=NOW + timedelta(minutes=1))
    second = wait(makers[2], world["overlock"], at(3, 10), at(3, 12), now=NOW + timedelta(minutes=2))
    return r, first, second


def test_a_free_slot_cannot_be_waited_for_and_a_busy_one_can_once(world, makers, busy):
    with pytest.raises(ValidationError) as err:
        wait(makers[3], world["overlock"], at(3, 14), at(3, 16))
    assert err.value.code == "free"
    with pytest.raises(ValidationError) as err:
        wait(makers[1], world["overlock"], at(3, 10), at(3, 12))
    assert err.value.code == "duplicate"
    with pytest.raises(ValidationError) as err:
        wait(makers[0], world["overlock"], at(3, 10), at(3, 12))
    assert err.value.code == "yours"
    with pytest.raises(ValidationError) as err:
        wait(makers[3], world["overlock"], at(3, 17), at(3, 19))  # after closing: never bookable
    assert err.value.code == "hours"
    with pytest.raises(ValidationError) as err:
        wait(makers[3], world["overlock"], NOW - timedelta(hours=1), NOW)
    assert err.value.code == "past"
    assert SlotWait.objects.count() == 2


def test_a_cancellation_offers_the_slot_to_the_first_in_line_and_holds_it_for_them(
    world, makers, busy, django_capture_on_commit_callbacks, time_machine
):
    r, first, second = busy
    later = NOW + timedelta(hours=1)
    time_machine.move_to(later, tick=False)  # the offer is made by a task, which reads the clock when it runs
    with django_capture_on_commit_callbacks(execute=True):
        reservation_services.reservation_cancel(reservation=r, by=makers[0], now=later)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitStatus.OFFERED and second.status == WaitStatus.WAITING
    assert first.offer_expires_at > first.offered_at
    assert Outbox.objects.filter(kind="wait:offered", user=makers[1]).count() == 1
    # the slot is held for them: another maker is refused, and so is the desk
    with pytest.raises(BookingRefused) as err:
        book(world["overlock"], at(3, 10), at(3, 11), makers[3], now=first.offered_at)
    assert err.value.code == "offered"
    # the grid says so to others, and shows it free to the maker it is offered to
    now = first.offered_at + timedelta(minutes=1)
    _days, rows = reservation_selectors.resource_week(
        resource=world["overlock"], week_of=at(3, 0).date(), now=now, user=makers[3]
    )
    assert {c.start: c.state for row in rows for c in row.cells}[at(3, 10)] == "offered"
    _days, rows = reservation_selectors.resource_week(
        resource=world["overlock"], week_of=at(3, 0).date(), now=now, user=makers[1]
    )
    assert {c.start: c.state for row in rows for c in row.cells}[at(3, 10)] == "free"
    reservation = services.wait_accept(wait=first, user=makers[1], now=now)
    assert reservation.status == Status.CONFIRMED and reservation.user == makers[1]
    first.refresh_from_db()
    assert first.status == WaitStatus.BOOKED and first.reservation == reservation


def test_an_offer_not_taken_lapses_and_goes_to_the_next(
    world, makers, busy, django_capture_on_commit_callbacks, time_machine
):
    r, first, second = busy
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    policy, _new = AllocationPolicy.objects.get_or_create(anchor=world["geumcheon"])
    policy.offer_minutes = 60
    policy.save()
    later = NOW + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        reservation_services.reservation_cancel(reservation=r, by=makers[0], now=later)
    first.refresh_from_db()
    assert first.offer_expires_at == later + timedelta(minutes=60)
    with pytest.raises(ValidationError) as err:
        services.wait_accept(wait=first, user=makers[2], now=later)
    assert err.value.code == "not_yours"
    outcome = services.waits_housekeeping(now=later + timedelta(minutes=61))
    assert outcome["lapsed"] == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitStatus.LAPSED and second.status == WaitStatus.OFFERED
    with pytest.raises(ValidationError) as err:
        services.wait_accept(wait=first, user=makers[1], now=later + timedelta(minutes=62))
    assert err.value.code == "state"
    assert services.waits_housekeeping(now=later + timedelta(minutes=61)) == {"lapsed": 0, "ended": 0}  # twice
    # declining passes it on at once
    with django_capture_on_commit_callbacks(execute=True):
        services.wait_withdraw(wait=second, user=makers[2], now=later + timedelta(minutes=70))
    second.refresh_from_db()
    assert second.status == WaitStatus.DECLINED
    assert not Reservation.objects.filter(status__in=["confirmed"], start_at=at(3, 10)).exists()


def test_an_offer_skips_a_maker_who_could_not_book_it_now(
    world, makers, busy, django_capture_on_commit_callbacks, time_machine
):
    r, first, second = busy
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    # The first in line is suspended meanwhile, so the second is offered the slot.
    from allocation.models import Suspension

    Suspension.objects.create(
        user=makers[1],
        anchor=world["geumcheon"],
        imposed_by=world["geumcheon"],
        starts_at=NOW,
        ends_at=NOW + timedelta(days=30),
        reason="test",
    )
    with django_capture_on_commit_callbacks(execute=True):
        reservation_services.reservation_cancel(reservation=r, by=makers[0], now=NOW + timedelta(hours=1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitStatus.WAITING and second.status == WaitStatus.OFFERED


def test_waits_for_slots_that_have_begun_end(world, makers, busy):
    assert services.waits_housekeeping(now=at(3, 10))["ended"] == 2
    assert not SlotWait.objects.filter(status__in=["waiting", "offered"]).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing cancellations need PostgreSQL")
def test_concurrent_cancellations_never_give_one_slot_to_two_people(seeded, world, makers, time_machine):
    """Two bookings (10–11 and 11–12) cancelled at the same moment by two threads, each then offering what freed,
    twice over (a retried task): the maker waiting for 10–12 is offered it once, nobody else is."""
    overlock = world["overlock"]
    a = book(overlock, at(3, 10), at(3, 11), makers[0])
    b = book(overlock, at(3, 11), at(3, 12), makers[1])
    first = wait(makers[2], overlock, at(3, 10), at(3, 12), now=NOW + timedelta(minutes=1))
    second = wait(makers[3], overlock, at(3, 10), at(3, 11), now=NOW + timedelta(minutes=2))
    later = NOW + timedelta(hours=1)
    # The wall clock too: each committed cancellation also runs the offer task in-process (eager in tests), which
    # reads the clock; at the real date it would find the offers made at `later` long lapsed.
    time_machine.move_to(later, tick=False)
    barrier = threading.Barrier(4)
    errors = []

    def cancel_and_offer(r):
        try:
            barrier.wait()
            reservation_services.reservation_cancel(reservation=r, by=r.user, now=later)
            services.wait_offer_freed(resource=overlock, start=r.start_at, end=r.end_at, now=later)
        except Exception as err:  # noqa: BLE001
            errors.append(err)
        finally:
            connection.close()

    def offer_again(r):
        try:
            barrier.wait()
            services.wait_offer_freed(resource=overlock, start=r.start_at, end=r.end_at, now=later)
        except Exception as err:  # noqa: BLE001
            errors.append(err)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=cancel_and_offer, args=(a,)),
        threading.Thread(target=cancel_and_offer, args=(b,)),
        threading.Thread(target=offer_again, args=(a,)),
        threading.Thread(target=offer_again, args=(b,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    offered = list(SlotWait.objects.filter(status=WaitStatus.OFFERED))
    # whoever was offered first, the two offers never overlap: one slot, one person
    assert len(offered) == 1
    assert offered[0].pk in (first.pk, second.pk)
    # and after that offer, the held slot cannot be booked by anyone else
    with pytest.raises(BookingRefused):
        book(overlock, at(3, 10), at(3, 11), makers[4], now=later)


def test_the_pages_let_a_maker_wait_take_an_offer_and_let_go(
    client, world, makers, busy, time_machine, django_capture_on_commit_callbacks
):
    r, first, second = busy
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    client.force_login(makers[3])
    join = reverse("allocation:wait_join")
    response = client.post(
        join,
        {"resource": f"equipment:{world['overlock'].pk}", "start": at(3, 10).isoformat(), "end": at(3, 12).isoformat()},
    )
    assert response.status_code == 302 and SlotWait.objects.filter(user=makers[3]).count() == 1
    for hostile in (
        {"resource": "equipment:99999999999", "start": at(3, 10).isoformat(), "end": at(3, 12).isoformat()},
        {"resource": "nonsense", "start": "x", "end": "y"},
        {"resource": f"equipment:{world['overlock'].pk}", "start": "10000-01-01", "end": ""},
    ):
        assert client.post(join, hostile).status_code == 302
    assert SlotWait.objects.filter(user=makers[3]).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        reservation_services.reservation_cancel(reservation=r, by=makers[0], now=NOW + timedelta(hours=1))
    client.force_login(makers[1])
    page = client.get(reverse("allocation:my_waits"))
    assert page.status_code == 200 and "wait_accept" not in page.content.decode()
    assert f"/waiting/{first.pk}/accept/" in page.content.decode()
    client.force_login(makers[2])
    assert client.post(reverse("allocation:wait_accept", args=[first.pk])).status_code == 404  # not theirs
    client.force_login(makers[1])
    response = client.post(reverse("allocation:wait_accept", args=[first.pk]), {"fee_shown_won": "1"})
    assert response.status_code == 302 and not Reservation.objects.filter(user=makers[1]).exists()  # fee changed
    response = client.post(reverse("allocation:wait_accept", args=[first.pk]))
    assert Reservation.objects.filter(user=makers[1], status=Status.CONFIRMED).count() == 1
    assert response.status_code == 302


def test_the_desk_grid_shows_a_held_slot_and_offers_no_booking_there(
    client, world, makers, busy, geumcheon_staff, django_capture_on_commit_callbacks, time_machine
):
    r, first, second = busy
    later = NOW + timedelta(hours=1)
    time_machine.move_to(later, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        reservation_services.reservation_cancel(reservation=r, by=makers[0], now=later)
    _slots, rows, _hours = reservation_selectors.day_grid(anchor=world["geumcheon"], day=at(3, 0).date(), now=later)
    row = next(row for row in rows if row.resource.pk == world["overlock"].pk and row.kind == "equipment")
    states = {c.start: c.state for c in row.cells}
    assert states[at(3, 10)] == "offered" and states[at(3, 11, 30)] == "offered" and states[at(3, 12)] == "free"
    with pytest.raises(BookingRefused):  # the desk is refused there too, as the grid says
        reservation_services.reservation_create(
            resource=world["overlock"],
            start=at(3, 10),
            end=at(3, 11),
            booked_by=geumcheon_staff,
            guest_name="손님",
            as_staff=True,
            now=later,
        )
    client.force_login(geumcheon_staff)
    page = client.get("/desk/geumcheon/?date=2026-12-03").content.decode()
    assert "slot-unavailable" in page


def test_a_maker_refused_a_taken_slot_is_offered_to_wait_for_it(client, world, makers, busy, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(makers[3])
    url = f"/book/equipment/{world['overlock'].pk}/new/"
    data = {"date": "2026-12-03", "start": "10:00", "end": "11:00", "step": "preview"}
    page = client.post(url, data)
    assert page.status_code == 400
    body = page.content.decode()
    assert reverse("allocation:wait_join") in body and 'name="resource"' in body


def test_a_slot_held_only_by_the_buffer_of_an_offer_is_offered_once_that_offer_is_let_go(
    world, makers, django_capture_on_commit_callbacks, time_machine
):
    overlock = world["overlock"]
    overlock.buffer_minutes = 15
    overlock.save()
    r = book(overlock, at(3, 10), at(3, 12), makers[0])
    a = wait(makers[1], overlock, at(3, 10), at(3, 11), now=NOW + timedelta(minutes=1))
    b = wait(makers[2], overlock, at(3, 11), at(3, 12), now=NOW + timedelta(minutes=2))
    later = NOW + timedelta(hours=1)
    time_machine.move_to(later, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        reservation_services.reservation_cancel(reservation=r, by=makers[0], now=later)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == WaitStatus.OFFERED and b.status == WaitStatus.WAITING  # 11:00 is inside a's buffer
    with django_capture_on_commit_callbacks(execute=True):
        services.wait_withdraw(wait=a, user=makers[1], now=later)
    b.refresh_from_db()
    assert b.status == WaitStatus.OFFERED
