"""Issue 15's dead ends, closed: a booking length and its fee on the grid, the move's fee before confirming, a
question before every action that cannot be undone, the desk's week with closures and today's check-ins, and a
closure shown before it is saved whose bookings the desk tells or cancels together."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from facilities import selectors as facility_selectors
from facilities import services as facility_services
from facilities.models import Closure
from notifications.models import Outbox
from reservations import selectors, services
from reservations.models import Status

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="/book/equipment/(\d+)/new/\?start=([^&"]+)&amp;end=([^&"]+)"')


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("%3A", ":").replace("%2B", "+"))


def test_a_maker_picks_a_length_on_the_grid_and_each_free_time_shows_its_fee_and_is_bookable(client, world, maker):
    overlock = world["overlock"]
    client.force_login(maker)
    lengths = selectors.booking_lengths(overlock)
    assert len(lengths) > 1 and lengths[0] == selectors.booking_length(overlock)
    longest = int(lengths[-1].total_seconds()) // 60
    html = client.get(f"/book/equipment/{overlock.pk}/?week=2026-12-01&length={longest}").content.decode()
    assert f'<option value="{longest}" selected>' in html
    cells = [(_dt(s), _dt(e)) for _pk, s, e in LINK.findall(html)]
    assert cells and all(e - s == lengths[-1] for s, e in cells)
    versions = facility_selectors.rate_versions(anchor=overlock.anchor)
    for start, end in cells:
        check = services.check_booking(resource=overlock, start=start, end=end, now=NOW, user=maker)  # never refused
        quote = facility_selectors.quote_for(resource=overlock, start=start, end=end, versions=versions)
        assert check.fee_won == quote.total_won
    first_fee = services.check_booking(resource=overlock, start=cells[0][0], end=cells[0][1], now=NOW, user=maker)
    assert f"{first_fee.fee_won:,}" in html  # the fee is on the grid before the confirmation step
    assert "&amp;length=" in html  # the week links keep the length
    # A length that is not offered falls back to the shortest; hostile values change nothing and never fail.
    for bad in ["abc", "-30", "99999999", "7", "12O"]:
        page = client.get(f"/book/equipment/{overlock.pk}/?week=2026-12-01&length={bad}")
        assert page.status_code == 200
        assert all(_dt(e) - _dt(s) == lengths[0] for _pk, s, e in LINK.findall(page.content.decode()))


def test_on_a_phone_the_grid_is_a_list_of_free_times_per_day_with_the_same_links(client, world, maker):
    client.force_login(maker)
    html = client.get(f"/book/equipment/{world['overlock'].pk}/?week=2026-12-01").content.decode()
    grid = html[html.index('class="d-none d-md-block"') : html.index('class="d-md-none day-list"')]
    day_list = html[html.index('class="d-md-none day-list"') :]
    assert sorted(LINK.findall(grid)) == sorted(LINK.findall(day_list)) != []


def test_the_move_page_shows_the_new_fee_or_why_not_before_the_maker_confirms(client, world, maker):
    r = services.reservation_create(
        resource=world["cutting"], start=at(10, 10), end=at(10, 12), booked_by=maker, user=maker, now=NOW
    )
    client.force_login(maker)
    target = client.get(
        f"/reservations/{r.pk}/move/",
        {"start": at(11, 10).isoformat(), "end": at(11, 12).isoformat(), "week": "2026-12-07"},
    ).content.decode()
    fee = services.check_booking(
        resource=world["cutting"], start=at(11, 10), end=at(11, 12), now=NOW, user=maker, exclude_pk=r.pk
    ).fee_won
    assert f"{fee:,}" in target and 'name="start"' in target
    r.refresh_from_db()
    assert r.start_at == at(10, 10)  # showing the fee moved nothing
    closed = client.get(
        f"/reservations/{r.pk}/move/", {"start": at(13, 10).isoformat(), "end": at(13, 12).isoformat()}
    ).content.decode()
    assert 'name="start"' not in closed and 'role="alert"' in closed  # Sunday: refused before any button


def test_irreversible_actions_ask_first_and_the_question_changes_nothing(client, world, maker, geumcheon_staff):
    request = services.reservation_create(
        resource=world["mask"], start=at(9, 9), end=at(9, 13), booked_by=maker, user=maker, now=NOW
    )
    assert request.status == Status.REQUESTED
    client.force_login(geumcheon_staff)
    desk = client.get("/desk/geumcheon/").content.decode()
    assert f'<form method="get" action="/reservations/{request.pk}/approve/">' in desk
    question = client.get(f"/reservations/{request.pk}/approve/", {"next": "/desk/geumcheon/"})
    assert question.status_code == 200 and 'method="post"' in question.content.decode()
    assert 'name="next" value="/desk/geumcheon/"' in question.content.decode()
    hostile = client.get(f"/reservations/{request.pk}/approve/", {"next": "https://evil.example/"})
    assert 'name="next" value="https://evil.example/"' not in hostile.content.decode()
    request.refresh_from_db()
    assert request.status == Status.REQUESTED
    client.post(f"/reservations/{request.pk}/approve/", {"next": "/desk/geumcheon/"})
    request.refresh_from_db()
    assert request.status == Status.CONFIRMED
    assert "변경" in client.get(f"/reservations/{request.pk}/approve/").content.decode()  # no longer possible: says so
    client.force_login(maker)
    assert client.get(f"/reservations/{request.pk}/no-show/").status_code == 403  # the maker may not even ask


def test_the_desk_week_draws_closures_and_still_lists_todays_check_ins(client, world, maker, geumcheon_staff):
    today = services.reservation_create(
        resource=world["cutting"], start=at(1, 14), end=at(1, 16), booked_by=maker, user=maker, now=NOW
    )
    facility_services.closure_create(
        anchor=world["cutting"].anchor,
        space=world["cutting"],
        starts_at=at(3, 0),
        ends_at=at(4, 0),
        reason="바닥 공사",
        created_by=geumcheon_staff,
        now=NOW,
    )
    client.force_login(geumcheon_staff)
    html = client.get("/desk/geumcheon/?date=2026-12-01&view=week").content.decode()
    assert "바닥 공사" in html
    checkin = html[html.index('id="checkin-heading"') :]
    assert today.get_absolute_url() in checkin


def test_a_closure_shows_its_bookings_before_saving_and_the_desk_tells_or_cancels_them_together(
    client, world, maker, other_maker, geumcheon_staff, django_capture_on_commit_callbacks
):
    late = services.reservation_create(  # inside the late-cancellation window: a maker would pay
        resource=world["cutting"], start=at(1, 14), end=at(1, 16), booked_by=maker, user=maker, now=NOW
    )
    other = services.reservation_create(
        resource=world["cutting"], start=at(1, 16), end=at(1, 18), booked_by=other_maker, user=other_maker, now=NOW
    )
    guest = services.reservation_create(
        resource=world["cutting"],
        start=at(1, 10),
        end=at(1, 12),
        booked_by=geumcheon_staff,
        guest_name="방문 손님",
        guest_phone="010-1234-5678",
        as_staff=True,
        now=NOW,
    )
    assert services.cancellation_charge(late, now=NOW) > 0
    client.force_login(geumcheon_staff)
    closure = facility_services.closure_create(
        anchor=world["cutting"].anchor,
        space=world["cutting"],
        starts_at=at(1, 9),
        ends_at=at(2, 0),
        reason="누수",
        created_by=geumcheon_staff,
        now=NOW,
    )
    url = f"/desk/geumcheon/closures/{closure.pk}/affected/"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # told once per closure, however often the button is pressed
            client.post(url, {"action": "notify", "reservation": [late.pk, other.pk, guest.pk, 999999, "x"]})
    assert Outbox.objects.filter(kind="notice:closure").count() == 2
    assert any("누수" in m.body for m in mail.outbox)
    # Cancelling asks first; the question cancels nothing.
    question = client.post(url, {"action": "cancel", "reservation": [late.pk, guest.pk]})
    assert question.status_code == 200 and 'name="confirmed"' in question.content.decode()
    late.refresh_from_db()
    assert late.status == Status.CONFIRMED
    done = client.post(url, {"action": "cancel", "confirmed": "1", "reservation": [late.pk, guest.pk]}, follow=True)
    late.refresh_from_db(), guest.refresh_from_db(), other.refresh_from_db()
    assert (late.status, late.charge_won, guest.status, other.status) == (
        Status.CANCELLED,
        0,  # the anchor closed: nothing is charged
        Status.CANCELLED,
        Status.CONFIRMED,
    )
    assert "010-1234-5678" in done.content.decode()  # the guest has no account: the desk is given the number
    assert late.events.filter(to_status=Status.CANCELLED, reason__contains="누수").exists()
    # Nothing chosen, or an unknown action: a clear message, nothing changes.
    assert client.post(url, {"action": "cancel", "confirmed": "1"}).status_code == 400
    assert client.post(url, {"action": "drop", "reservation": [other.pk]}).status_code == 400
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


def test_another_anchors_staff_cannot_touch_a_closures_bookings(client, world, maker, changsin_staff, geumcheon_staff):
    r = services.reservation_create(
        resource=world["cutting"], start=at(2, 14), end=at(2, 16), booked_by=maker, user=maker, now=NOW
    )
    closure = Closure.objects.create(
        anchor=world["cutting"].anchor, space=None, starts_at=at(2, 0), ends_at=at(3, 0), reason="x"
    )
    client.force_login(changsin_staff)
    url = f"/desk/geumcheon/closures/{closure.pk}/affected/"
    assert client.post(url, {"action": "cancel", "confirmed": "1", "reservation": [r.pk]}).status_code == 403
    r.refresh_from_db()
    assert r.status == Status.CONFIRMED


def test_the_week_grid_price_reads_the_rate_table_once_not_per_cell(world, maker, django_assert_max_num_queries):
    days, rows = selectors.resource_week(resource=world["overlock"], week_of=date(2026, 12, 1), now=NOW, user=maker)
    assert sum(c.state == "free" for row in rows for c in row.cells) > 20
    with django_assert_max_num_queries(4):
        selectors.price_free_cells(resource=world["overlock"], rows=rows, categories=[])
    assert all(c.fee_won is not None for row in rows for c in row.cells if c.state == "free")
    assert timedelta(0) < rows[0].cells[0].end - rows[0].cells[0].start


def test_a_booking_that_can_no_longer_move_says_why_instead_of_offering_times(client, world, maker):
    soon = services.reservation_create(  # within the free-cancellation window: the maker may not move it
        resource=world["cutting"], start=at(1, 14), end=at(1, 16), booked_by=maker, user=maker, now=NOW
    )
    client.force_login(maker)
    page = client.get(f"/reservations/{soon.pk}/move/").content.decode()
    assert 'role="alert"' in page and "slot-free" not in page
    assert f'href="/reservations/{soon.pk}/move/"' not in client.get(soon.get_absolute_url()).content.decode()


def test_the_account_menu_pages_are_reachable_without_javascript(client, maker):
    client.force_login(maker)
    profile = client.get("/accounts/profile/").content.decode()
    assert 'href="/notifications/"' in profile and 'action="/accounts/logout/"' in profile
