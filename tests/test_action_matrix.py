"""Every POST-only action on a reservation, sent by every role: the right ones act, the others are refused (404 to
whoever may not see the reservation, 403 to whoever sees it but may not act, the login page to the anonymous) and
a refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from reservations import services
from reservations.models import Reservation, Status
from reservations.tests.conftest import NOW, at

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

ROLES = ["anonymous", "maker", "other_maker", "geumcheon_staff", "changsin_staff", "guro_officer", "city_admin"]
HOLDER = {"maker", "geumcheon_staff", "city_admin"}  # the maker it is for, and the anchor's desk
DESK = {"geumcheon_staff", "city_admin"}
NOT_VISIBLE = {"other_maker", "changsin_staff", "guro_officer"}
WEEKDAYS = [2, 3, 4, 7, 8, 9, 10]  # December 2026, when Geumcheon is open


def _book(world, maker, day, resource="overlock", **kw):
    r = services.reservation_create(
        resource=world[resource], start=at(day, 10), end=at(day, 12), booked_by=maker, user=maker, now=NOW, **kw
    )
    return r


def _series(world, maker, day):
    hour = 9 + (day % 4) * 2  # the second week of one role's series must not meet another role's first
    series = services.series_create(
        resource=world["overlock"],
        start=at(day, hour),
        end=at(day, hour + 2),
        frequency="weekly",
        count=2,
        booked_by=maker,
        user=maker,
        skip_problems=False,
        now=NOW,
    )
    return series.reservations.order_by("start_at").first()


# action → (how to make a reservation it applies to, when to post, what to post, how to tell it was done)
def _setups(world, maker, staff):
    def request(day):
        return _book(world, maker, day, resource="sample")

    def confirmed(day):
        return _book(world, maker, day)

    def checked_in(day):
        r = confirmed(day)
        return services.reservation_check_in(reservation=r, by=staff, now=at(day, 9, 30))

    def no_show(day):
        r = confirmed(day)
        return services.reservation_mark_no_show(reservation=r, by=staff, now=at(day, 10, 30))

    return {
        "approve": (request, lambda d: NOW, {}, lambda r: r.status == Status.CONFIRMED),
        "reject": (request, lambda d: NOW, {"reason": "정비"}, lambda r: r.status == Status.REJECTED),
        "cancel": (confirmed, lambda d: NOW, {}, lambda r: r.status == Status.CANCELLED),
        "cancel_series": (
            lambda d: _series(world, maker, d),
            lambda d: NOW,
            {},
            lambda r: r.status == Status.CANCELLED,
        ),
        "check_in": (confirmed, lambda d: at(d, 9, 45), {}, lambda r: r.status == Status.CHECKED_IN),
        "no_show": (confirmed, lambda d: at(d, 10, 30), {}, lambda r: r.status == Status.NO_SHOW),
        "complete": (checked_in, lambda d: at(d, 12), {}, lambda r: r.status == Status.COMPLETED),
        "waive": (no_show, lambda d: at(d, 13), {"reason": "병원"}, lambda r: r.charge_won == 0),
    }


URLS = {
    "approve": "approve",
    "reject": "reject",
    "cancel": "cancel",
    "cancel_series": "cancel-series",
    "check_in": "check-in",
    "no_show": "no-show",
    "complete": "complete",
    "waive": "waive",
}


@pytest.mark.parametrize("action", list(URLS))
def test_each_role_may_post_an_action_only_where_the_policy_says(client, world, people, action):
    maker, staff = people["maker"], people["geumcheon_staff"]
    make, when, data, done = _setups(world, maker, staff)[action]
    allowed = DESK if action in ("approve", "reject", "check_in", "no_show", "complete", "waive") else HOLDER
    wrong = {}
    for i, role in enumerate(ROLES):
        day = WEEKDAYS[i]  # one open weekday per role; a series' second week falls a week later
        r = make(day)
        before = Reservation.objects.get(pk=r.pk)
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        with time_machine.travel(when(day), tick=False):
            response = client.post(f"/reservations/{r.pk}/{URLS[action]}/", data)
        after = Reservation.objects.get(pk=r.pk)
        if role in allowed:
            expected, changed = 302, True
        elif role == "anonymous":
            expected, changed = 302, False
        elif role in NOT_VISIBLE:
            expected, changed = 404, False
        else:
            expected, changed = 403, False
        if (
            response.status_code != expected
            or done(after) != changed
            or (
                not changed
                and (after.status, after.charge_won, after.updated_at)
                != (before.status, before.charge_won, before.updated_at)
            )
        ):
            wrong[role] = (response.status_code, expected, after.status)
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]
    assert wrong == {}


def test_moving_is_for_the_maker_and_the_desk_only(client, world, people):
    maker = people["maker"]
    wrong = {}
    for i, role in enumerate(ROLES):
        day = WEEKDAYS[i]
        r = _book(world, maker, day)
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        new_start = r.start_at + timedelta(hours=3)
        with time_machine.travel(NOW, tick=False):
            response = client.post(
                f"/reservations/{r.pk}/move/",
                {"start": new_start.isoformat(), "end": (new_start + timedelta(hours=2)).isoformat()},
            )
        moved = Reservation.objects.get(pk=r.pk).start_at == new_start
        expected = 302 if role in HOLDER or role == "anonymous" else (404 if role in NOT_VISIBLE else 403)
        if response.status_code != expected or moved != (role in HOLDER):
            wrong[role] = (response.status_code, expected, moved)
    assert wrong == {}
