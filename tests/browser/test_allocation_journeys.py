"""Fair allocation (issue 18) in headless Chromium: the desk declares a lottery window for a machine, makers apply
on a phone with ranked choices, the draw runs at the close (as the worker runs it), a maker who lost waits for the
slot, and anyone checks the published draw.

The server's clock is frozen (ticking) at a Tuesday morning in Seoul, then moved past the window's close for the
draw, so the journeys do not depend on the day the suite runs. The window page and the draw page are screenshotted
on a phone, scanned with axe-core (no serious or critical WCAG 2.1 A/AA violation) and must not scroll sideways.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from common.time import SEOUL

from .test_four_journeys import SIDEWAYS, WCAG  # the same scans as the four journeys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TUESDAY_MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)
AFTER_THE_CLOSE = datetime(2026, 12, 2, 18, 5, tzinfo=SEOUL)  # the window closes on Wednesday 2 December, 18:00
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery"
AXE = Axe()


@pytest.fixture
def site():
    from anchors import seed as anchors_seed
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed

    SHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        anchors_seed.load()
        facilities_seed.load(now=timezone.now())
        reservations_seed.load()
        yield


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("이메일 주소").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, page.locator("main").inner_text()[:500]


def axe_problems(page, name: str) -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page shown."""
    problems = []
    for v in AXE.run(page, options=WCAG).response["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = [n["target"] for n in v["nodes"][:3]]
            problems.append(f"{name} ({page.url}): axe {v['id']} ({v['impact']}) {v['help']} at {targets}")
    return problems


def look(page, name: str, problems: list[str], *, axe: bool = True) -> None:
    """A full-page screenshot, an axe scan and the sideways check of the page shown."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / f"allocation-{name}.png"), full_page=True)
    if axe:
        problems += axe_problems(page, name)
    sideways = page.evaluate(SIDEWAYS)
    if sideways:
        problems.append(f"{name} ({page.url}): scrolls sideways: {sideways}")
    assert "Server Error" not in page.title() and "Traceback" not in page.content(), name


def test_the_desk_declares_makers_apply_the_draw_runs_and_a_loser_waits(site, live_server, browser):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from allocation import selectors, services
    from allocation.models import LotteryWindow, SlotWait
    from anchors.models import Anchor
    from anchors.tests.factories import staff_of
    from facilities.models import Equipment
    from reservations.models import Reservation

    base = live_server.url
    problems: list[str] = []
    geumcheon = Anchor.objects.get(slug="geumcheon")
    overlock = Equipment.objects.get(asset_tag="GC-OVL-01")
    staff_of(geumcheon, email="desk@example.com", full_name="안내 직원")
    first = UserFactory(email="first@example.com", full_name="첫 메이커", roles=[Role.MAKER])
    second = UserFactory(email="second@example.com", full_name="둘째 메이커", roles=[Role.MAKER])

    # 1. The desk declares a window: the overlock on the next two Thursdays, 10:00-14:00 in 2-hour slots.
    desk_ctx = browser.new_context(viewport=DESK)
    desk = desk_ctx.new_page()
    login(desk, base, "desk@example.com")
    desk.goto(f"{base}/desk/geumcheon/")
    desk.get_by_role("link", name="추첨, 대기 목록, 경고").click()
    desk.wait_for_url("**/desk/geumcheon/lottery/")
    desk.get_by_role("link", name="추첨 공고하기").click()
    desk.wait_for_url("**/desk/geumcheon/lottery/new/")
    now = timezone.localtime(timezone.now(), SEOUL)
    desk.get_by_label("제목").fill("오버록 목요일 추첨")
    desk.get_by_label("배정 대상").select_option(f"equipment:{overlock.pk}")
    desk.get_by_label("첫날").fill("2026-12-03")
    desk.get_by_label("마지막 날").fill("2026-12-10")
    desk.get_by_label("목요일").check()
    desk.get_by_label("슬롯 시작").fill("10:00")
    desk.get_by_label("슬롯 종료").fill("14:00")
    desk.get_by_label("슬롯 길이(분)").fill("120")
    desk.get_by_label("신청 시작").fill(now.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_label("신청 마감 및 추첨 시각").fill("2026-12-02T18:00")
    desk.get_by_label("메이커당 선택 수").fill("2")
    desk.get_by_label("메이커당 최대 당첨 슬롯 수").fill("1")
    with desk.expect_navigation():
        desk.get_by_role("button", name="추첨 공고", exact=True).click()
    desk.wait_for_url("**/lottery/*/")
    window = LotteryWindow.objects.get(title="오버록 목요일 추첨")
    assert window.equipment_id == overlock.pk and window.weekdays == [3] and window.choices_per_maker == 2
    expect(desk.get_by_role("heading", name="오버록 목요일 추첨")).to_be_visible()
    expect(desk.locator("code", has_text=window.seed_hash)).to_be_visible()
    desk.screenshot(path=str(SHOTS / "allocation-window-declared-desk.png"), full_page=True)
    desk_ctx.close()

    slots = selectors.slots_of(window)
    assert [s.strftime("%m-%d %H:%M") for s, _e in slots] == [
        "12-03 10:00",
        "12-03 12:00",
        "12-10 10:00",
        "12-10 12:00",
    ]
    (ten, _ten_end), (noon, _noon_end) = slots[0], slots[1]
    # The second maker applies for Thursday 10:00 only (as from another phone).
    services.application_submit(window=window, user=second, slot_starts=[ten], now=timezone.now())

    # 2. The first maker applies on a phone: Thursday 10:00 first, 12:00 second.
    phone_ctx = browser.new_context(viewport=PHONE)
    phone = phone_ctx.new_page()
    login(phone, base, "first@example.com")
    phone.goto(f"{base}/lottery/")
    phone.get_by_role("link", name="오버록 목요일 추첨").click()
    phone.wait_for_url(f"**/lottery/{window.pk}/")
    phone.get_by_label("1지망").select_option(selectors.slot_key(ten))
    phone.get_by_label("2지망").select_option(selectors.slot_key(noon))
    with phone.expect_navigation():
        phone.get_by_role("button", name="신청하기").click()
    expect(phone.get_by_text("신청되었습니다.")).to_be_visible()
    slot_list = phone.locator("section[aria-labelledby=slots-h]")
    expect(slot_list.get_by_text("내 1지망")).to_be_visible()
    expect(slot_list.get_by_text("내 2지망")).to_be_visible()
    expect(phone.get_by_text("메이커 2명이 신청했습니다.")).to_be_visible()
    assert list(window.applications.filter(user=first).order_by("rank").values_list("slot_start", flat=True)) == [
        ten,
        noon,
    ]
    look(phone, "window-applied-phone", problems)

    # The draw, as the worker runs it after the close; the pages are then seen after the close too.
    with time_machine.travel(AFTER_THE_CLOSE, tick=True):
        draw = services.lottery_draw(window_id=window.pk, now=timezone.now())
        assert draw is not None
        winner_of_ten = Reservation.objects.get(equipment=overlock, start_at=ten).user
        loser = second if winner_of_ten == first else first
        assert Reservation.objects.filter(user=loser, start_at=ten).count() == 0

        phone.reload()
        expect(phone.get_by_role("heading", name="내 결과")).to_be_visible()
        expect(phone.get_by_role("link", name="추첨 결과 보고 검증하기")).to_be_visible()
        if first == winner_of_ten:
            expect(phone.locator(".alert-success")).to_contain_text("당첨되었습니다(1지망)")
        else:  # the first maker lost 10:00 and, with one win at most, took 12:00
            expect(phone.locator(".alert-success")).to_contain_text("당첨되었습니다(2지망)")
            expect(phone.get_by_text("(1지망): 당첨되지 않음")).to_be_visible()
        look(phone, "window-drawn-phone", problems)

        # The maker who lost Thursday 10:00 waits for it from the window's page.
        loser_ctx = None
        if loser == first:
            loser_page = phone
        else:
            loser_ctx = browser.new_context(viewport=PHONE)
            loser_page = loser_ctx.new_page()
            login(loser_page, base, "second@example.com")
            loser_page.goto(f"{base}/lottery/{window.pk}/")
        lost = loser_page.locator("li", has_text="(1지망): 당첨되지 않음")
        with loser_page.expect_navigation():
            lost.get_by_role("button", name="이 슬롯 대기하기").click()
        loser_page.wait_for_url("**/me/waiting/")
        expect(loser_page.get_by_role("heading", name="내 대기 목록")).to_be_visible()
        expect(loser_page.get_by_text("대기 중: 1번째.")).to_be_visible()
        expect(loser_page.locator("main")).to_contain_text("오버록 1")
        wait = SlotWait.objects.get(user=loser)
        assert wait.user == loser and wait.start_at == ten and wait.window_id == window.pk
        loser_page.screenshot(path=str(SHOTS / "allocation-my-waits-phone.png"), full_page=True)

        # Anyone, logged out, checks the draw.
        anon_ctx = browser.new_context(viewport=PHONE)
        anon = anon_ctx.new_page()
        anon.goto(f"{base}/lottery/{window.pk}/draw/")
        checks = anon.locator("section[aria-labelledby=check-h] li")
        expect(checks).to_have_count(4)
        for i in range(4):
            expect(checks.nth(i)).to_contain_text("✅")
        expect(anon.locator("section[aria-labelledby=check-h]")).not_to_contain_text("❌")
        expect(anon.locator("main")).to_contain_text(draw.seed)
        look(anon, "draw-phone", problems, axe=False)  # axe: test_the_draw_page_passes_axe_on_a_phone
        anon.set_viewport_size(DESK)
        anon.screenshot(path=str(SHOTS / "allocation-draw-desk.png"), full_page=True)

    for ctx in (phone_ctx, anon_ctx, loser_ctx):
        if ctx is not None:
            ctx.close()
    assert not problems, "\n".join(problems)


def test_the_draw_page_passes_axe_on_a_phone(site, live_server, page):
    from datetime import time

    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from allocation import selectors, services
    from anchors.models import Anchor
    from anchors.tests.factories import staff_of
    from facilities.models import Equipment

    geumcheon = Anchor.objects.get(slug="geumcheon")
    now = timezone.now()
    window = services.window_create(
        anchor=geumcheon,
        by=staff_of(geumcheon),
        title="오버록 목요일 추첨",
        target=Equipment.objects.get(asset_tag="GC-OVL-01"),
        first_day=datetime(2026, 12, 3).date(),
        last_day=datetime(2026, 12, 10).date(),
        weekdays=[3],
        day_start=time(10),
        day_end=time(14),
        slot_minutes=120,
        opens_at=now,
        closes_at=datetime(2026, 12, 2, 18, tzinfo=SEOUL),
        choices_per_maker=2,
        now=now,
    )
    slots = [s for s, _e in selectors.slots_of(window)]
    for _i in range(2):
        maker = UserFactory(roles=[Role.MAKER])
        services.application_submit(window=window, user=maker, slot_starts=slots[:2], now=now)
    with time_machine.travel(AFTER_THE_CLOSE, tick=True):
        assert services.lottery_draw(window_id=window.pk, now=timezone.now()) is not None
        page.set_viewport_size(PHONE)
        page.goto(f"{live_server.url}/lottery/{window.pk}/draw/")
        page.wait_for_load_state("networkidle")
        problems = axe_problems(page, "draw-phone")
    assert not problems, "\n".join(problems)
