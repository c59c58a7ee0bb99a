"""A maker makes a personal API token on a phone, uses it against the API, and revokes it (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_four_journeys import AXE, SIDEWAYS, WCAG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_maker_makes_uses_and_revokes_a_token_on_a_phone(live_server, page):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    UserFactory(email="script@example.com", full_name="김자동", roles=[Role.MAKER])
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("이메일 주소").fill("script@example.com")
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_role("link", name="API 토큰").click()
    page.wait_for_url("**/accounts/api-tokens/")
    expect(page.get_by_text("아직 토큰이 없습니다.")).to_be_visible()
    page.get_by_label("이름").fill("내 달력 스크립트")
    page.get_by_label("읽기와 변경").check()
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="토큰 만들기").click()
    secret = page.get_by_label("토큰", exact=True).input_value()
    assert secret.startswith("apt_")
    problems = [
        (v["id"], [n["target"] for n in v["nodes"][:3]])
        for v in AXE.run(page, options=WCAG).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert problems == [] and not page.evaluate(SIDEWAYS)
    page.screenshot(path=str(SHOTS / "api-tokens-phone.png"), full_page=True)

    api = page.context.request
    answer = api.get(f"{live_server.url}/api/v1/reservations/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and answer.json()["results"] == []

    page.goto(f"{live_server.url}/accounts/api-tokens/")
    expect(page.get_by_role("row", name="내 달력 스크립트")).not_to_contain_text("사용한 적 없음")  # its last use
    page.get_by_role("button", name="폐기 내 달력 스크립트").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success"))).to_contain_text("폐기했습니다")
    refused = api.get(
        f"{live_server.url}/api/v1/reservations/",
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "ko"},
    )
    assert refused.status == 401 and refused.json()["code"] == "token_revoked"
