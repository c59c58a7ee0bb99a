"""The database, not luck, prevents double booking: 20 makers race for one slot on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from reservations import services
from reservations.models import Reservation, Status
from reservations.services import BookingRefused

from .conftest import NOW, at

pytestmark = pytest.mark.django_db(transaction=True)


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints and row locks are PostgreSQL's")


def test_twenty_simultaneous_requests_for_one_slot_give_exactly_one_booking(world):
    _postgres_only()
    makers = [UserFactory(roles=[Role.MAKER]) for _ in range(20)]
    overlock = world["overlock"]
    barrier = threading.Barrier(len(makers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(maker):
        try:
            barrier.wait(timeout=30)
            # Each thread asks for an overlapping slot; some start half an hour later to overlap differently.
            offset = timedelta(minutes=30 * (maker.pk % 2))
            services.reservation_create(
                resource=overlock,
                start=at(3, 14) + offset,
                end=at(3, 16) + offset,
                booked_by=maker,
                user=maker,
                now=NOW,
            )
            result = "booked"
        except BookingRefused as err:
            result = f"refused:{err.code}"
        except Exception as err:  # anything else would be a 500 for the user
            result = f"error:{type(err).__name__}:{err}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(m,)) for m in makers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(set(outcomes)) == ["booked", "refused:clash"], outcomes
    assert outcomes.count("booked") == 1
    assert Reservation.objects.filter(equipment=overlock, status__in=[Status.CONFIRMED]).count() == 1
    assert Reservation.objects.count() == 1  # no row left half-made


def test_the_exclusion_constraint_refuses_an_overlapping_row_written_past_the_services(world, maker):
    _postgres_only()
    r = services.reservation_create(
        resource=world["cutting"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    clone = dict(
        anchor=r.anchor,
        space=r.space,
        user=maker,
        booked_by=maker,
        start_at=at(3, 11),
        end_at=at(3, 13),
        blocked_until=at(3, 13),
        status=Status.CONFIRMED,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(**clone)
    # A cancelled row does not hold its slot, and back-to-back [) ranges are fine.
    Reservation.objects.create(**{**clone, "status": Status.CANCELLED})
    Reservation.objects.create(**{**clone, "start_at": at(3, 12)})


def test_a_clash_only_the_constraint_sees_is_refused_with_the_clash_message_and_leaves_nothing(
    world, maker, monkeypatch
):
    """reservation_create has no savepoint of its own around the insert: the constraint's refusal is translated
    once its transaction is rolled back, both alone and inside a caller's transaction, which stays usable."""
    _postgres_only()
    from reservations.services import booking_rules

    first = services.reservation_create(
        resource=world["cutting"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    # The clash rule looks away (as if the first booking had been inserted past the resource lock).
    monkeypatch.setattr(booking_rules, "RULES", [r for r in booking_rules.RULES if r is not booking_rules.rule_free])
    other = UserFactory(roles=[Role.MAKER])

    def book():
        return services.reservation_create(
            resource=world["cutting"], start=at(3, 11), end=at(3, 13), booked_by=other, user=other, now=NOW
        )

    with pytest.raises(BookingRefused) as refused:
        book()
    assert refused.value.code == "clash" and isinstance(refused.value.__cause__, IntegrityError)
    with transaction.atomic():  # a caller's transaction (a series, a programme) carries on after the refusal
        with pytest.raises(BookingRefused):
            book()
        assert Reservation.objects.filter(user=other).count() == 0
    assert list(Reservation.objects.values_list("pk", flat=True)) == [first.pk]
    assert not first.events.exclude(to_status=Status.CONFIRMED).exists()


def test_two_parallel_bookings_by_one_maker_on_two_machines_cannot_exceed_the_weekly_quota(world, maker):
    """Each booking alone fits the 3-hour quota; together they do not. The maker's row lock serialises the sum and
    the insert, so in every round exactly one of the two goes through."""
    _postgres_only()
    from facilities.models import Equipment
    from reservations.models import Quota

    Quota.objects.create(anchor=world["geumcheon"], equipment_kind=world["overlock"].kind, hours_per_week=3)
    first, second = world["overlock"], Equipment.objects.get(asset_tag="GC-OVL-02")
    for week, day in enumerate((2, 9, 16)):
        outcomes = _race(
            lambda d=day: services.reservation_create(
                resource=first, start=at(d, 10), end=at(d, 12), booked_by=maker, user=maker, now=NOW
            ),
            lambda d=day: services.reservation_create(
                resource=second, start=at(d, 13), end=at(d, 15), booked_by=maker, user=maker, now=NOW
            ),
        )
        assert outcomes == ["done", "refused:quota"], (week, outcomes)
    assert Reservation.objects.filter(user=maker).count() == 3


def test_a_desk_checking_in_and_another_marking_a_no_show_at_once_leave_one_transition(world, maker, geumcheon_staff):
    _postgres_only()
    r = services.reservation_create(
        resource=world["cutting"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    when = at(3, 10, 20)
    outcomes = _race(
        lambda: services.reservation_check_in(reservation=r, by=geumcheon_staff, now=when),
        lambda: services.reservation_mark_no_show(reservation=r, by=geumcheon_staff, now=when),
    )
    assert outcomes[0] == "done" and outcomes[1].startswith("error:ValidationError"), outcomes
    r.refresh_from_db()
    assert r.events.exclude(from_status="").count() == 1
    assert (r.status == Status.NO_SHOW) == (r.charge_won == r.fee_won > 0)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
            result = "done"
        except BookingRefused as err:
            result = f"refused:{err.code}"
        except Exception as err:
            result = f"error:{type(err).__name__}:{err}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(outcomes)


def test_a_booking_in_progress_does_not_hold_up_another_machine_of_the_same_anchor(world, maker, other_maker):
    """The resource lock takes the machine's row only: not its space, anchor or kind (the default ordering would
    have joined them into FOR UPDATE), so makers booking different machines at one anchor never wait on each
    other. A second connection books the sewing machine while the first holds the overlock's lock."""
    _postgres_only()
    from reservations.services.lifecycle import _serialise_resource

    holding, done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold_the_overlock():
        try:
            with transaction.atomic():
                _serialise_resource(world["overlock"])
                holding.set()
                done.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_overlock)
    holder.start()
    assert holding.wait(timeout=30)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            outcome["booked"] = services.reservation_create(
                resource=world["sewing"],
                start=at(3, 10),
                end=at(3, 11),
                booked_by=other_maker,
                user=other_maker,
                now=NOW,
            )
    finally:
        done.set()
        holder.join()
    assert outcome["booked"].pk is not None


def test_a_clash_only_the_constraint_sees_offers_only_times_the_maker_may_book(world, maker, monkeypatch):
    """The race path's suggestions pass every other rule for the same maker, as the ordinary clash's do: here every
    later time lies beyond the maker's booking window (the last bookable start is the one taken), so none is
    offered rather than times that would be refused."""
    _postgres_only()
    from reservations.models import BookingPolicy
    from reservations.services import booking_rules

    BookingPolicy.objects.filter(anchor=world["geumcheon"]).update(maker_days_ahead=2)  # until 3 Dec 09:00
    from common import pagecache

    pagecache.touch()
    services.reservation_create(
        resource=world["cutting"], start=at(3, 9), end=at(3, 11), booked_by=maker, user=maker, now=NOW
    )
    monkeypatch.setattr(booking_rules, "RULES", [r for r in booking_rules.RULES if r is not booking_rules.rule_free])
    other = UserFactory(roles=[Role.MAKER])
    with pytest.raises(BookingRefused) as refused:
        services.reservation_create(
            resource=world["cutting"], start=at(3, 9), end=at(3, 11), booked_by=other, user=other, now=NOW
        )
    suggestions = refused.value.suggestions
    assert refused.value.code == "clash"
    monkeypatch.undo()
    for start, end in suggestions:
        services.check_booking(resource=world["cutting"], start=start, end=end, user=other, now=NOW)  # never refused
