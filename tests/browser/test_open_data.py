"""A visitor reads the open-data page on a phone: the files, the charts (drawn as SVG) and the data dictionary."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from common.time import SEOUL
from tests.browser.test_four_journeys import AXE, SIDEWAYS, WCAG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_visitor_reads_the_open_data_page_and_downloads_a_file(live_server, page, width):
    from anchors import seed as anchors_seed
    from facilities import seed as facilities_seed
    from opendata import services
    from reservations import seed as reservations_seed

    now = datetime(2026, 12, 1, 9, tzinfo=SEOUL)
    anchors_seed.load()
    facilities_seed.load(now=now)
    reservations_seed.load()
    services.publish_month(year=2026, month=10, now=now)
    services.publish_month(year=2026, month=11, now=now)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="공공데이터").click()
    page.wait_for_url("**/open-data/")
    expect(page.get_by_role("heading", name="공공데이터: 앵커시설 이용 현황")).to_be_visible()
    expect(page.get_by_role("img", name="월별 이용률")).to_be_visible()
    problems = [
        (v["id"], [n["target"] for n in v["nodes"][:3]])
        for v in AXE.run(page, options=WCAG).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert problems == [] and not page.evaluate(SIDEWAYS)
    page.screenshot(path=str(SHOTS / f"open-data-{width}.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV 2026-11").click()
    assert download.value.suggested_filename == "anchor-utilisation-2026-11.csv"
