"""The reference data kept between requests (common/catalogue.py): read once while nothing changes, read again after
any change to it, never kept where a change could be missed. PostgreSQL and Redis."""

from __future__ import annotations

import threading
import time

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from common import catalogue, pagecache
from common.tests.pagecache_support import use_page_cache
from facilities import selectors as facility_selectors
from facilities.models import OpeningHours, RateRule
from reservations import selectors
from reservations.models import BookingPolicy, Quota, Reservation, Status
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.redis


def queries(read) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        value = read()
    return value, [q["sql"] for q in ctx.captured_queries]


def quote_won(world) -> int:
    return facility_selectors.quote_for(resource=world["overlock"], start=at(3, 10), end=at(3, 12)).total_won


def a_booking(world, maker, code: str) -> Reservation:
    """A confirmed booking written straight to the table: a write that is not to the catalogue."""
    return Reservation.objects.create(
        anchor=world["geumcheon"],
        equipment=world["overlock"],
        user=maker,
        booked_by=maker,
        start_at=at(4, 10),
        end_at=at(4, 11),
        blocked_until=at(4, 11),
        status=Status.CONFIRMED,
        checkin_code=code,
    )


# A booking of the overlock's on the test day's Thursday, previewed through the form.
PREVIEW = {"date": "2026-12-03", "start": "10:00", "end": "11:00", "purpose": "샘플", "step": "preview"}


@pytest.fixture
def kept(settings):
    use_page_cache(settings, "test-catalogue")


@pytest.fixture
def on_the_test_day():
    """The views read the wall clock: the form's dates are in the future on the test day, whatever today is."""
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_rules_data_is_read_once_and_again_after_each_change(kept, world, maker):
    anchor, overlock = world["geumcheon"], world["overlock"]
    fee = quote_won(world)
    again, sql = queries(lambda: quote_won(world))
    assert again == fee and sql == []  # the rate tables are kept
    # A booking is not a change to the catalogue: what is kept stays.
    a_booking(world, maker, "kept-1")
    assert queries(lambda: quote_won(world))[1] == []
    # A change to a rate is seen by the next quote.
    for rule in RateRule.objects.filter(version__table__anchor=anchor, equipment_kind=overlock.kind):
        rule.base_price_won += 1000
        rule.save()
    assert quote_won(world) > fee

    hours, sql = queries(
        lambda: facility_selectors.anchor_hours(anchor=anchor, start=at(3, 0).date(), end=at(3, 0).date())
    )
    assert (
        queries(lambda: facility_selectors.anchor_hours(anchor=anchor, start=at(3, 0).date(), end=at(3, 0).date()))[1]
        == []
    )
    day = OpeningHours.objects.get(anchor=anchor, weekday=at(3, 0).weekday())
    day.closes = day.closes.replace(hour=day.closes.hour - 1)
    day.save()
    assert (
        facility_selectors.anchor_hours(anchor=anchor, start=at(3, 0).date(), end=at(3, 0).date())[0].closes
        == day.closes
    )
    assert hours[0].closes != day.closes

    lead = selectors.policy_for(anchor).lead_time_minutes
    BookingPolicy.objects.filter(anchor=anchor).update(lead_time_minutes=lead + 30)
    pagecache.touch()  # as every update() in the portal is followed (tests/test_architecture.py)
    assert selectors.policy_for(anchor).lead_time_minutes == lead + 30

    Quota.objects.filter(anchor=anchor, equipment_kind=overlock.kind).delete()
    assert selectors.quota_for(overlock) is None
    assert queries(lambda: selectors.quota_for(overlock)) == (None, [])
    quota = Quota.objects.create(anchor=anchor, equipment_kind=overlock.kind, hours_per_week=3)
    assert selectors.quota_for(overlock) == quota


def test_each_caller_gets_its_own_policy(kept, world):
    anchor = world["geumcheon"]
    first = selectors.policy_for(anchor)
    first.lead_time_minutes = 12_345  # changed and not saved: another request must not see it
    second, sql = queries(lambda: selectors.policy_for(anchor))
    assert sql == [] and second is not first and second.lead_time_minutes != 12_345
    assert second.anchor is anchor and second.pk == first.pk and not second._state.adding


