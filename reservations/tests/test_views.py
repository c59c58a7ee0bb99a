from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common import pagecache
from facilities.models import Closure
from reservations import services
from reservations.models import Reservation, Status

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _en(client):
    client.cookies["anchor_language"] = "en"
    return client


def form(day="2026-12-03", start="14:00", end="17:00", **extra):
    return {"date": day, "start": start, "end": end, "purpose": "샘플 봉제", **extra}


def test_a_maker_sees_the_fee_confirms_and_finds_the_booking_in_my_reservations(
    client, world, maker, django_capture_on_commit_callbacks
):
    maker.preferred_language = "en"
    maker.save()
    _en(client).force_login(maker)
    url = f"/book/equipment/{world['overlock'].pk}/new/"
    assert client.get(url + "?start=2026-12-03T14:00:00%2B09:00").status_code == 200
    preview = client.post(url, {**form(), "step": "preview"})
    html = preview.content.decode()
    assert (
        preview.status_code == 200
        and "Confirm your reservation" in html
        and "6,000 won" in html
        and "Nothing is booked" in html
    )
    assert not Reservation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**form(), "step": "confirm"})
    r = Reservation.objects.get()
    assert done.status_code == 302 and done.url == f"/reservations/{r.pk}/"
    detail = client.get(done.url).content.decode()
    assert "<svg" in detail and "Overlock 1" in detail and "6,000 won" in detail
    assert "Overlock 1" in client.get("/me/reservations/").content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [maker.email] and "Overlock 1" in message.subject
    name, body, mimetype = message.attachments[0]
    assert name == f"reservation-{r.pk}.ics" and mimetype == "text/calendar"
    ics = body.decode() if isinstance(body, bytes) else body
    # The machine is example data (the sources list none): the calendar says so, as the pages do.
    assert "BEGIN:VEVENT" in ics and "SUMMARY:Overlock 1 (example) ·" in ics


def test_the_confirmation_email_is_in_the_makers_language(client, world, maker, django_capture_on_commit_callbacks):
    maker.preferred_language = "ko"
    maker.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.reservation_create(
            resource=world["overlock"], start=at(3, 14), end=at(3, 16), booked_by=maker, user=maker, now=NOW
        )
    assert mail.outbox[0].subject.startswith("[금천 스마트솔루션앵커]")


@pytest.mark.parametrize(
    "data,field",
    [
        (form(start="17:00", end="14:00"), "end"),
        (form(day="not-a-date"), "date"),
        (form(start="25:99"), "start"),
        ({**form(), "repeat": "fortnightly"}, "repeat"),
        ({**form(), "repeat": "weekly", "count": "999"}, "count"),
    ],
)
def test_bad_input_re_renders_the_form_with_an_error_not_a_500(client, world, maker, data, field):
    _en(client).force_login(maker)
    response = client.post(f"/book/equipment/{world['overlock'].pk}/new/", {**data, "step": "preview"})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode() or "alert" in response.content.decode()
    assert not Reservation.objects.exists()


