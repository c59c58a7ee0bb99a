"""Every e-mail goes through the outbox: made once per key, claimed once per attempt, delivered at least once with
a stable Message-ID, retried on mail errors and then shown to staff; a refused action sends nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections

from notifications import services
from notifications.models import Notification, Outbox, OutboxStatus
from reservations import reminders
from reservations import services as reservation_services

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def deliver(now):
    return services.outbox_deliver_due(now=now)


def book(world, user, day=3, hour=14, now=NOW, resource="overlock"):
    r = reservation_services.reservation_create(
        resource=world[resource], start=at(day, hour), end=at(day, hour + 2), booked_by=user, user=user, now=now
    )
    deliver(now)  # the confirmation (on_commit does not run inside a test transaction)
    mail.outbox.clear()
    return r


def run_jobs(now):
    """What beat runs: queue the reminders that are due, then deliver what is due."""
    reminders.reminders_schedule(now=now)
    return deliver(now)


def test_a_booking_gets_one_reminder_a_day_before_and_one_two_hours_before_even_when_the_jobs_run_twice(world, maker):
    r = book(world, maker)
    assert reminders.reminders_schedule(now=at(2, 13, 59)) == 0
    run_jobs(at(2, 14, 1))
    run_jobs(at(2, 14, 2))  # twice: nothing new
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0].endswith(".ics")
    run_jobs(at(3, 12, 5))
    run_jobs(at(3, 12, 6))
    assert len(mail.outbox) == 2
    assert Outbox.objects.filter(kind="reminder", object_id=r.pk, status=OutboxStatus.SENT).count() == 2
    assert Notification.objects.filter(user=maker).count() == 3  # the confirmation and the two reminders


def test_no_reminder_for_a_cancelled_booking_or_for_the_offsets_already_past_when_it_was_made(
    world, maker, other_maker
):
    cancelled = book(world, maker)
    reservation_services.reservation_cancel(reservation=cancelled, by=maker, now=NOW)
    late = book(world, other_maker, hour=10, now=at(3, 7))  # made 3 hours before: only the 2-hour reminder
    mail.outbox.clear()
    run_jobs(at(3, 8, 5))
    assert list(Outbox.objects.filter(kind="reminder").values_list("object_id", "offset_minutes")) == [(late.pk, 120)]
    assert len(mail.outbox) == 1


def test_a_reminder_queued_before_the_booking_was_cancelled_is_skipped(world, maker):
    r = book(world, maker)
    reminders.reminders_schedule(now=at(2, 14, 1))
    reservation_services.reservation_cancel(reservation=r, by=maker, accepted_charge_won=2_000, now=at(2, 14, 1))
    mail.outbox.clear()
    deliver(at(2, 14, 2))
    assert Outbox.objects.get(kind="reminder").status == OutboxStatus.SKIPPED
    assert len(mail.outbox) == 1 and "METHOD:CANCEL" in mail.outbox[0].attachments[0][1]  # the cancellation only


def test_the_reminder_is_in_the_makers_language(world, maker):
    maker.preferred_language = "en"
    maker.save()
    book(world, maker)
    run_jobs(at(2, 14, 1))
    assert mail.outbox[0].subject.startswith("[Geumcheon Smart Solution Anchor] Reminder")


def test_a_refusing_mail_server_is_retried_with_backoff_then_shown_to_staff(
    world, maker, geumcheon_staff, client, settings
):
    book(world, maker)
    settings.EMAIL_BACKEND = "tests.support.failing_email.EmailBackend"
    now = at(2, 14, 1)
    reminders.reminders_schedule(now=now)
    for _ in range(services.MAX_ATTEMPTS + 1):
        deliver(now)
        now += timedelta(hours=3)
    row = Outbox.objects.get(kind="reminder")
    assert row.status == OutboxStatus.GAVE_UP and row.attempts == services.MAX_ATTEMPTS and "refused" in row.last_error
    assert not Notification.objects.filter(outbox=row).exists()  # nothing recorded as delivered
    client.force_login(geumcheon_staff)
    assert "refused" in client.get("/desk/geumcheon/outbox/").content.decode()


def test_every_delivery_of_one_row_carries_the_same_message_id_and_makes_one_notification(world, maker):
    """At least once: a worker that died after the mail left sends it again; the repeat is recognisable."""
    r = book(world, maker)
    reminders.reminders_schedule(now=at(2, 14, 1))
    row = Outbox.objects.get(kind="reminder", object_id=r.pk)
    assert services.outbox_send(pk=row.pk, now=at(2, 14, 1)) == OutboxStatus.SENT
    # What a worker killed between the send and the mark leaves behind: a stale "sending" claim.
    Outbox.objects.filter(pk=row.pk).update(status=OutboxStatus.SENDING, claimed_at=at(2, 14, 1))
    assert services.outbox_send(pk=row.pk, now=at(2, 14, 2)) == "not-claimed"  # not stale yet
    deliver(at(2, 14, 1) + services.stale_after() + timedelta(seconds=1))
    assert len(mail.outbox) == 2
    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert ids == {services.message_id(row.key)}
    assert Notification.objects.filter(outbox=row).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_racing_send_each_message_once(world, maker, other_maker):
    if connection.vendor != "postgresql":
        pytest.skip("threads racing on rows is a PostgreSQL test")
    # Rows are committed here, so each enqueue kicks its in-process send, which (as a worker would) takes the wall
    # clock: the clock is set to the test's day, or on a later date those sends would find the reminders stale.
    clock = time_machine.travel(NOW, tick=False)
    clock.start()
    try:
        _race(world, maker, other_maker)
    finally:
        clock.stop()


def _race(world, maker, other_maker):
    book(world, maker)
    book(world, other_maker, hour=10, resource="sewing")
    reminders.reminders_schedule(now=at(3, 8, 5))
    mail.outbox.clear()
    barrier = threading.Barrier(2)

    def run():
        barrier.wait(timeout=10)
        deliver(at(3, 8, 5))
        connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert Outbox.objects.filter(kind="reminder", status=OutboxStatus.SENT).count() == 2
    assert len(mail.outbox) == 2


def test_a_refused_booking_queues_no_message_and_sends_nothing(world, maker, other_maker):
    book(world, maker)
    rows = Outbox.objects.count()
    with pytest.raises(reservation_services.BookingRefused):
        reservation_services.reservation_create(
            resource=world["overlock"], start=at(3, 14), end=at(3, 16), booked_by=other_maker, user=other_maker, now=NOW
        )
    deliver(NOW)
    assert Outbox.objects.count() == rows and mail.outbox == []


def test_a_weekly_series_sends_one_notice_listing_every_occurrence(world, maker):
    series = reservation_services.series_create(
        resource=world["overlock"],
        start=at(3, 14),
        end=at(3, 16),
        frequency="weekly",
        count=3,
        booked_by=maker,
        user=maker,
        skip_problems=False,
        now=NOW,
    )
    deliver(NOW)
    assert len(mail.outbox) == 1 and series.reservations.count() == 3
    body = mail.outbox[0].body
    assert (
        all(f"2026-12-{d:02d}" in body for d in (3, 10, 17))
        and mail.outbox[0].attachments[0][1].count("BEGIN:VEVENT") == 3
    )


def test_a_request_alerts_the_anchors_staff_once_and_not_after_it_was_decided(world, maker, geumcheon_staff):
    r = reservation_services.reservation_create(
        resource=world["sample"], start=at(8, 10), end=at(8, 12), booked_by=maker, user=maker, now=NOW
    )
    alert = Outbox.objects.get(kind="staff-alert:request")
    assert alert.user == geumcheon_staff
    deliver(NOW)
    assert {m.to[0] for m in mail.outbox} == {maker.email, geumcheon_staff.email}
    mail.outbox.clear()
    reservation_services.reservation_approve(reservation=r, by=geumcheon_staff, now=NOW)
    Outbox.objects.filter(pk=alert.pk).update(status=OutboxStatus.PENDING)  # as if it had not gone out yet
    deliver(NOW)
    assert Outbox.objects.get(pk=alert.pk).status == OutboxStatus.SKIPPED  # decided: no alert any more
    assert [m.to[0] for m in mail.outbox] == [maker.email]  # the approval notice


def test_housekeeping_expires_requests_tells_the_maker_and_marks_no_shows_once(world, maker, other_maker):
    request = reservation_services.reservation_create(
        resource=world["sample"], start=at(8, 10), end=at(8, 12), booked_by=maker, user=maker, now=NOW
    )
    confirmed = book(world, other_maker)
    expired_at = request.hold_expires_at + timedelta(minutes=1)
    assert reservation_services.reservations_expire_requests(now=expired_at) == 1
    assert reservation_services.reservations_expire_requests(now=expired_at) == 0
    assert Outbox.objects.filter(kind="notice:expired", object_id=request.pk).count() == 1
    assert reservation_services.reservations_mark_no_shows(now=at(3, 14, 20)) == 1
    assert reservation_services.reservations_mark_no_shows(now=at(3, 14, 30)) == 0
    confirmed.refresh_from_db()
    assert confirmed.status == "no_show" and confirmed.charge_won == confirmed.fee_won


def test_a_maker_whose_certification_expires_within_30_days_is_warned_once(world, maker, geumcheon_staff):
    from datetime import date

    from facilities import services as facility_services
    from facilities.models import EquipmentKind

    facility_services.certification_grant(
        user=maker,
        kind=EquipmentKind.objects.get(slug="laser-cutter"),
        granted_by=geumcheon_staff,
        reason="교육",
        granted_on=date(2025, 12, 20),
        now=at(1, 9),
    )
    assert facility_services.certifications_warn_expiring(now=at(1, 9)) == 1
    assert facility_services.certifications_warn_expiring(now=at(2, 9)) == 0
    deliver(at(1, 9))
    deliver(at(2, 9))
    assert len(mail.outbox) == 1 and Notification.objects.filter(user=maker).count() == 1


def test_with_redis_down_booking_still_works_the_page_says_messages_are_delayed_and_they_go_out_later(
    world, maker, client, settings, django_capture_on_commit_callbacks
):
    from config import celery_app
    from tests.support import reset_celery_connections

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    saved = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.update(task_always_eager=False, broker_url=settings.REDIS_URL)
    reset_celery_connections(celery_app)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            r = reservation_services.reservation_create(
                resource=world["overlock"], start=at(3, 14), end=at(3, 16), booked_by=maker, user=maker, now=NOW
            )
        client.force_login(maker)
        client.cookies["anchor_language"] = "en"
        assert "Reminders and e-mails are delayed" in client.get(r.get_absolute_url()).content.decode()
        assert Outbox.objects.get(kind="notice:confirmed").status == OutboxStatus.PENDING
        assert client.get("/healthz").status_code == 503
    finally:
        celery_app.conf.update(task_always_eager=saved[0], broker_url=saved[1])
        reset_celery_connections(celery_app)
    mail.outbox.clear()
    deliver(NOW)  # Redis is back: the periodic run sends what waited
    assert Outbox.objects.get(kind="notice:confirmed").status == OutboxStatus.SENT and len(mail.outbox) == 1


def test_the_notifications_page_lists_and_marks_read_only_on_request(world, maker, client):
    book(world, maker)
    Notification.objects.create(user=maker, title="x", created_at=NOW)
    client.force_login(maker)
    page = client.get("/notifications/")
    assert page.status_code == 200 and "x" in [n.title for n in page.context["items"]]
    assert Notification.objects.filter(user=maker, read_at__isnull=True).count() == 2  # a GET marks nothing
    assert client.post("/notifications/").status_code == 302
    assert Notification.objects.filter(user=maker, read_at__isnull=True).count() == 0