def test_a_transaction_that_changed_the_catalogue_reads_its_own_writes(settings, kept, world, maker):
    """Production bumps the stamp only at commit: until then, the writing transaction must not reuse what was kept,
    while a transaction that wrote only bookings still does."""
    settings.PAGE_CACHE_BUMP_IN_TRANSACTION = False
    anchor = world["geumcheon"]
    lead = selectors.policy_for(anchor).lead_time_minutes
    with transaction.atomic():
        a_booking(world, maker, "own-writes-1")
        assert queries(lambda: selectors.policy_for(anchor))[1] == []
        policy = BookingPolicy.objects.get(anchor=anchor)
        policy.lead_time_minutes = lead + 45
        policy.save()
        assert selectors.policy_for(anchor).lead_time_minutes == lead + 45


def test_nothing_is_kept_without_the_shared_cache_or_while_it_fails(settings, kept, world):
    anchor = world["geumcheon"]
    selectors.policy_for(anchor)
    assert queries(lambda: selectors.policy_for(anchor))[1] == []
    pagecache._state["down_until"] = time.monotonic() + 60
    try:
        assert len(queries(lambda: selectors.policy_for(anchor))[1]) == 1
        assert len(queries(lambda: selectors.policy_for(anchor))[1]) == 1
    finally:
        pagecache._state["down_until"] = 0.0
    settings.PAGE_CACHE_ENABLED = False  # the embedded default: no Redis
    assert len(queries(lambda: selectors.policy_for(anchor))[1]) == 1
    assert len(queries(lambda: selectors.policy_for(anchor))[1]) == 1


def test_the_process_keeps_a_bounded_number_of_values(kept, world, monkeypatch):
    monkeypatch.setattr(catalogue, "MAX_ENTRIES", 3)
    monkeypatch.setattr(catalogue, "_kept", {})
    for n in range(10):
        assert catalogue.kept(("test", n), lambda n=n: n) == n
        assert len(catalogue._kept) <= 3


