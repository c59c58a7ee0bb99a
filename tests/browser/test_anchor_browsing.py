"""A visitor opens the anchor list, filters by district and opens Geumcheon's page, in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_visitor_filters_by_district_and_opens_geumcheon(live_server, page):
    from anchors import seed

    seed.load()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/anchors/")
    assert page.locator("html").get_attribute("lang") == "ko"
    expect(page.get_by_role("heading", name="앵커시설 10곳")).to_be_visible()
    page.get_by_label("자치구").select_option("geumcheon")
    page.get_by_role("button", name="조건 적용").click()
    page.wait_for_url("**/anchors/?*district=geumcheon*")
    expect(page.get_by_role("heading", name="앵커시설 1곳")).to_be_visible()
    page.screenshot(path=str(SHOTS / "anchor-list-filtered-phone.png"), full_page=True)
    page.get_by_role("link", name="금천 스마트솔루션앵커").click()
    page.wait_for_url("**/anchors/geumcheon/")
    assert page.get_by_role("heading", level=1).inner_text() == "금천 스마트솔루션앵커"
    expect(page.get_by_text("연면적 1,247㎡")).to_be_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/anchors/geumcheon/")
    assert page.get_by_role("heading", level=1).inner_text() == "Geumcheon Smart Solution Anchor"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "anchor-detail-en-desktop.png"), full_page=True)


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(live_server, page):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
