"""A maker opens Geumcheon's facilities page, goes to the fees, fills the calculator and reads the quote."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.parametrize("with_js", [True, False], ids=["htmx", "no-javascript"])
def test_the_fee_calculator_shows_an_itemised_quote(live_server, browser, with_js):
    from anchors import seed as anchors_seed
    from facilities import seed as facilities_seed

    anchors_seed.load()
    facilities_seed.load(now=timezone.now())
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(java_script_enabled=with_js, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(f"{live_server.url}/anchors/geumcheon/facilities/")
    expect(page.get_by_role("heading", name="재단실")).to_be_visible()
    page.get_by_role("link", name="사용료").click()
    page.wait_for_url("**/anchors/geumcheon/rates/")
    page.get_by_label("공간 또는 장비").select_option(label="재단실")
    page.get_by_label("날짜").fill("2026-12-03")
    page.get_by_label("시작").fill("14:00")
    page.get_by_label("종료").fill("19:30")
    page.get_by_label("이용자 구분").select_option("tenant_member")
    page.get_by_role("button", name="계산하기").click()
    total = page.locator("#quote-total")
    total.wait_for()
    assert total.inner_text() == "60,900 원"
    rows = page.locator("#quote-lines tbody tr")
    assert rows.count() == 2
    assert "야간" in rows.nth(1).inner_text()
    page.screenshot(path=str(SHOTS / f"fee-calculator-{'htmx' if with_js else 'nojs'}.png"), full_page=True)
    context.close()
