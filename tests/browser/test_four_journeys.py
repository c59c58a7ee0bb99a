"""The four journeys of ../shared/journeys.md end to end in headless Chromium, on a desk (1280 px) and on a phone
(390 px), in Korean and in English.

Every page a journey reaches is looked at the same way (`Look`): a full-page screenshot saved under
var/screenshots/journeys/ (CI keeps them as artefacts), an axe-core scan that must find no serious or critical
WCAG 2.1 A/AA violation, and a layout check: no page scrolls sideways at either width, and on a desk the top
menu stays on one line. The journeys click what a user clicks, found by role, id or URL so that one script runs in
both languages. Problems are collected and reported together at the end of each journey.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from common.time import SEOUL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "journeys"
TUESDAY_MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)
SIZES = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# Each journey at both widths, and each role in both languages (the English pass at one width, to keep the suite
# quick: the pages are the same templates at either width).
MAKER_RUNS = [("desk", "ko"), ("phone", "ko"), ("phone", "en")]
DESK_RUNS = [("desk", "ko"), ("phone", "ko"), ("desk", "en")]
OFFICER_RUNS = [("desk", "ko"), ("phone", "en")]
PASSWORD = "correct-horse-battery"
FREE = "td.slot-free a:visible, a.slot-free:visible"  # a free time: a grid cell on a desk, a button on a phone
AXE = Axe()
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# The menu on one line: every visible item of the top bar has its top within a few pixels of the others'.
MENU_ROWS = """() => {
  const items = [...document.querySelectorAll('header .navbar-brand, header .navbar-nav .nav-link, header form button')]
    .filter(e => e.offsetParent !== null);
  const tops = items.map(e => e.getBoundingClientRect().top);
  const heights = items.map(e => e.getBoundingClientRect().height);
  return {spread: Math.max(...tops) - Math.min(...tops), tallest: Math.max(...heights), n: items.length};
}"""
# What sticks out past the right edge of a phone's screen (outside any element that scrolls by itself).
SIDEWAYS = """() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= window.innerWidth + 1) return [];
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !e.closest('.table-responsive, .overflow-auto'))
      out.push(e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + (e.textContent || '').trim().slice(0, 30));
  }
  return out.slice(0, 5);
}"""


class Look:
    """Screenshots, scans and measures each page a journey reaches; `problems` lists what failed."""

    def __init__(self, page, journey: str, size: str, lang: str):
        self.page, self.journey, self.size, self.lang = page, journey, size, lang
        self.problems: list[str] = []
        self.count = 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        self.count += 1
        where = f"{self.journey}/{self.size}/{self.lang} {name} ({page.url})"
        page.screenshot(
            path=str(SHOTS / f"{self.journey}-{self.size}-{self.lang}-{self.count:02d}-{name}.png"), full_page=True
        )
        for v in AXE.run(page, options=WCAG).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"][:3]]
                self.problems.append(f"{where}: axe {v['id']} ({v['impact']}) {v['help']} at {targets}")
        sideways = page.evaluate(SIDEWAYS)
        if sideways:
            self.problems.append(f"{where}: scrolls sideways: {sideways}")
        if self.size == "desk":
            menu = page.evaluate(MENU_ROWS)
            if menu["spread"] > 12 or menu["tallest"] > 60:
                self.problems.append(f"{where}: the top menu wraps: {menu}")
        assert page.locator("main").count() == 1, where
        assert "Server Error" not in page.title() and "Traceback" not in page.content(), where


@pytest.fixture
def site():
    from anchors import seed as anchors_seed
    from budgets import seed as budgets_seed
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed

    anchors_seed.load()
    facilities_seed.load(now=timezone.now())
    budgets_seed.load()
    reservations_seed.load()
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        yield


def start(page, live_server, size: str, lang: str, email: str | None = None) -> None:
    page.set_viewport_size(SIZES[size])
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies([{"name": "anchor_language", "value": lang, "domain": host, "path": "/"}])
    if email:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form [type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        assert "/accounts/login/" not in page.url, page.locator("main").inner_text()[:500]


def submit(page, form: str = "main form") -> None:
    # Waits for the page the form leads to: a check right after a bare click() would still read the old page.
    with page.expect_navigation():
        page.locator(f"{form} [type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def report(look: Look) -> None:
    assert not look.problems, "\n".join(look.problems)


@pytest.mark.parametrize(("size", "lang"), MAKER_RUNS)
def test_a_maker_books_moves_cancels_and_asks_for_a_training(site, live_server, page, size, lang):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from reservations.models import Reservation

    UserFactory(email="founder@example.com", full_name="김창업", roles=[Role.MAKER], preferred_language=lang)
    look = Look(page, "maker", size, lang)
    start(page, live_server, size, lang)
    page.goto(live_server.url + "/")
    look("home")
    page.goto(f"{live_server.url}/anchors/geumcheon/")
    look("anchor")
    page.locator("a[href='/anchors/geumcheon/facilities/']").first.click()
    look("facilities")
    page.goto(f"{live_server.url}/anchors/geumcheon/rates/")
    look("rates")
    start(page, live_server, size, lang, "founder@example.com")
    look("dashboard")
    page.goto(f"{live_server.url}/anchors/geumcheon/facilities/")
    page.locator("a[href^='/book/equipment/']").first.click()
    page.wait_for_url("**/book/equipment/*/")
    # A longer booking: choose the length, then follow the first free time offered for it.
    options = page.locator("#id_length option")
    page.select_option("#id_length", options.nth(min(2, options.count() - 1)).get_attribute("value"))
    page.locator("#id_length").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.locator("main a[href^='?week=']").nth(1).click()  # next week: far enough to move it later
    page.wait_for_load_state("networkidle")
    assert "length=" in page.url, "the week links keep the chosen length"
    look("week")
    free = page.locator(FREE).first
    assert re.search(r"\d,\d{3}", free.locator(".fee").inner_text()), "a free time shows its fee"
    free.click()
    page.wait_for_url("**/new/?start=*")
    page.fill("input[name=purpose]", "샘플 봉제")
    look("form")
    submit(page)
    expect(page.locator("#confirm-fee")).to_be_visible()
    look("confirm")
    page.locator("main button[name=step][value=confirm]").click()
    page.wait_for_url("**/reservations/*/")
    look("confirmed")
    r = Reservation.objects.get()
    page.goto(f"{live_server.url}/me/reservations/")
    look("mine")
    page.goto(f"{live_server.url}/reservations/{r.pk}/move/?week={(r.start_at + timedelta(days=7)).date().isoformat()}")
    look("move")
    page.locator(FREE).first.click()
    page.wait_for_load_state("networkidle")
    look("move-question")
    submit(page, "main .alert form")
    r.refresh_from_db()
    assert r.start_at.date() > TUESDAY_MORNING.date() + timedelta(days=6), "moved to the next week"
    page.goto(f"{live_server.url}/reservations/{r.pk}/")
    page.locator(f"form[action='/reservations/{r.pk}/cancel/'] button").click()
    page.wait_for_load_state("networkidle")
    look("cancel-question")
    r.refresh_from_db()
    assert r.status == "confirmed", "asking cancels nothing"
    submit(page)
    r.refresh_from_db()
    assert r.status == "cancelled"
    look("cancelled")
    # The laser cutter needs a training: its page leads to that training's list, which offers "tell me".
    page.goto(f"{live_server.url}/anchors/gaebong/facilities/")
    page.locator("a[href^='/book/equipment/']").first.click()
    page.wait_for_url("**/book/equipment/*/")
    look("laser-week")
    # None is scheduled for it: the notice offers to tell the maker when one is; asking lands on its trainings.
    page.locator("main form[action^='/programmes/trainings/'] button").first.click()
    page.wait_for_url("**/programmes/?training=*")
    look("asked")
    assert page.locator("main form[action^='/programmes/trainings/'] input[value=withdraw]").count() == 1
    report(look)


@pytest.mark.parametrize(("size", "lang"), DESK_RUNS)
def test_the_desk_books_a_walk_in_approves_a_request_and_closes_a_room(site, live_server, page, size, lang):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from anchors.models import Anchor
    from anchors.tests.factories import staff_of
    from facilities.models import Closure, Space
    from reservations import services
    from reservations.models import Reservation

    geumcheon = Anchor.objects.get(slug="geumcheon")
    staff_of(geumcheon, email="desk@example.com", full_name="안내 직원", preferred_language=lang)
    maker = UserFactory(email="maker2@example.com", roles=[Role.MAKER])
    mask = Space.objects.get(anchor=geumcheon, slug="mask-facility")
    now = timezone.now()
    monday = timezone.localdate(now) + timedelta(days=7 - timezone.localdate(now).weekday())
    request = services.reservation_create(
        resource=mask,
        start=datetime.combine(monday + timedelta(days=1), datetime.min.time(), tzinfo=SEOUL) + timedelta(hours=9),
        end=datetime.combine(monday + timedelta(days=1), datetime.min.time(), tzinfo=SEOUL) + timedelta(hours=13),
        booked_by=maker,
        user=maker,
        now=now,
    )
    look = Look(page, "desk", size, lang)
    start(page, live_server, size, lang, "desk@example.com")
    page.wait_for_url("**/desk/geumcheon/")
    look("desk-day")
    page.locator("#desk-grid a[href*='/new/?start=']").first.click()
    page.wait_for_url("**/new/?start=*")
    page.fill("input[name=guest_name]", "김대표")
    page.fill("input[name=guest_phone]", "010-1234-5678")
    look("walk-in-form")
    submit(page)
    page.locator("main button[name=step][value=confirm]").click()
    page.wait_for_url("**/reservations/*/")
    look("walk-in-booked")
    assert Reservation.objects.filter(guest_name="김대표").exists()
    page.goto(f"{live_server.url}/desk/geumcheon/?view=week")
    look("desk-week")
    page.goto(f"{live_server.url}/desk/geumcheon/")
    page.locator(f"form[action='/reservations/{request.pk}/approve/'] button").click()
    page.wait_for_load_state("networkidle")
    look("approve-question")
    submit(page)
    request.refresh_from_db()
    assert request.status == "confirmed"
    # Closing the mask facility: the booking in the way is shown before saving, then told together.
    page.goto(f"{live_server.url}/anchors/geumcheon/closures/")
    look("closures")
    page.select_option("select[name=space]", str(mask.pk))
    page.fill("input[name=starts_at]", f"{(monday + timedelta(days=1)).isoformat()}T00:00")
    page.fill("input[name=ends_at]", f"{(monday + timedelta(days=2)).isoformat()}T00:00")
    page.fill("input[name=reason]", "정기 점검")
    page.locator("main form:has(input[name=reason]) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    look("closure-preview")
    assert not Closure.objects.exists()
    page.locator("#closure-affected form button[type=submit]").click()
    page.wait_for_url("**/affected/")
    look("closure-affected")
    page.locator("button[name=action][value=notify]").click()
    page.wait_for_load_state("networkidle")
    look("closure-told")
    report(look)


@pytest.mark.parametrize(("size", "lang"), OFFICER_RUNS)
def test_a_district_officer_reads_execution_outcomes_and_reports(site, live_server, page, size, lang):
    from anchors.models import District
    from anchors.tests.factories import officer_of

    officer_of(District.objects.get(slug="guro"), email="officer@example.com", preferred_language=lang)
    look = Look(page, "officer", size, lang)
    start(page, live_server, size, lang, "officer@example.com")
    page.wait_for_url("**/dashboard/")
    look("dashboard")
    page.goto(f"{live_server.url}/budgets/2021/execution/")
    look("execution")
    page.locator("main a[href*='/budgets/2021/items/']").first.click()
    page.wait_for_load_state("networkidle")
    look("item")
    page.goto(f"{live_server.url}/budgets/anchors/gaebong/")
    look("outcomes")
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("main a[href='/budgets/reports/']").first.click()
    page.wait_for_url("**/budgets/reports/")
    look("reports")
    page.goto(f"{live_server.url}/budgets/history/")
    look("history")
    report(look)


@pytest.mark.parametrize(("size", "lang"), [("desk", "ko"), ("desk", "en")])
def test_an_administrator_copies_the_rate_table_edits_and_publishes_it(site, live_server, page, size, lang):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from facilities.models import RateTableVersion

    UserFactory(
        email="admin@example.com", roles=[Role.CITY_ADMIN], is_staff=True, is_superuser=True, preferred_language=lang
    )
    look = Look(page, "admin", size, lang)
    start(page, live_server, size, lang, "admin@example.com")
    look("dashboard")
    current = RateTableVersion.objects.filter(table__anchor__slug="geumcheon").order_by("-effective_from").first()
    page.goto(f"{live_server.url}/admin/facilities/ratetableversion/{current.pk}/copy/")
    next_year = date(timezone.localdate().year + 1, 1, 1)
    page.fill("input[name=effective_from]", next_year.isoformat())
    page.fill("input[name=basis_ko]", "운영규정 개정")
    page.locator("#content form input[type=submit], #content form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    new = RateTableVersion.objects.get(effective_from=next_year, table__anchor__slug="geumcheon")
    assert new.is_draft
    rule = new.rules.get(space__slug="cutting-room")
    page.goto(f"{live_server.url}/admin/facilities/raterule/{rule.pk}/change/")
    page.fill("input[name=base_price_won]", str(rule.base_price_won + 3_000))
    page.locator("input[name=_save]").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/admin/facilities/ratetableversion/{new.pk}/history/")
    assert f"{rule.base_price_won:,} → {rule.base_price_won + 3_000:,}" in page.content()
    page.goto(f"{live_server.url}/admin/facilities/ratetableversion/{new.pk}/change/")
    page.locator("form[action$='/publish/'] input[type=submit]").click()
    page.wait_for_load_state("networkidle")
    new.refresh_from_db()
    assert not new.is_draft
    page.goto(f"{live_server.url}/anchors/geumcheon/rates/")
    look("rates-published")
    assert next_year.isoformat() in page.content()
    report(look)


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches `selector` (and is visibly focused), as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} has no visible focus"
            return
    raise AssertionError(f"{selector} is not reachable by Tab")


def test_a_maker_books_by_keyboard_alone(site, live_server, page):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from facilities.models import Equipment
    from reservations.models import Reservation

    UserFactory(email="keys@example.com", roles=[Role.MAKER])
    start(page, live_server, "desk", "ko", "keys@example.com")
    sewing = Equipment.objects.get(asset_tag="GC-SEW-01")
    page.goto(f"{live_server.url}/book/equipment/{sewing.pk}/")
    tab_to(page, "td.slot-free a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/new/?start=*")
    tab_to(page, "input[name=purpose]")
    page.keyboard.type("시제품 봉제")
    page.keyboard.press("Enter")  # submits the form: the confirmation step
    page.wait_for_selector("#confirm-fee")
    tab_to(page, "button[name=step][value=confirm]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reservations/*/")
    r = Reservation.objects.get(user__email="keys@example.com")
    assert r.status == "confirmed" and r.purpose == "시제품 봉제"
