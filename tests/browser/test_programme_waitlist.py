"""A maker registers for a full programme, is put on the waiting list, and moves up when a participant cancels."""

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


def login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("이메일 주소").fill(email)
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/dashboard/")


def test_a_waitlisted_maker_is_promoted_when_a_participant_cancels(live_server, browser):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from anchors import seed as anchors_seed
    from anchors.models import Anchor
    from facilities import seed as facilities_seed
    from facilities.models import Space
    from programs import services
    from programs.models import Registration

    SHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=SEOUL), tick=True):
        anchors_seed.load()
        facilities_seed.load(now=timezone.now())
        admin = UserFactory(roles=[Role.CITY_ADMIN], is_superuser=True)
        first = UserFactory(email="first@example.com", full_name="먼저 등록", roles=[Role.MAKER])
        UserFactory(email="second@example.com", full_name="대기 메이커", roles=[Role.MAKER])
        p = services.programme_create(
            anchor=Anchor.objects.get(slug="geumcheon"),
            kind="workshop",
            title_ko="오버록 기초 교실",
            capacity=1,
            created_by=admin,
        )
        services.session_add(
            programme=p,
            space=Space.objects.get(anchor__slug="geumcheon", slug="sample-room"),
            start=datetime(2026, 12, 4, 14, tzinfo=SEOUL),
            end=datetime(2026, 12, 4, 16, tzinfo=SEOUL),
            booked_by=admin,
            now=timezone.now(),
        )
        services.registration_create(programme=p, user=first, now=timezone.now())

        second_ctx = browser.new_context(viewport={"width": 390, "height": 844})
        page = second_ctx.new_page()
        login(page, live_server.url, "second@example.com")
        page.goto(f"{live_server.url}/programmes/")
        page.get_by_role("link", name="오버록 기초 교실").click()
        page.get_by_role("button", name="대기자 명단에 등록").click()
        expect(page.locator("#my-status")).to_contain_text("대기 1번")
        page.screenshot(path=str(SHOTS / "programme-waitlisted-phone.png"), full_page=True)

        first_ctx = browser.new_context()
        other = first_ctx.new_page()
        login(other, live_server.url, "first@example.com")
        other.goto(f"{live_server.url}{p.get_absolute_url()}")
        other.get_by_role("button", name="등록 취소").click()
        expect(other.get_by_role("button", name="등록 취소")).to_have_count(0)

        page.reload()
        expect(page.locator("#my-status")).to_contain_text("등록되었습니다")
        assert Registration.objects.get(user__email="second@example.com").status == "registered"
        second_ctx.close()
        first_ctx.close()
