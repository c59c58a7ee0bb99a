"""Journeys 1 and 2 in headless Chromium: a maker books a sewing machine; the desk books a walk-in and checks them in.

The server's clock is frozen (ticking) at a Tuesday morning in Seoul so the journeys do not depend on the
day the suite runs; the browser itself is a separate process and unaffected.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from common.time import SEOUL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TUESDAY_MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def site():
    from anchors import seed as anchors_seed
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed

    anchors_seed.load()
    facilities_seed.load(now=timezone.now())
    reservations_seed.load()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        yield


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("이메일 주소").fill(email)
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="로그인").click()


def test_a_maker_books_a_sewing_machine_and_finds_it_in_my_reservations(site, live_server, page):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from reservations.models import Reservation

    UserFactory(email="founder@example.com", full_name="김창업", roles=[Role.MAKER])
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, "founder@example.com")
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/anchors/geumcheon/facilities/")
    page.get_by_role("link", name="예약하기 공업용 미싱 1").click()
    page.wait_for_url("**/book/equipment/*/")
    page.screenshot(path=str(SHOTS / "resource-week-phone.png"), full_page=True)
    page.get_by_role("link", name="예약 가능").first.click()
    page.wait_for_url("**/new/?start=*")
    page.get_by_label("목적").fill("샘플 봉제")
    page.get_by_role("button", name="확인하고 사용료 보기").click()
    expect(page.get_by_role("heading", name="예약 내용 확인")).to_be_visible()
    assert "원" in page.locator("#confirm-fee tfoot").inner_text()
    assert Reservation.objects.count() == 0
    page.get_by_role("button", name="예약 확정").click()
    page.wait_for_url("**/reservations/*/")
    expect(page.locator(".qr svg")).to_be_visible()
    page.screenshot(path=str(SHOTS / "reservation-confirmed-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/me/reservations/")
    upcoming = page.locator("#upcoming-heading + ul")
    assert "공업용 미싱 1" in upcoming.inner_text()
    r = Reservation.objects.get()
    assert r.user.email == "founder@example.com" and r.status == "confirmed" and r.fee_won > 0


def test_the_desk_books_a_walk_in_group_and_checks_them_in(site, live_server, page):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from anchors.models import Anchor, StaffAssignment
    from reservations.models import Reservation

    staff = UserFactory(email="desk@example.com", full_name="안내 직원", roles=[Role.FACILITY_STAFF])
    StaffAssignment.objects.create(user=staff, anchor=Anchor.objects.get(slug="geumcheon"))
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server.url, "desk@example.com")
    page.wait_for_url("**/desk/geumcheon/")
    page.get_by_role("link", name="재단실 10:30 예약하기").click()
    page.wait_for_url("**/new/?start=*")
    page.get_by_label("손님 이름").fill("김대표")
    page.get_by_label("손님 전화번호").fill("010-1234-5678")
    page.get_by_label("소속 단체").fill("시흥동 봉제협회")
    page.get_by_label("인원").fill("5")
    page.get_by_role("button", name="확인하고 사용료 보기").click()
    try:
        expect(page.get_by_role("button", name="예약 확정")).to_be_visible()
    except AssertionError as refused:
        page.screenshot(path=str(SHOTS / "desk-booking-refused.png"), full_page=True)
        raise AssertionError(page.locator("main").inner_text()[:2000]) from refused
    page.get_by_role("button", name="예약 확정").click()
    page.wait_for_url("**/reservations/*/")
    page.goto(f"{live_server.url}/desk/geumcheon/")
    page.screenshot(path=str(SHOTS / "desk-day.png"), full_page=True)
    page.get_by_label("이름으로 검색").fill("김대표")
    page.get_by_role("button", name="검색").click()
    page.get_by_role("button", name="입실 확인").first.click()
    page.wait_for_load_state()
    r = Reservation.objects.get(guest_name="김대표")
    assert r.status == "checked_in" and r.booked_by == staff and r.party_size == 5
