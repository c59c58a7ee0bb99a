"""Journey 3: a Guro-gu officer opens the execution page, sees the chart drawn, drills down and downloads the XLSX."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_district_officer_reviews_execution_and_downloads_the_tables(live_server, page):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from anchors import seed as anchors_seed
    from anchors.models import District, OfficerAssignment
    from budgets import seed as budgets_seed

    anchors_seed.load()
    budgets_seed.load()
    officer = UserFactory(email="officer@example.com", full_name="구로 담당관", roles=[Role.DISTRICT_OFFICER])
    OfficerAssignment.objects.create(user=officer, district=District.objects.get(slug="guro"))
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("이메일 주소").fill("officer@example.com")
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("link", name="개봉 메이커스페이스").first).to_be_visible()
    page.get_by_role("link", name="예산서").first.click()
    page.get_by_role("link", name="집행").first.click()
    page.wait_for_url("**/budgets/2021/execution/")
    chart = page.locator("#execution-chart polyline.executed")
    assert chart.count() == 1 and len(chart.get_attribute("points").split()) == 12
    box = page.locator("#execution-chart").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    page.screenshot(path=str(SHOTS / "budget-execution.png"), full_page=True)
    page.get_by_role("link", name="자산및물품취득비").click()
    page.get_by_role("link", name="개봉 메이커스페이스 물품구매").click()
    expect(page.get_by_text("장비 공급업체 (예시)")).to_be_visible()
    page.goto(f"{live_server.url}/budgets/2021/execution/")
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX 내려받기").click()
    path = info.value.path()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes())).worksheets[0]
    figures = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert figures[0][2] == 7_224_187
