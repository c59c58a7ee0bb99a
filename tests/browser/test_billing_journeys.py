"""Billing (issue 19) in headless Chromium: a maker on a phone finds the invoice of a booking under "내 청구서",
pays it online in the sandbox and downloads the receipt as PDF; the desk of the anchor records a card payment
at the counter, finds it in the day's closing under card and exports the closing as CSV.

The server's clock is frozen (ticking) at a Tuesday morning in Seoul so the journeys do not depend on the day the
suite runs. Every billing page is screenshotted on a 390 px phone (under /tmp/billing-shots/), scanned with
axe-core (no serious or critical WCAG 2.1 A/AA violation), must not scroll sideways and must show no English
sentence left untranslated on the Korean page.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
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

SHOTS = Path("/tmp/billing-shots")
TUESDAY_MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery"
AXE = Axe()
# Words of English left on a Korean page: three or more Latin letters in a row, bar what Korean pages write in
# Latin letters too: file formats, and codes such as an asset tag (GC-OVL-01) or an invoice number.
ENGLISH = re.compile(r"(?<![A-Za-z0-9_-])(?!(?:PDF|CSV|XLSX|QR|VAT|URL)\b)[A-Za-z]{3,}(?![A-Za-z0-9_-])")


@pytest.fixture
def site():
    """The seeded sites and the example billing terms (as `make run` loads them), at a Tuesday morning."""
    from anchors import seed as anchors_seed
    from billing import seed as billing_seed
    from facilities import seed as facilities_seed
    from reservations import seed as reservations_seed

    SHOTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        anchors_seed.load()
        facilities_seed.load(now=timezone.now())
        reservations_seed.load()
        billing_seed.load(now=timezone.now())
        yield


@pytest.fixture
def booked(site):
    """A maker's two hours on the overlock on Thursday, booked through the service: its invoice is issued."""
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from anchors.models import Anchor
    from anchors.tests.factories import staff_of
    from billing.models import Document
    from facilities.models import Equipment
    from reservations.services import lifecycle

    geumcheon = Anchor.objects.get(slug="geumcheon")
    staff_of(geumcheon, email="desk@example.com", full_name="안내 직원")
    maker = UserFactory(email="maker@example.com", full_name="김메이커", roles=[Role.MAKER])
    r = lifecycle.reservation_create(
        resource=Equipment.objects.get(asset_tag="GC-OVL-01"),
        start=datetime(2026, 12, 3, 10, tzinfo=SEOUL),
        end=datetime(2026, 12, 3, 12, tzinfo=SEOUL),
        booked_by=maker,
        user=maker,
        now=timezone.now(),
    )
    assert r.fee_won > 0, "the overlock must cost something for this journey"
    invoice = Document.objects.get(account__user=maker, kind="invoice")
    assert invoice.total_won == r.fee_won + r.deposit_won
    return {"anchor": geumcheon, "maker": maker, "reservation": r, "invoice": invoice}


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("이메일 주소").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, page.locator("main").inner_text()[:500]


