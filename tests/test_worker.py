"""Against a real Redis and real worker processes started here: reminders round trip, no double sending when
the job runs twice at once or a worker is killed mid-send, and beat firing the monthly reports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config import celery_app
from tests.support import reset_celery_connections

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def broker(tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (make test provides both)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue, celery_app.conf.broker_url)
    celery_app.conf.update(task_always_eager=False, task_default_queue=queue, broker_url=settings.REDIS_URL)
    reset_celery_connections(celery_app)
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/{connection.settings_dict['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_EAGER": "0",
        "CELERY_QUEUE": queue,
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "OUTBOX_STALE_SECONDS": "2",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    procs: list[subprocess.Popen] = []

    def start(*args, extra_env=None):
        p = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args, "-l", "warning"],
            cwd=ROOT,
            env={**env, **(extra_env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(p)
        return p

    yield {"start": start, "mail": tmp_path / "mail", "env": env}
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    celery_app.conf.update(task_always_eager=saved[0], task_default_queue=saved[1], broker_url=saved[2])
    reset_celery_connections(celery_app)


def worker(b, *extra, extra_env=None):
    return b["start"](
        "worker",
        "-P",
        "solo",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        *extra,
        extra_env=extra_env,
    )


def mails(b) -> list[Path]:
    return sorted(b["mail"].glob("*.log")) if b["mail"].exists() else []


def wait_for(condition, seconds=90, step=0.25):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def booking_due_for_a_reminder(anchor, maker, unit, minutes=90):
    """A confirmed booking in `minutes`, booked yesterday: its 2-hour reminder is due now (the worker's clock)."""
    from reservations.models import Reservation, ReservationEvent

    start = timezone.now() + timedelta(minutes=minutes)
    r = Reservation.objects.create(
        anchor=anchor,
        equipment=unit,
        user=maker,
        booked_by=maker,
        start_at=start,
        end_at=start + timedelta(hours=1),
        blocked_until=start + timedelta(hours=1),
        status="confirmed",
        fee_won=2_000,
    )
    ReservationEvent.objects.create(
        reservation=r, at=timezone.now() - timedelta(days=1), to_status="confirmed", by=maker
    )
    return r


@pytest.fixture
def due_booking(world, maker):
    return booking_due_for_a_reminder(world["geumcheon"], maker, world["overlock"])


def message_ids(files) -> list[str]:
    return [
        line.split(":", 1)[1].strip()
        for f in files
        for line in f.read_text().splitlines()
        if line.startswith("Message-ID:")
    ]


def test_a_reminder_goes_through_redis_and_a_worker_to_the_makers_mailbox(broker, due_booking):
    from notifications.models import Outbox
    from reservations.tasks import booking_housekeeping

    worker(broker)
    booking_housekeeping.delay()  # queues the reminder, which is handed to the worker at once
    assert wait_for(lambda: len(mails(broker)) == 1), "no reminder e-mail arrived"
    row = Outbox.objects.get(kind="reminder")
    # The worker writes the mail, then marks the row sent in its own commit: wait for that too.
    assert wait_for(lambda: Outbox.objects.get(pk=row.pk).status == "sent"), "the reminder was not marked sent"
    assert row.offset_minutes == 120
    assert "BEGIN:VCALENDAR" in mails(broker)[0].read_text(errors="replace")


def test_two_workers_running_the_delivery_job_at_the_same_time_send_each_message_once(broker, world, maker, tmp_path):
    """The two runs really overlap: each send takes two seconds, and the log shows sends of both workers at once."""
    from notifications.models import Outbox
    from notifications.tasks import outbox_deliver_due_task
    from reservations import reminders

    units = [
        world["overlock"],
        world["sewing"],
        *world["geumcheon"]
        .spaces.get(slug="common-equipment-room")
        .equipment.exclude(pk__in=[world["overlock"].pk, world["sewing"].pk])[:2],
    ]
    for unit in units:
        booking_due_for_a_reminder(world["geumcheon"], maker, unit)
    assert reminders.reminders_schedule(now=timezone.now()) == len(units)  # queued; nobody has sent them yet
    log = tmp_path / "sends.log"
    slow = {
        "TEST_EMAIL_BACKEND": "tests.support.slow_email.EmailBackend",
        "SLOW_EMAIL_SECONDS": "2",
        "SLOW_EMAIL_LOG": str(log),
        # A send never outlasts the stale-claim period (settings: EMAIL_TIMEOUT < OUTBOX_STALE_SECONDS); with the
        # fixture's 2-second period a 2-second send would be taken up again by the other worker and sent twice.
        "OUTBOX_STALE_SECONDS": "30",
    }
    worker(broker, "-n", "one@%h", extra_env=slow)
    worker(broker, "-n", "two@%h", extra_env=slow)
    time.sleep(3)  # both workers up
    outbox_deliver_due_task.delay()
    outbox_deliver_due_task.delay()
    assert wait_for(lambda: Outbox.objects.filter(kind="reminder", status="sent").count() == len(units), seconds=90)
    time.sleep(3)  # give a duplicate the chance to arrive
    assert len(mails(broker)) == len(units)
    sends = [line.split() for line in log.read_text().splitlines()]
    overlapping = [
        (a, b) for a in sends for b in sends if a[0] != b[0] and float(a[1]) < float(b[2]) and float(b[1]) < float(a[2])
    ]
    assert overlapping, f"the two workers never sent at the same time: {sends}"


@pytest.mark.parametrize(
    "moment,expected",
    [
        ("before the mail left", 1),
        ("after the mail left, before the row was marked", 2),
    ],
)
def test_a_worker_killed_while_sending_leaves_the_message_to_be_sent_again_as_documented(
    broker, due_booking, moment, expected
):
    """At least once: killed before the mail server took the message, it is sent once after restart; killed after,
    it is sent again, with the same Message-ID (so the repeat is recognisable), and one notification is recorded."""
    from notifications import services
    from notifications.models import Notification, Outbox
    from notifications.tasks import outbox_deliver_due_task, outbox_send_task
    from reservations import reminders

    reminders.reminders_schedule(now=timezone.now())
    row = Outbox.objects.get(kind="reminder")
    Outbox.objects.filter(pk=row.pk).update(status="pending")
    timing = {"SLOW_EMAIL_SECONDS": "20"} if expected == 1 else {"SLOW_EMAIL_AFTER_SECONDS": "20"}
    slow = worker(broker, extra_env={"TEST_EMAIL_BACKEND": "tests.support.slow_email.EmailBackend", **timing})
    outbox_send_task.delay(row.pk)
    assert wait_for(lambda: Outbox.objects.get(pk=row.pk).status == "sending"), "the worker never claimed the message"
    if expected == 2:
        assert wait_for(lambda: len(mails(broker)) == 1), "the mail never left"
    else:
        time.sleep(1)
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)
    assert Outbox.objects.get(pk=row.pk).status == "sending" and len(mails(broker)) == expected - 1
    worker(broker)
    time.sleep(2.5)  # the claim of the dead worker goes stale (OUTBOX_STALE_SECONDS=2)
    outbox_deliver_due_task.delay()
    assert wait_for(lambda: Outbox.objects.get(pk=row.pk).status == "sent")
    time.sleep(1)
    assert len(mails(broker)) == expected
    assert set(message_ids(mails(broker))) == {services.message_id(row.key)}
    assert Notification.objects.filter(outbox=row).count() == 1


def test_beat_fires_the_monthly_reports_on_a_worker(broker, seeded):
    from django_celery_beat.models import ClockedSchedule, PeriodicTask

    from budgets.models import MonthlyReport

    clocked = ClockedSchedule.objects.create(clocked_time=timezone.now() + timedelta(seconds=3))
    PeriodicTask.objects.create(
        name="test monthly reports",
        task="budgets.tasks.monthly_reports",
        clocked=clocked,
        one_off=True,
        args="[2026, 10]",
    )
    worker(broker)
    broker["start"]("beat", "-s", str(broker["mail"].parent / "beat-schedule"), "--max-interval", "1")
    operating = seeded["geumcheon"].__class__.objects.filter(status="operating").count()
    assert wait_for(
        lambda: MonthlyReport.objects.filter(year=2026, month=10, status="done").count() == operating + 1, seconds=90
    )
