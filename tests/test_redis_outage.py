"""A Redis outage changes nothing a user notices but the delayed-reminder notice: a booking and a 4-week series take
about as long with Redis down as with it up (timed against each other in the same run), and never fail."""

from __future__ import annotations

import time
import uuid

import pytest
from django.conf import settings

from config import celery_app
from reservations.models import Reservation
from reservations.tests.conftest import NOW
from tests.support import reset_celery_connections

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def _form(day, hour=10, **extra):
    return {"date": f"2026-12-{day:02d}", "start": f"{hour}:00", "end": f"{hour + 2}:00", "step": "confirm", **extra}


@pytest.fixture
def broker_at():
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (make test provides it)")
    saved = (celery_app.conf.task_always_eager, celery_app.conf.broker_url, celery_app.conf.task_default_queue)

    def use(url):
        celery_app.conf.update(
            task_always_eager=False, broker_url=url, task_default_queue=f"test-{uuid.uuid4().hex[:8]}"
        )
        reset_celery_connections(celery_app)

    yield use
    celery_app.conf.update(task_always_eager=saved[0], broker_url=saved[1], task_default_queue=saved[2])
    reset_celery_connections(celery_app)


def test_a_booking_and_a_series_take_as_long_with_redis_down_as_with_it_up(
    client, world, maker, broker_at, django_capture_on_commit_callbacks
):
    import time_machine

    client.force_login(maker)
    url = f"/book/equipment/{world['overlock'].pk}/new/"

    def timed(data):
        started = time.perf_counter()
        with time_machine.travel(NOW, tick=True), django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        return time.perf_counter() - started, response.status_code

    broker_at(settings.REDIS_URL)
    up = [timed(_form(3)), timed(_form(4, repeat="weekly", count=4))]
    broker_at("redis://127.0.0.1:1/0")  # nothing listens there
    down = [timed(_form(3, hour=13)), timed(_form(4, hour=13, repeat="weekly", count=4))]
    assert [s for _t, s in up + down] == [302, 200, 302, 200]  # booked; the series shows its occurrences to confirm
    assert Reservation.objects.filter(user=maker).count() == 2
    for (t_up, _), (t_down, _) in zip(up, down, strict=True):
        assert t_down <= 3 * t_up + 0.2, (up, down)


def test_a_confirmed_series_with_redis_down_is_booked_and_answers_at_once(
    client, world, maker, broker_at, django_capture_on_commit_callbacks
):
    import time_machine

    client.force_login(maker)
    url = f"/book/equipment/{world['overlock'].pk}/new/"
    data = {**_form(4, repeat="weekly", count=4), "step": "confirm_series", "skip": "1"}  # 25 December is a holiday
    broker_at(settings.REDIS_URL)
    started = time.perf_counter()
    with time_machine.travel(NOW, tick=True), django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    up = time.perf_counter() - started
    broker_at("redis://127.0.0.1:1/0")
    data = {**_form(4, hour=14, repeat="weekly", count=4), "step": "confirm_series", "skip": "1"}
    started = time.perf_counter()
    with time_machine.travel(NOW, tick=True), django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    down = time.perf_counter() - started
    assert Reservation.objects.filter(user=maker).count() == 6  # three weeks each; the holiday skipped
    assert down <= 3 * up + 0.2, (up, down)