def look(page, name: str, problems: list[str]) -> None:
    """A full-page screenshot, an axe scan, the sideways check and the untranslated-English check of the page."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    for v in AXE.run(page, options=WCAG).response["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = [n["target"] for n in v["nodes"][:3]]
            problems.append(f"{name} ({page.url}): axe {v['id']} ({v['impact']}) {v['help']} at {targets}")
    sideways = page.evaluate(SIDEWAYS)
    if sideways:
        problems.append(f"{name} ({page.url}): scrolls sideways: {sideways}")
    text = re.sub(r"A\d+-\d{4}-[IC]\d+", "", page.locator("main").inner_text())
    english = sorted(set(ENGLISH.findall(text)))
    if english:
        problems.append(f"{name} ({page.url}): English on the Korean page: {english}")
    assert "Server Error" not in page.title() and "Traceback" not in page.content(), name


def won(amount: int) -> str:
    return f"{amount:,}"


def test_a_maker_pays_an_invoice_online_on_a_phone_and_downloads_the_receipt(booked, live_server, browser, tmp_path):
    from billing.models import Method, Payment

    base = live_server.url
    invoice = booked["invoice"]
    total = won(invoice.total_won)
    problems: list[str] = []
    ctx = browser.new_context(locale="ko-KR", viewport=PHONE)
    page = ctx.new_page()
    login(page, base, "maker@example.com")

    # "내 청구서" is in the account menu, behind the phone's menu button.
    page.get_by_role("button", name="메뉴 열기/닫기").click()
    page.get_by_role("button", name="김메이커").click()
    page.get_by_role("link", name="내 청구서").click()
    page.wait_for_url("**/me/billing/")
    expect(page.get_by_role("heading", name="내 청구서")).to_be_visible()
    listed = page.locator("main li", has_text=invoice.code)
    expect(listed).to_contain_text(f"{total} 원")
    expect(listed).to_contain_text("금천")
    expect(page.locator("main")).to_contain_text(f"{total} 원")
    look(page, "maker-01-my-invoices-phone", problems)

    listed.get_by_role("link", name=re.compile(invoice.code)).click()
    page.wait_for_url(f"**/billing/{invoice.code}/")
    expect(page.get_by_role("heading", name=re.compile(invoice.code))).to_be_visible()
    expect(page.locator("#state-h + dl")).to_contain_text(total)
    expect(page.get_by_text("정산 완료")).to_have_count(0)
    look(page, "maker-02-invoice-open-phone", problems)

    pay = page.get_by_role("button", name=f"{total} 원 온라인 결제")
    expect(pay).to_be_visible()
    with page.expect_navigation():
        pay.click()
    page.wait_for_url("**/billing-sandbox/*/")
    expect(page.get_by_role("heading", name=re.compile("샌드박스"))).to_be_visible()
    expect(page.locator("main")).to_contain_text(invoice.code)
    expect(page.locator("main")).to_contain_text(f"{total} 원")
    look(page, "maker-03-sandbox-checkout-phone", problems)
    assert not Payment.objects.exists()

    with page.expect_navigation():
        page.get_by_role("button", name="결제(샌드박스)").click()
    page.wait_for_url(f"**/billing/{invoice.code}/")
    expect(page.get_by_role("alert").filter(has_text="결제했습니다")).to_be_visible()
    expect(page.get_by_text("정산 완료: 낼 금액이 없습니다.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("온라인 결제"))).to_have_count(0)
    paid_row = page.locator("table", has_text="결제와 환불").locator("tbody tr")
    expect(paid_row).to_have_count(1)
    expect(paid_row).to_contain_text("온라인 결제")
    expect(paid_row).to_contain_text(f"{total} 원")
    look(page, "maker-04-invoice-settled-phone", problems)
    payment = Payment.objects.get()
    assert payment.method == Method.ONLINE and payment.amount_won == invoice.total_won

    # The receipt: the PDF link of the page, fetched with the maker's session.
    receipt = page.get_by_role("link", name="영수증(PDF)")
    href = receipt.get_attribute("href")
    assert href == f"/billing/{invoice.code}/pdf/"
    response = page.request.get(base + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(response.body())
    (SHOTS / "maker-05-receipt.pdf").write_bytes(response.body())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "서울금천" in text or "금천" in text, text
    assert "영수증" in text, text
    assert invoice.code in text and total in text, text
    assert "온라인 결제" in text, text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NanumGothic" in fonts, fonts
    ctx.close()
    assert not problems, "\n".join(problems)


def test_the_desk_records_a_card_payment_and_finds_it_in_the_daily_closing(booked, live_server, browser):
    from billing import selectors
    from billing.models import Method, Payment

    base = live_server.url
    invoice = booked["invoice"]
    total = won(invoice.total_won)
    problems: list[str] = []
    ctx = browser.new_context(locale="ko-KR", viewport=PHONE, accept_downloads=True)
    page = ctx.new_page()
    login(page, base, "desk@example.com")

    page.goto(f"{base}/desk/geumcheon/")
    page.get_by_role("link", name="요금·정산", exact=True).click()
    page.wait_for_url("**/desk/geumcheon/billing/")
    owed = page.locator("section[aria-labelledby=ageing-h]")
    expect(owed.locator("li", has_text=invoice.code)).to_contain_text(f"{total} 원")
    expect(owed.locator("li", has_text=invoice.code)).to_contain_text("김메이커")
    owed_total = selectors.owed_by_anchor(booked["anchor"], today=timezone.localdate()).total
    assert owed_total >= invoice.total_won
    total_cell = owed.locator("tfoot td")
    expect(total_cell).to_have_text(f"{won(owed_total)} 원")
    box = total_cell.bounding_box()  # the total is on the phone's screen, not scrolled off to the right
    assert box and box["x"] + box["width"] <= PHONE["width"], box
    look(page, "desk-01-owed-phone", problems)

    owed.get_by_role("link", name=invoice.code).click()
    page.wait_for_url(f"**/billing/{invoice.code}/")
    form = page.locator("section[aria-labelledby=pay-h]")
    expect(form.get_by_role("heading", name="안내데스크 결제 기록")).to_be_visible()
    expect(form.get_by_label("금액(원)")).to_have_value(total)
    look(page, "desk-02-invoice-payment-form-phone", problems)
    form.get_by_label("결제 수단").select_option(label="안내데스크 카드")
    form.get_by_label("참조 번호").fill("승인 30011234")
    with page.expect_navigation():
        form.get_by_role("button", name="결제 기록").click()
    page.wait_for_url(f"**/billing/{invoice.code}/")
    expect(page.get_by_role("alert").filter(has_text="결제를 기록했습니다.")).to_be_visible()
    expect(page.get_by_text("정산 완료: 낼 금액이 없습니다.")).to_be_visible()
    expect(page.locator("section[aria-labelledby=pay-h]")).to_have_count(0)
    paid_row = page.locator("table", has_text="결제와 환불").locator("tbody tr")
    expect(paid_row).to_have_count(1)
    expect(paid_row).to_contain_text("안내데스크 카드")
    expect(paid_row).to_contain_text("승인 30011234")
    expect(paid_row).to_contain_text(f"{total} 원")
    look(page, "desk-03-invoice-paid-phone", problems)
    payment = Payment.objects.get()
    assert payment.method == Method.CARD and payment.amount_won == invoice.total_won
    assert payment.reference == "승인 30011234"

    page.get_by_role("link", name="앵커시설 미수금으로 돌아가기").click()
    page.wait_for_url("**/desk/geumcheon/billing/")
    expect(page.locator("section[aria-labelledby=ageing-h]").locator("li", has_text=invoice.code)).to_have_count(0)
    page.get_by_role("link", name="일일 마감").click()
    page.wait_for_url("**/desk/geumcheon/billing/closing/")
    day = timezone.localdate()
    expect(page.get_by_role("textbox", name="날짜")).to_have_value(f"{day:%Y-%m-%d}")
    totals = page.locator("section[aria-labelledby=totals-h]")
    expect(totals.get_by_role("heading", name="결제 수단별 합계")).to_be_visible()
    card = totals.locator("tbody tr", has_text="안내데스크 카드")
    expect(card.locator("td").first).to_have_text(total)  # received
    expect(card.locator("td").last).to_have_text(total)  # net
    expect(totals.locator("tbody tr", has_text="안내데스크 현금")).to_contain_text("0")
    expect(totals.locator("tbody tr").last).to_contain_text(total)  # the day's total
    payments = page.locator("section[aria-labelledby=payments-h]")
    listed = payments.locator("li:visible, tr:visible", has_text=invoice.code)  # a block on a phone
    expect(listed).to_have_count(1)
    for seen in ("김메이커", "안내데스크 카드", "승인 30011234", "안내 직원", f"{total} 원"):
        expect(listed).to_contain_text(seen)
    look(page, "desk-04-closing-phone", problems)
    page.set_viewport_size(DESK)  # a row of the table on a desk, every column in view
    row = payments.locator("tr:visible", has_text=invoice.code)
    expect(row).to_contain_text("안내 직원")
    amount_cell = row.locator("td").last
    expect(amount_cell).to_have_text(total)
    box = amount_cell.bounding_box()
    assert box and box["x"] + box["width"] <= DESK["width"], box
    page.screenshot(path=str(SHOTS / "desk-04-closing-desk.png"), full_page=True)
    page.set_viewport_size(PHONE)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV 내려받기").click()
    assert download.value.suggested_filename == f"closing-geumcheon-{day:%Y-%m-%d}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    payment_rows = [r for r in rows if any(c.startswith(invoice.code) for c in r)]  # the code, marked "(예시)"
    assert len(payment_rows) == 1 and "안내데스크 카드" in payment_rows[0], rows
    assert str(invoice.total_won) in payment_rows[0] or total in payment_rows[0], rows
    card_totals = [r for r in rows if r and r[0] == "안내데스크 카드"]
    assert card_totals and card_totals[0][1] in (str(invoice.total_won), total), rows

    page.get_by_role("link", name="은행 거래내역").click()
    page.wait_for_url("**/desk/geumcheon/billing/bank/")
    look(page, "desk-05-bank-phone", problems)
    ctx.close()
    assert not problems, "\n".join(problems)


def test_a_bank_statement_dry_run_on_a_phone(booked, live_server, browser, tmp_path):
    """The bank page with a statement read in a dry run: the row with the invoice number would be recorded."""
    from billing.models import Payment

    base = live_server.url
    invoice = booked["invoice"]
    problems: list[str] = []
    statement = tmp_path / "statement.csv"
    statement.write_text(
        f"거래일,입금액,적요\n2026-12-01,{invoice.total_won},김메이커 {invoice.code}\n2026-12-01,5000,이름 없는 입금\n",
        encoding="utf-8",
    )
    ctx = browser.new_context(locale="ko-KR", viewport=PHONE)
    page = ctx.new_page()
    login(page, base, "desk@example.com")
    page.goto(f"{base}/desk/geumcheon/billing/bank/")
    page.get_by_label("은행 거래내역(CSV 또는 XLSX)").set_input_files(str(statement))
    expect(page.get_by_role("checkbox")).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="거래내역 읽기").click()
    rows = page.locator("main li:visible", has_text="행 ·")  # a block per row of the statement on a phone
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(invoice.code)
    expect(rows.nth(0)).to_contain_text("기록될 예정")
    expect(rows.nth(0)).to_contain_text(f"{won(invoice.total_won)} 원")
    expect(rows.nth(1)).to_contain_text("메모에 청구서 번호가 없습니다.")
    look(page, "desk-06-bank-dry-run-phone", problems)
    assert not Payment.objects.exists()
    ctx.close()
    assert not problems, "\n".join(problems)
