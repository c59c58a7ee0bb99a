"""The seed's figures on the rendered pages and in the exports, the checks, and who sees what."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import seed
from budgets.models import BudgetLine, ExecutionRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(seeded):
    seed.load()


def _en(client):
    client.cookies["anchor_language"] = "en"
    return client


@pytest.mark.smoke
def test_the_2021_summary_reproduces_the_budget_book(client, book):
    html = _en(client).get("/budgets/2021/").content.decode()
    for figure in [
        "5,036,880",
        "(x2,500,000)",
        "7,224,187",
        "2,187,307",
        ">43<",
        "1,711,987",
        "1,661,987",
        "3,324",
        "△230,000",
        "△43",
        "4,231,880",
        "1,874,000",
        "△2,357,880",
        "△56",
        "2,299,200",
        "579,000",
        "10,000",
    ]:
        assert figure in html, figure
    assert "thousand won" in html


def test_the_summary_exports_the_same_figures_to_xlsx_and_csv(client, book):
    response = client.get("/budgets/2021/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    total = next(v for k, v in rows.items() if k in ("Total", "합계"))
    assert (total[1], total[3], total[5], total[6]) == (5_036_880, 7_224_187, 2_187_307, 43)
    office = rows["사무관리비"]
    assert (office[3], office[6]) == (1_711_987, 3_324)
    text = client.get("/budgets/2021/?export=csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert any(r[:2] == ["사무관리비", "50000"] and r[3] == "1711987" and r[6] == "3324" for r in lines)


def test_the_multi_year_plan_flags_the_row_whose_printed_total_disagrees(client, book):
    html = _en(client).get("/budgets/plan/").content.decode()
    assert "66,230" in html and "46,431" in html and "59,531" in html
    assert "the parts add up to 1,045, the book prints 47,476" in html


def test_the_settlement_reproduces_2018_and_says_2019_is_incomplete(client, book):
    html = _en(client).get("/budgets/settlement/").content.decode()
    assert "520,000" in html and "7,155,400" in html and "227,444" in html and "137,117" in html
    assert "adds up" in html and "incomplete" in html


def test_execution_per_item_and_line_with_the_chart_and_example_records_labelled(client, book):
    html = _en(client).get("/budgets/2021/execution/").content.decode()
    assert 'id="execution-chart"' in html and 'class="executed"' in html and 'class="planned"' in html
    assert "3,675,000" in html and "77.9" in html and "example data" in html


def test_payees_are_shown_to_the_officers_concerned_and_the_city_only(
    client, book, guro_officer, jongno_officer, maker, city_admin
):
    line = BudgetLine.objects.get(year=2021, item__code="405-01")  # Gaebong makerspace goods, Guro-gu
    url = f"/budgets/lines/{line.pk}/"
    for user, sees in [
        (None, False),
        (maker, False),
        (jongno_officer, False),
        (guro_officer, True),
        (city_admin, True),
    ]:
        client.logout()
        if user:
            client.force_login(user)
        html = client.get(url).content.decode()
        assert ("장비 공급업체" in html) is sees, user
    city_line = BudgetLine.objects.get(year=2021, item__code="201-01")  # no single anchor: the city only
    client.force_login(guro_officer)
    assert "관리운영 용역" not in client.get(f"/budgets/lines/{city_line.pk}/").content.decode()


def test_drill_down_from_an_item_to_its_lines_and_records(client, book, guro_officer):
    client.force_login(guro_officer)
    html = _en(client).get("/budgets/2021/items/405-01/").content.decode()
    line = BudgetLine.objects.get(year=2021, item__code="405-01")
    assert f"/budgets/lines/{line.pk}/" in html and "2,299,200" in html and "1,790,000" in html


def test_the_anchor_page_shows_budget_beside_delivery_and_blank_not_zero_without_data(client, book):
    html = _en(client).get("/budgets/anchors/gaebong/?year=2021").content.decode()
    assert "2,888,200" in html  # 579,000 + 10,000 + 2,299,200 thousand won
    assert "Cost per booked hour" in html and "Blank means the portal has no data" in html


def test_the_anchor_page_counts_booked_hours_fees_and_unit_costs_once_bookings_exist(book, world_for_budgets):
    from budgets.selectors import anchor_delivery

    d = anchor_delivery(anchor=world_for_budgets["gaebong"], year=2026)
    assert d.booked_hours is not None and d.fee_revenue and d.utilisation is not None


def test_the_execution_page_runs_the_same_number_of_queries_with_10_and_10000_records(client, book):
    line = BudgetLine.objects.get(year=2021, item__code="201-02")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/budgets/2021/execution/").status_code == 200
        return len(ctx)

    ExecutionRecord.objects.bulk_create(
        [
            ExecutionRecord(line=line, date=f"2021-{(i % 12) + 1:02d}-01", amount_won=1, payee="p", description="d")
            for i in range(10)
        ]
    )
    small = count()
    ExecutionRecord.objects.bulk_create(
        [
            ExecutionRecord(line=line, date=f"2021-{(i % 12) + 1:02d}-01", amount_won=1, payee="p", description="d")
            for i in range(9_990)
        ]
    )
    assert count() == small


def test_history_of_budget_figures_is_for_officers_and_the_city(client, book, guro_officer, maker):
    line = BudgetLine.objects.get(year=2021, item__code="201-02")
    line.amount_won += 1_000
    line.city_won += 1_000
    line.save()
    client.force_login(maker)
    assert client.get("/budgets/history/").status_code == 403
    client.force_login(guro_officer)
    html = client.get("/budgets/history/").content.decode()
    assert "450000000 → <strong>450001000" in html.replace(",", "")