@pytest.mark.django_db(transaction=True)
def test_a_value_read_during_a_change_is_retired_by_its_commit(settings, world):
    """Another worker reads while the change's transaction is open: it keeps the data from before, under the stamp
    from before the commit, which the commit retires."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and Redis (make test)")
    settings.PAGE_CACHE_BUMP_IN_TRANSACTION = False
    use_page_cache(settings, "test-catalogue-commit")
    anchor = world["geumcheon"]
    lead = selectors.policy_for(anchor).lead_time_minutes

    def read_elsewhere() -> int:
        out = {}

        def run():
            try:
                out["lead"] = selectors.policy_for(anchor).lead_time_minutes
            finally:
                connection.close()

        t = threading.Thread(target=run)
        t.start()
        t.join()
        return out["lead"]

    with transaction.atomic():
        policy = BookingPolicy.objects.get(anchor=anchor)
        policy.lead_time_minutes = lead + 60
        policy.save()
        assert read_elsewhere() == lead  # read and kept meanwhile: the data from before
        assert read_elsewhere() == lead
    assert read_elsewhere() == lead + 60
    assert selectors.policy_for(anchor).lead_time_minutes == lead + 60


def test_a_request_reads_the_stamp_once_and_again_after_its_own_change(
    kept, client, world, maker, monkeypatch, on_the_test_day
):
    reads = []
    real = pagecache.catalogue_stamp

    def counted():
        reads.append(1)
        return real()

    monkeypatch.setattr(pagecache, "catalogue_stamp", counted)
    client.force_login(maker)
    url = f"/book/equipment/{world['overlock'].pk}/new/"
    assert client.post(url, PREVIEW).status_code == 200
    assert len(reads) == 1  # the policy, hours, quota and rates: one read of the stamp for all

    anchor = world["geumcheon"]
    catalogue.request_started()
    try:
        lead = selectors.policy_for(anchor).lead_time_minutes
        policy = BookingPolicy.objects.get(anchor=anchor)
        policy.lead_time_minutes = lead + 15
        policy.save()  # in the same request: the next read sees it
        assert selectors.policy_for(anchor).lead_time_minutes == lead + 15
    finally:
        catalogue.request_finished()


def test_a_machine_taken_out_of_service_is_refused_on_the_next_request(
    kept, client, world, maker, geumcheon_staff, on_the_test_day
):
    from facilities.services import equipment_set_status

    client.force_login(maker)
    overlock = world["overlock"]
    url = f"/book/equipment/{overlock.pk}/new/"
    assert client.post(url, PREVIEW).status_code == 200
    assert client.post(url, PREVIEW).status_code == 200  # the machine kept in the process
    equipment_set_status(
        equipment=overlock, status="maintenance", changed_by=geumcheon_staff, note="벨트 교체", now=at(2, 9)
    )
    refused = client.post(url, PREVIEW)
    assert refused.status_code == 400 and "점검 중" in refused.content.decode()


def test_a_closure_refuses_the_next_booking_of_its_day(kept, world, maker, geumcheon_staff):
    from facilities.services import closure_create
    from reservations.services import BookingRefused, check_booking

    overlock = world["overlock"]

    def check():
        return check_booking(resource=overlock, start=at(3, 10), end=at(3, 11), user=maker, now=at(1, 9))

    check()
    assert (
        queries(
            lambda: facility_selectors.closures_overlapping(anchor=world["geumcheon"], start=at(3, 10), end=at(3, 11))
        )[1]
        == []
    )  # the day's closures are kept
    closure_create(
        anchor=world["geumcheon"],
        space=None,
        starts_at=at(3, 9),
        ends_at=at(3, 12),
        reason="정전 점검",
        created_by=geumcheon_staff,
        now=at(1, 9),
    )
    with pytest.raises(BookingRefused) as refused:
        check()
    assert refused.value.code == "closure" and "정전 점검" in refused.value.messages[0]


def test_a_change_whose_bump_was_lost_is_read_within_a_minute(kept, world, monkeypatch):
    anchor = world["geumcheon"]
    lead = selectors.policy_for(anchor).lead_time_minutes
    # As if the bump never reached Redis (an outage at that moment, in a process that then exited).
    BookingPolicy.objects.filter(anchor=anchor).update(lead_time_minutes=lead + 5)  # noqa: touch left out on purpose
    assert selectors.policy_for(anchor).lead_time_minutes == lead  # kept, under a stamp that did not move
    later = time.monotonic() + catalogue.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(catalogue.time, "monotonic", lambda: later)
    assert selectors.policy_for(anchor).lead_time_minutes == lead + 5


def test_the_rules_under_the_lock_see_a_closure_committed_while_the_request_started(kept, world, maker):
    """Another process commits a closure after this request read the stamp: the booking, checked again under its
    locks, reads the stamp again and is refused."""
    from facilities.models import Closure
    from reservations import services
    from reservations.services import BookingRefused

    anchor, overlock = world["geumcheon"], world["overlock"]
    catalogue.request_started()
    try:
        assert facility_selectors.closures_overlapping(anchor=anchor, start=at(3, 10), end=at(3, 11)) == []
        Closure.objects.bulk_create(  # written elsewhere: no signal in this process
            [Closure(anchor=anchor, starts_at=at(3, 9), ends_at=at(3, 12), reason="누수 점검")]
        )
        pagecache._bump()  # that process's commit moves the stamps
        with pytest.raises(BookingRefused) as refused:
            services.reservation_create(
                resource=overlock, start=at(3, 10), end=at(3, 11), booked_by=maker, user=maker, now=at(1, 9)
            )
        assert refused.value.code == "closure"
    finally:
        catalogue.request_finished()


def test_a_policy_is_not_written_onto_the_anchor_it_was_asked_for(kept, world):
    anchor = world["geumcheon"]
    policy = selectors.policy_for(anchor)
    assert policy.anchor is anchor and "booking_policy" not in anchor._state.fields_cache


def test_each_request_gets_its_own_resource_and_related_rows(kept, world):
    from reservations.views.base import ResourceMixin

    def resource():
        view = ResourceMixin()
        view.kwargs = {"kind": "equipment", "pk": world["overlock"].pk}
        return view.get_resource()

    first, (second, sql) = resource(), queries(resource)
    assert sql == [] and second == first and second is not first
    assert second.space is not first.space and second.space.anchor is not first.space.anchor
    assert second.kind is not first.kind and second.space.anchor.name == first.space.anchor.name