def test_a_refused_booking_says_why_and_offers_free_slots(client, world, maker, other_maker):
    services.reservation_create(
        resource=world["overlock"], start=at(3, 14), end=at(3, 17), booked_by=other_maker, user=other_maker, now=NOW
    )
    _en(client).force_login(maker)
    response = client.post(
        f"/book/equipment/{world['overlock'].pk}/new/", {**form(start="15:00", end="16:00"), "step": "preview"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "is already booked from 2026-12-03 14:00 to 17:00" in html
    assert "Free instead" in html and "start=2026-12-03T17" in html.replace("%3A", ":")
    assert other_maker.full_name not in html


def test_the_week_view_shows_busy_slots_without_names(client, world, maker, other_maker):
    services.reservation_create(
        resource=world["overlock"],
        start=at(3, 14),
        end=at(3, 17),
        booked_by=other_maker,
        user=other_maker,
        purpose="비밀 프로젝트",
        now=NOW,
    )
    html = _en(client).get(f"/book/equipment/{world['overlock'].pk}/?week=2026-12-03").content.decode()
    assert "busy" in html and other_maker.full_name not in html and "비밀 프로젝트" not in html
    feed = client.get(f"/calendar/equipment/{world['overlock'].pk}.ics").content.decode()
    assert "BEGIN:VEVENT" in feed and other_maker.full_name not in feed and "비밀" not in feed
    assert "X-WR-CALNAME:Overlock 1 (example) ·" in feed  # the client chose English above


def test_another_maker_guessing_a_reservation_id_gets_404(client, world, maker, other_maker, changsin_staff):
    r = services.reservation_create(
        resource=world["overlock"], start=at(3, 14), end=at(3, 16), booked_by=maker, user=maker, now=NOW
    )
    for user in (other_maker, changsin_staff):
        client.force_login(user)
        for url in (f"/reservations/{r.pk}/", f"/reservations/{r.pk}/reservation.ics", f"/reservations/{r.pk}/move/"):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/reservations/{r.pk}/cancel/").status_code == 404
    r.refresh_from_db()
    assert r.status == Status.CONFIRMED


def test_a_maker_cannot_act_as_the_desk_on_their_own_booking(client, world, maker):
    r = services.reservation_create(
        resource=world["sample"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    client.force_login(maker)
    assert client.post(f"/reservations/{r.pk}/approve/").status_code == 403  # sees it, may not act as the desk
    r.refresh_from_db()
    assert r.status == Status.REQUESTED


def test_staff_approve_and_reject_requests_from_the_desk(client, world, maker, other_maker, geumcheon_staff):
    a = services.reservation_create(
        resource=world["sample"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    b = services.reservation_create(
        resource=world["sample"], start=at(4, 10), end=at(4, 12), booked_by=other_maker, user=other_maker, now=NOW
    )
    _en(client).force_login(geumcheon_staff)
    desk = client.get("/desk/geumcheon/").content.decode()
    assert "Requests waiting for approval" in desk and maker.full_name in desk
    client.post(f"/reservations/{a.pk}/approve/", {"next": "/desk/geumcheon/"})
    client.post(f"/reservations/{b.pk}/reject/", {"reason": ""})
    b.refresh_from_db()
    assert b.status == Status.REQUESTED  # a rejection needs a reason
    client.post(f"/reservations/{b.pk}/reject/", {"reason": "샘플실 공사"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.CONFIRMED, Status.REJECTED)


def test_staff_book_a_walk_in_from_the_desk_and_check_the_guest_in(client, world, geumcheon_staff):
    _en(client).force_login(geumcheon_staff)
    desk = client.get("/desk/geumcheon/?date=2026-12-01").content.decode()
    link = re.search(
        rf'href="(/book/space/{world["cutting"].pk}/new/\?start=2026-12-01T10[^"]+)"',
        desk.replace("%3A", ":").replace("%2B", "+"),
    )
    assert link, "a free cutting-room slot at 10:00 links to the booking form"
    url = f"/book/space/{world['cutting'].pk}/new/"
    data = {
        **form(day="2026-12-01", start="10:00", end="12:00"),
        "guest_name": "홍길동",
        "guest_phone": "010-1111-2222",
        "guest_organisation": "시흥동 봉제협회",
        "party_size": "5",
        "discount_category": "partner_programme",
    }
    assert "Confirm the booking" in client.post(url, {**data, "step": "preview"}).content.decode()
    client.post(url, {**data, "step": "confirm"})
    r = Reservation.objects.get(guest_name="홍길동")
    assert (r.status, r.booked_by, r.fee_won) == (Status.CONFIRMED, geumcheon_staff, 15_000)
    desk = client.get("/desk/geumcheon/?q=홍길동").content.decode()
    assert "홍길동" in desk and f"/reservations/{r.pk}/check-in/" in desk
    client.post(f"/reservations/{r.pk}/check-in/", {"next": "/desk/geumcheon/"})
    r.refresh_from_db()
    assert r.status == Status.CHECKED_IN
    code_page = client.get(f"/desk/check-in/{r.checkin_code}/")
    assert code_page.status_code == 200 and "홍길동" in code_page.content.decode()


def test_the_qr_code_page_is_only_for_the_anchors_desk(client, world, maker, changsin_staff):
    r = services.reservation_create(
        resource=world["cutting"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    for user in (maker, changsin_staff):
        client.force_login(user)
        assert client.get(f"/desk/check-in/{r.checkin_code}/").status_code == 404


def test_the_private_feed_works_with_its_token_until_replaced(client, world, maker):
    services.reservation_create(
        resource=world["overlock"], start=at(3, 14), end=at(3, 16), booked_by=maker, user=maker, now=NOW
    )
    client.force_login(maker)
    client.post("/me/calendar/reset/")
    token = maker.calendar_feed.token
    client.logout()
    feed = client.get(f"/calendar/feed/{token}.ics")
    text = feed.content.decode()
    assert feed.status_code == 200 and "SUMMARY:오버록 1 (예시) ·" in text and "BEGIN:VEVENT" in text
    client.force_login(maker)
    client.post("/me/calendar/reset/")
    client.logout()
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_a_maker_moves_a_booking_to_a_free_slot_and_cancels_another(client, world, maker):
    r = services.reservation_create(
        resource=world["cutting"], start=at(10, 10), end=at(10, 12), booked_by=maker, user=maker, now=NOW
    )
    _en(client).force_login(maker)
    page = client.get(f"/reservations/{r.pk}/move/?start=2026-12-11T14:00:00%2B09:00&end=2026-12-11T16:00:00%2B09:00")
    assert "Move to 2026-12-11" in page.content.decode()
    client.post(
        f"/reservations/{r.pk}/move/", {"start": "2026-12-11T14:00:00+09:00", "end": "2026-12-11T16:00:00+09:00"}
    )
    r.refresh_from_db()
    assert r.start_at == at(11, 14)
    client.post(f"/reservations/{r.pk}/cancel/", {"reason": "일정 변경"})
    r.refresh_from_db()
    assert r.status == Status.CANCELLED and r.charge_won == 0


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_desk_and_week_views_run_a_fixed_number_of_queries_whatever_the_number_of_reservations(
    client, world, maker, geumcheon_staff
):
    from reservations.models import Reservation as R

    def fill(n: int, weeks_back: int):
        rows = []
        start = at(1, 9) - timedelta(weeks=weeks_back)
        for i in range(n):
            s = start - timedelta(hours=i + 1)
            rows.append(
                R(
                    anchor=world["geumcheon"],
                    equipment=world["sewing"],
                    user=maker,
                    booked_by=maker,
                    start_at=s,
                    end_at=s + timedelta(minutes=30),
                    blocked_until=s + timedelta(minutes=30),
                    status=Status.COMPLETED,
                    checkin_code=f"c{n}-{i}",
                )
            )
        R.objects.bulk_create(rows)
        for d in (1, 2, 3):
            services.reservation_create(
                resource=world["cutting"],
                start=at(d, 13),
                end=at(d, 15),
                booked_by=maker,
                user=maker,
                now=NOW - timedelta(hours=1),
            )

    client.force_login(geumcheon_staff)
    fill(10, 1)
    urls = [
        "/desk/geumcheon/?date=2026-12-02",
        "/desk/geumcheon/?date=2026-12-02&view=week",
        f"/book/space/{world['cutting'].pk}/?week=2026-12-02",
    ]

    def counts() -> tuple[list[int], list[int]]:
        pagecache._bump()  # the pages and the catalogue (hours, policy, rates) read again
        cold = [_count(client, u) for u in urls]
        pagecache._bump(catalogue=False)  # the pages only: the catalogue kept in the process is used
        return cold, [_count(client, u) for u in urls]

    small = counts()
    for r in R.objects.filter(status=Status.CONFIRMED):  # cancelled (billed bookings are never deleted)
        services.reservation_cancel(reservation=r, by=maker, now=NOW - timedelta(hours=2), accepted_charge_won=10**9)
    fill(1000, 3)
    assert counts() == small
    cold, warm = small
    assert all(w < c for w, c in zip(warm, cold, strict=True)), small


def test_closing_the_mask_facility_lists_the_bookings_to_contact(client, world, maker, geumcheon_staff):
    r = services.reservation_create(
        resource=world["mask"],
        start=at(9, 9),
        end=at(9, 13),
        booked_by=geumcheon_staff,
        guest_name="마스크 협동조합",
        guest_phone="02-111-2222",
        as_staff=True,
        now=NOW,
    )
    other = services.reservation_create(
        resource=world["cutting"], start=at(9, 9), end=at(9, 11), booked_by=maker, user=maker, now=NOW
    )
    _en(client).force_login(geumcheon_staff)
    data = {
        "space": world["mask"].pk,
        "starts_at": "2026-12-09T00:00",
        "ends_at": "2026-12-10T00:00",
        "reason": "정기 점검",
    }
    preview = client.post("/anchors/geumcheon/closures/", data)  # first the bookings in the way, nothing saved
    assert preview.status_code == 200 and not Closure.objects.exists()
    assert "마스크 협동조합" in preview.content.decode() and 'name="step" value="save"' in preview.content.decode()
    response = client.post("/anchors/geumcheon/closures/", {**data, "step": "save"})
    assert response.status_code == 302 and "/affected/" in response.url
    html = client.get(response.url).content.decode()
    assert "마스크 협동조합" in html and "02-111-2222" in html and f"/reservations/{r.pk}/" in html
    assert f"/reservations/{other.pk}/" not in html


def test_the_move_grid_only_offers_slots_where_the_whole_booking_fits(client, world, maker, other_maker):
    r = services.reservation_create(
        resource=world["cutting"], start=at(10, 10), end=at(10, 12), booked_by=maker, user=maker, now=NOW
    )
    services.reservation_create(
        resource=world["cutting"], start=at(11, 14), end=at(11, 15), booked_by=other_maker, user=other_maker, now=NOW
    )
    client.force_login(maker)
    html = (
        client.get(f"/reservations/{r.pk}/move/?week=2026-12-10")
        .content.decode()
        .replace("%3A", ":")
        .replace("%2B", "+")
    )
    assert "start=2026-12-11T13:00" not in html  # would run into the 14:00 booking
    assert "start=2026-12-11T16:30" not in html  # would run past 18:00
    assert "start=2026-12-11T15:00" in html and "start=2026-12-10T10:30" in html  # its own slot does not block it


def test_a_confirmation_whose_fee_changed_since_it_was_shown_books_nothing_and_shows_the_new_fee(client, world, maker):
    maker.preferred_language = "en"
    maker.save()
    _en(client).force_login(maker)
    url = f"/book/equipment/{world['overlock'].pk}/new/"
    response = client.post(url, {**form(), "step": "confirm", "fee_shown_won": "5000"})  # 6,000 is the fee now
    html = response.content.decode()
    assert response.status_code == 200 and not Reservation.objects.exists()
    assert "6,000" in html and "5,000" in html and "Confirm your reservation" in html
    assert client.post(url, {**form(), "step": "confirm", "fee_shown_won": "6000"}).status_code == 302
    assert Reservation.objects.get().fee_won == 6_000


def test_cancelling_asks_for_the_charge_and_a_higher_charge_than_the_one_accepted_is_refused(client, world, maker):
    r = services.reservation_create(
        resource=world["cutting"], start=at(1, 14), end=at(1, 16), booked_by=maker, user=maker, now=NOW
    )  # within 24 hours: half the 30,000 won fee
    _en(client).force_login(maker)
    page = client.get(r.get_absolute_url()).content.decode()
    assert "15,000" in page and f'action="/reservations/{r.pk}/cancel/"' in page  # the button asks first (GET)
    question = client.get(f"/reservations/{r.pk}/cancel/", {"reason": "일정 변경"}).content.decode()
    assert 'name="accepted_charge_won" value="15000"' in question and "일정 변경" in question
    r.refresh_from_db()
    assert r.status == "confirmed"  # asking changed nothing
    client.post(f"/reservations/{r.pk}/cancel/", {})
    client.post(f"/reservations/{r.pk}/cancel/", {"accepted_charge_won": "10000"})
    r.refresh_from_db()
    assert r.status == "confirmed"
    shown = client.get(r.get_absolute_url())
    assert any("15,000" in str(m) for m in shown.context["messages"]) or "15,000" in shown.content.decode()
    client.post(f"/reservations/{r.pk}/cancel/", {"accepted_charge_won": "15000"})
    r.refresh_from_db()
    assert r.status == "cancelled" and r.charge_won == 15_000


def test_a_cancelled_booking_says_nothing_is_owed_and_offers_to_remove_it_from_the_calendar(
    client, world, maker, django_capture_on_commit_callbacks
):
    r = services.reservation_create(
        resource=world["overlock"], start=at(8, 14), end=at(8, 16), booked_by=maker, user=maker, now=NOW
    )
    client.force_login(maker)
    live = client.get(f"/reservations/{r.pk}/").content.decode()
    assert "내 캘린더에 추가" in live and "청구 금액 없음" not in live
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reservation_cancel(reservation=r, by=maker, now=NOW)
    page = client.get(f"/reservations/{r.pk}/").content.decode()
    assert "내 캘린더에 추가" not in page and "캘린더에서 지우기" in page and "청구 금액 없음" in page
    body = mail.outbox[-1].body
    assert "캘린더에서 일정을 지울 수 있습니다" in body and "캘린더에 일정을 추가할 수 있습니다" not in body


def test_the_series_button_counts_the_later_occurrences_it_will_cancel(client, world, maker):
    series = services.series_create(
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
    first, second, last = series.reservations.order_by("start_at")
    client.force_login(maker)
    assert "이후 회차 2개 취소" in client.get(f"/reservations/{first.pk}/").content.decode()
    assert "이후 회차 1개 취소" in client.get(f"/reservations/{second.pk}/").content.decode()
    assert "이후 회차" not in client.get(f"/reservations/{last.pk}/").content.decode()


def test_a_booking_confirmation_runs_a_fixed_number_of_queries(client, world, maker):
    """Speed (issue 16): the confirmation reads the rules' data once and checks nothing the database or the rules
    already guarantee (full_clean no longer re-reads the related rows or re-checks the check constraints in
    savepoints: 16 statements fewer). The same count for the first booking and the tenth."""
    client.force_login(maker)
    url = f"/book/equipment/{world['overlock'].pk}/new/"

    def book(hour: int) -> tuple[int, int]:
        data = form(start=f"{hour}:00", end=f"{hour + 1}:00")
        with CaptureQueriesContext(connection) as shown:
            preview = client.post(url, {**data, "step": "preview"}).content.decode()
        fee = re.search(r'name="fee_shown_won" value="(\d+)"', preview).group(1)
        with CaptureQueriesContext(connection) as booked:
            assert client.post(url, {**data, "step": "confirm", "fee_shown_won": fee}).status_code == 302
        return len(shown.captured_queries), len(booked.captured_queries)

    first = book(9)[1]  # the first request reads the catalogue (policy, hours, rates: common/catalogue.py)
    for hour in range(10, 17):
        preview, last = book(hour)
    # The preview: the session, the user, the roles, the clash check and the unread count. The confirmation: those
    # (no count), the two locks, the clash check under them, the three inserts (none in a savepoint of its own: the
    # outbox's is INSERT … ON CONFLICT DO NOTHING, and a clash only the constraint sees is translated after the
    # rollback), and two savepoint statements where the request's transaction is a savepoint inside the test's (40
    # before full_clean was trimmed, 24 before the catalogue was kept, 15 before the inserts lost their savepoints).
    # Fair allocation's rules (issue 18) add one statement to each: the maker's suspension and the resource's open
    # offers, read together in plain SQL (allocation.selectors.gate; the lottery windows are kept with the catalogue).
    # Billing (issue 19) adds, in the same transaction: what the booking was charged so far, the payer's account
    # locked (made on the first booking: 3 more), whether the fee rests on example data (2), the charge, the
    # account's charges not yet issued, the invoice's number (one upsert), the invoice and its lines (2).
    assert preview <= 6 and last <= 21 and first <= last + 3, (preview, first, last)
