"""Reminders and notices: exactly once per booking and offset, never for cancelled or late bookings, retried on
mail errors and then shown to staff."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections

from accounts.models import Notification
from reservations import outbox, services
from reservations.models import Outbox, OutboxStatus

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def book(world, user, day=3, hour=14, now=NOW, resource="overlock"):
    r = services.reservation_create(
        resource=world[resource], start=at(day, hour), end=at(day, hour + 2), booked_by=user, user=user, now=now
    )
    for pk in Outbox.objects.filter(kind__startswith="notice:", status=OutboxStatus.PENDING).values_list(
        "pk", flat=True
    ):
        outbox.send_one(pk, now=now)  # the confirmation goes first (on_commit does not run inside a test transaction)
    mail.outbox.clear()
    return r


def test_a_booking_gets_one_reminder_a_day_before_and_one_two_hours_before_even_when_the_job_runs_twice(world, maker):
    r = book(world, maker)
    mail.outbox.clear()
    assert outbox.process_outbox(now=at(2, 13, 59))["created"] == 0
    outbox.process_outbox(now=at(2, 14, 1))
    outbox.process_outbox(now=at(2, 14, 2))  # twice: nothing new
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0].endswith(".ics")
    outbox.process_outbox(now=at(3, 12, 5))
    outbox.process_outbox(now=at(3, 12, 6))
    assert len(mail.outbox) == 2
    assert Outbox.objects.filter(kind="reminder", object_id=r.pk, status=OutboxStatus.SENT).count() == 2
    assert Notification.objects.filter(user=maker).count() == 3  # the confirmation and the two reminders


def test_no_reminder_for_a_cancelled_booking_or_for_the_offsets_already_past_when_it_was_made(
    world, maker, other_maker
):
    cancelled = book(world, maker)
    services.reservation_cancel(reservation=cancelled, by=maker, now=NOW)
    late = book(world, other_maker, hour=10, now=at(3, 7))  # made 3 hours before: only the 2-hour reminder
    outbox.process_outbox(now=at(3, 8, 5))
    assert list(Outbox.objects.filter(kind="reminder").values_list("object_id", "offset_minutes")) == [(late.pk, 120)]
    assert len(mail.outbox) == 1


def test_a_reminder_claimed_before_the_booking_was_cancelled_is_not_sent(world, maker):
    r = book(world, maker)
    outbox.schedule_due_reminders(now=at(2, 14, 1))
    services.reservation_cancel(reservation=r, by=maker, now=at(2, 14, 1))
    mail.outbox.clear()
    outbox.process_outbox(now=at(2, 14, 2))
    assert Outbox.objects.get(kind="reminder").status == OutboxStatus.SKIPPED
    assert (
        len(mail.outbox) == 1 and b"METHOD:CANCEL" in mail.outbox[0].attachments[0][1].encode()
    )  # only the cancellation notice


def test_the_reminder_is_in_the_makers_language(world, maker):
    maker.preferred_language = "en"
    maker.save()
    book(world, maker)
    mail.outbox.clear()
    outbox.process_outbox(now=at(2, 14, 1))
    assert mail.outbox[0].subject.startswith("[Geumcheon Smart Solution Anchor] Reminder")


def test_a_refusing_mail_server_is_retried_with_backoff_then_shown_to_staff(
    world, maker, geumcheon_staff, client, settings
):
    settings.EMAIL_BACKEND = "tests.support.failing_email.EmailBackend"
    book(world, maker)
    now = at(2, 14, 1)
    for _ in range(outbox.MAX_ATTEMPTS + 1):
        outbox.process_outbox(now=now)
        now += timedelta(hours=3)
    row = Outbox.objects.get(kind="reminder")
    assert row.status == OutboxStatus.GAVE_UP and row.attempts == outbox.MAX_ATTEMPTS and "refused" in row.last_error
    client.force_login(geumcheon_staff)
    assert "refused" in client.get("/desk/geumcheon/outbox/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_runs_racing_send_each_reminder_once(world, maker, other_maker):
    if connection.vendor != "postgresql":
        pytest.skip("threads racing on rows is a PostgreSQL test")
    book(world, maker)
    book(world, other_maker, hour=10, resource="sewing")
    outbox.schedule_due_reminders(now=at(3, 8, 5))
    mail.outbox.clear()
    barrier = threading.Barrier(2)

    def run():
        barrier.wait(timeout=10)
        outbox.process_outbox(now=at(3, 8, 5))
        connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert (
        Outbox.objects.filter(kind="reminder", status=OutboxStatus.SENT).count()
        == Outbox.objects.filter(kind="reminder").count()
    )
    assert len(mail.outbox) == Outbox.objects.filter(kind="reminder").count() == 2


def test_housekeeping_expires_requests_and_marks_no_shows_once(world, maker, other_maker):
    request = services.reservation_create(
        resource=world["sample"], start=at(8, 10), end=at(8, 12), booked_by=maker, user=maker, now=NOW
    )
    confirmed = book(world, other_maker)
    assert services.reservations_expire_requests(now=request.hold_expires_at + timedelta(minutes=1)) == 1
    assert services.reservations_mark_no_shows(now=at(3, 14, 20)) == 1
    assert services.reservations_mark_no_shows(now=at(3, 14, 30)) == 0
    confirmed.refresh_from_db()
    assert confirmed.status == "no_show" and confirmed.charge_won == confirmed.fee_won


def test_a_maker_whose_certification_expires_within_30_days_is_warned_once(world, maker, geumcheon_staff):
    from datetime import date

    from facilities import services as facility_services
    from facilities.models import EquipmentKind
    from facilities.tasks import warn_expiring_certifications

    facility_services.certification_grant(
        user=maker,
        kind=EquipmentKind.objects.get(slug="laser-cutter"),
        granted_by=geumcheon_staff,
        reason="교육",
        granted_on=date(2025, 12, 20),
    )
    mail.outbox.clear()
    assert warn_expiring_certifications(now=at(1, 9)) == 1
    assert warn_expiring_certifications(now=at(2, 9)) == 0
    assert len(mail.outbox) == 1 and Notification.objects.filter(user=maker).exists()


def test_with_redis_down_booking_still_works_the_page_says_reminders_are_delayed_and_they_go_out_later(
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
            r = services.reservation_create(
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
    outbox.process_outbox(now=NOW)  # Redis is back: the periodic run sends what waited
    assert Outbox.objects.get(kind="notice:confirmed").status == OutboxStatus.SENT and len(mail.outbox) == 1
