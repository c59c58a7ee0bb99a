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


def wait_for(condition, seconds=40, step=0.25):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def due_booking(seeded, maker):
    """A confirmed booking in 90 minutes, booked yesterday: its 2-hour reminder is due now."""
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed
    from reservations.models import Reservation, ReservationEvent

    facilities_seed.load(now=timezone.now())
    reservations_seed.load()
    unit = seeded["geumcheon"].spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-OVL-01")
    start = timezone.now() + timedelta(minutes=90)
    r = Reservation.objects.create(
        anchor=seeded["geumcheon"],
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


def test_a_reminder_goes_through_redis_and_a_worker_to_the_makers_mailbox(broker, due_booking):
    from reservations.models import Outbox
    from reservations.tasks import process_outbox

    worker(broker)
    process_outbox.delay()
    assert wait_for(lambda: len(mails(broker)) == 1), "no reminder e-mail arrived"
    row = Outbox.objects.get(kind="reminder")
    assert row.status == "sent" and row.offset_minutes == 120
    assert "BEGIN:VCALENDAR" in mails(broker)[0].read_text(errors="replace")


def test_the_job_run_twice_at_once_by_two_workers_sends_one_email(broker, due_booking):
    from reservations.models import Outbox
    from reservations.tasks import process_outbox

    worker(broker, "-n", "one@%h")
    worker(broker, "-n", "two@%h")
    for _ in range(2):
        process_outbox.delay()
    assert wait_for(lambda: Outbox.objects.filter(kind="reminder", status="sent").exists())
    time.sleep(3)  # give the other run the chance to send a duplicate
    assert len(mails(broker)) == 1


def test_a_worker_killed_while_sending_leaves_the_reminder_to_be_sent_once_after_restart(broker, due_booking):
    from reservations import outbox
    from reservations.models import Outbox
    from reservations.tasks import process_outbox, send_outbox_message

    outbox.schedule_due_reminders()
    row = Outbox.objects.get(kind="reminder")
    slow = worker(
        broker, extra_env={"TEST_EMAIL_BACKEND": "tests.support.slow_email.EmailBackend", "SLOW_EMAIL_SECONDS": "20"}
    )
    send_outbox_message.delay(row.pk)
    assert wait_for(lambda: Outbox.objects.get(pk=row.pk).status == "sending"), "the worker never claimed the reminder"
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)
    assert mails(broker) == []
    worker(broker)
    time.sleep(2.5)  # the claim of the dead worker goes stale (OUTBOX_STALE_SECONDS=2)
    process_outbox.delay()
    assert wait_for(lambda: Outbox.objects.get(pk=row.pk).status == "sent")
    time.sleep(1)
    assert len(mails(broker)) == 1


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
