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
from common import pagecache

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
    assert rows["계"][1:9] == (5_036_880, "(x2,500,000)", 7_224_187, "(x-)", 2_187_307, "(x△2,500,000)", 43, "(x△100)")
    assert rows["사무관리비"][3] == 1_711_987 and rows["사무관리비"][7] == 3_324
    text = client.get("/budgets/2021/?export=csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert ["사무관리비", "50000", "(x-)", "1711987", "(x-)", "1661987", "(x-)", "3324", "(x-)"] in lines


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
    assert "3,040,000" in html and "42.1" in html and "example data" in html  # 11 example records of 2021


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
    # The operating line funds three anchors in three districts, and the city's task force: each officer sees the
    # payments for the anchors of their district, the city sees all.
    shared = BudgetLine.objects.get(year=2021, item__code="201-01")
    client.force_login(guro_officer)
    html = client.get(f"/budgets/lines/{shared.pk}/").content.decode()
    assert "개봉 시설관리 용역" in html
    assert "금천 관리운영 용역" not in html and "창신 관리운영 용역" not in html and "TF 자문" not in html
    client.force_login(jongno_officer)
    html = client.get(f"/budgets/lines/{shared.pk}/").content.decode()
    assert "창신 관리운영 용역" in html and "개봉 시설관리 용역" not in html
    client.force_login(city_admin)
    html = client.get(f"/budgets/lines/{shared.pk}/").content.decode()
    assert all(p in html for p in ("금천 관리운영 용역", "창신 관리운영 용역", "개봉 시설관리 용역", "TF 자문"))


def test_drill_down_from_an_item_to_its_lines_and_records(client, book, guro_officer):
    client.force_login(guro_officer)
    html = _en(client).get("/budgets/2021/items/405-01/").content.decode()
    line = BudgetLine.objects.get(year=2021, item__code="405-01")
    assert f"/budgets/lines/{line.pk}/" in html and "2,299,200" in html and "1,790,000" in html


def test_the_anchor_page_shows_budget_beside_delivery_and_blank_not_zero_without_data(client, book):
    html = _en(client).get("/budgets/anchors/gaebong/?year=2021").content.decode()
    # Its shares: the works 579,000 + 10,000 + 2,299,200, utilities 450,000, and 777,497 of the shared operation.
    assert "4,115,697" in html
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
    pagecache.touch()  # bulk_create() sends no signal; a service writing so touches the public pages' cache
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


def test_the_history_is_paged_newest_first_and_any_page_number_shows_a_page(client, book, guro_officer):
    line = BudgetLine.objects.get(year=2021, item__code="201-02")
    start = line.amount_won
    for _ in range(30):
        line.amount_won += 1_000
        line.city_won += 1_000
        line.save()
    client.force_login(guro_officer)
    first = client.get("/budgets/history/").content.decode().replace(",", "")
    second = client.get("/budgets/history/?page=2").content.decode().replace(",", "")
    assert first.count("<tr><td>") == 25 and 'rel="next"' in first and 'rel="prev"' not in first
    newest, oldest_of_first = start + 30_000, start + 6_000
    assert f"→ <strong>{newest}" in first and f"→ <strong>{oldest_of_first}" in first
    assert f"→ <strong>{start + 5_000}" in second and f"→ <strong>{start + 5_000}" not in first
    assert 'rel="prev"' in second
    for hostile in ("0", "-3", "abc", "99999999999", "4000", "%00"):
        response = client.get(f"/budgets/history/?page={hostile}")
        assert response.status_code in (200, 400), hostile
        if response.status_code == 200:
            assert "<tr><td>" in response.content.decode(), hostile


def test_the_history_page_reads_a_constant_number_of_queries_however_long_the_history(
    client, book, guro_officer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    line = BudgetLine.objects.get(year=2021, item__code="201-02")
    client.force_login(guro_officer)

    def change(times: int) -> None:
        for _ in range(times):
            line.amount_won += 1_000
            line.city_won += 1_000
            line.save()

    change(30)
    client.get("/budgets/history/")  # sessions, caches: warm
    with CaptureQueriesContext(connection) as short:
        first = client.get("/budgets/history/").content.decode().replace(",", "")
    change(60)
    with CaptureQueriesContext(connection) as long:
        client.get("/budgets/history/")
    assert len(long) == len(short) <= 25, [q["sql"][:80] for q in long.captured_queries]
    assert first.count("<tr><td>") == 25 and first.count("→ <strong>") >= 25  # every row still shows old → new
