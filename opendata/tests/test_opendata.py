"""Open data (issue 17): the monthly files per anchor and kind, their figures (the monthly report's), small counts
suppressed, no personal data, the CSV/JSON/metadata files at stable addresses, the page and its charts, and
publication by the monthly job and from the admin site."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.tests.factories import UserFactory
from budgets import reports
from common.time import SEOUL
from opendata import selectors, services
from opendata.columns import columns
from opendata.models import OpenDataMonth
from reservations import services as booking
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db
NOVEMBER_START = datetime(2026, 11, 1, 9, 0, tzinfo=SEOUL)
WEEKDAYS = [2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17]  # November 2026


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def book(resource, day, start, end, maker, **kw):
    return booking.reservation_create(
        resource=resource,
        start=at(day, start, month=11),
        end=at(day, end, month=11),
        booked_by=maker,
        user=maker,
        now=NOVEMBER_START,
        **kw,
    )


@pytest.fixture
def november(world):
    """A November at Geumcheon: seven overlock bookings (one cancelled late, one a no-show), four on the sewing
    machine, and a single booking of the cutting room (too few to publish)."""
    makers = [UserFactory(email=f"maker{i}@example.com", full_name=f"김메이커{i}") for i in range(4)]
    overlock = [book(world["overlock"], day, 10, 12, makers[i % 4]) for i, day in enumerate(WEEKDAYS[:7])]
    sewing = [book(world["sewing"], day, 14, 16, makers[i % 4]) for i, day in enumerate(WEEKDAYS[:4])]
    cutting = book(world["cutting"], 18, 10, 14, makers[0])
    booking.reservation_cancel(reservation=overlock[0], by=makers[0], now=at(2, 9, month=11), accepted_charge_won=10**9)
    booking.reservation_mark_no_show(reservation=overlock[1], by=None, now=at(3, 11, month=11))
    return {"makers": makers, "overlock": overlock, "sewing": sewing, "cutting": cutting}


def published():
    return services.publish_month(year=2026, month=11, now=NOW)


def rows_by(rows, level, kind=""):
    return [r for r in rows if r["anchor"] == "geumcheon" and r["level"] == level and r["kind"] == kind]


def test_the_files_figures_are_the_monthly_reports(world, november):
    """One source: the anchor row and the machine kinds' rows say what the monthly report says."""
    rows = selectors.month_rows(year=2026, month=11)
    head = rows_by(rows, "anchor")[0]
    with translation.override("en"):
        report = reports.build(anchor=world["geumcheon"], year=2026, month=11)
    tables = {t.title: t for t in report.tables}
    utilisation = tables["Utilisation"].rows
    total = utilisation[-1]
    assert (head["booked_hours"], head["open_hours"]) == (round(total[1], 1), round(total[2], 1))
    assert head["utilisation_pct"] == round(total[3], 1)
    by_status = dict(tables["Reservations by status"].rows)
    assert head["bookings"] == by_status["Total"] == 12
    assert (head["cancellations"], head["no_shows"]) == (by_status["Cancelled"], by_status["No-show"]) == (1, 1)
    fees = {row[0]: row for row in tables["Fee revenue by user category"].rows}
    assert head["fee_revenue_won"] == fees["Fee revenue"][2] > 0
    assert head["fee_standard_won"] == fees.get("Standard price", [0, 0, 0])[2]
    assert head["charges_won"] == fees["Cancellation and no-show charges"][2]
    programmes = dict(tables["Programmes"].rows)
    assert (head["programme_sessions"], head["programme_participants"]) == (
        programmes["Sessions"],
        programmes["Participants"],
    )
    # A machine kind's booked and open hours are the report's row for it.
    sewing_kind = world["sewing"].kind
    report_row = next(r for r in utilisation if r[0].startswith(sewing_kind.name_ko))
    kind_row = rows_by(rows, "equipment_kind", sewing_kind.slug)[0]
    assert (kind_row["booked_hours"], kind_row["open_hours"]) == (round(report_row[1], 1), round(report_row[2], 1))
    assert kind_row["bookings"] == 4
    # The kinds add up to their anchor.
    kinds = [r for r in rows if r["anchor"] == "geumcheon" and r["level"] != "anchor"]
    assert sum(r["bookings"] for r in kinds) == head["bookings"]
    assert sum(r["fee_revenue_won"] for r in kinds) == head["fee_revenue_won"]
    assert round(sum(r["booked_hours"] for r in kinds), 1) == head["booked_hours"]


def test_small_counts_are_blank_and_cannot_be_worked_back(world, november):
    month = published()
    head = rows_by(month.rows, "anchor")[0]
    cutting = rows_by(month.rows, "space_kind", world["cutting"].kind)[0]
    # One maker booked the cutting room: its figures are blank, and say so; its open hours are not about anyone.
    assert cutting["bookings"] is None and cutting["booked_hours"] is None and cutting["utilisation_pct"] is None
    assert cutting["fee_revenue_won"] is None and cutting["open_hours"] is not None
    assert set(cutting["suppressed"].split(";")) >= {"bookings", "booked_hours", "utilisation_pct", "fee_revenue_won"}
    # The anchor's total stays (four makers), so every kind of the anchor is blank: no subtraction gives it back.
    kinds = [r for r in month.rows if r["anchor"] == "geumcheon" and r["level"] != "anchor"]
    assert head["bookings"] == 12 and head["booked_hours"] is not None
    assert all(r[key] is None for r in kinds for key in ("bookings", "booked_hours", "fee_revenue_won"))
    # One maker cancelled and one did not come: blank; the charges they brought, and so the fee categories that
    # add up with them to the fee revenue, are blank too.
    assert head["cancellations"] is None and head["no_shows"] is None and head["charges_won"] is None
    assert head["fee_standard_won"] is None and head["fee_revenue_won"] is not None
    assert {"charges_won", "fee_standard_won"} <= set(head["suppressed"].split(";"))
    # Zeros are published: they single no one out.
    assert head["programme_sessions"] == 0
    assert month.threshold == 3


def test_people_are_counted_not_bookings(world):
    """Six bookings by one maker are one maker's figures: blank, on the anchor and on its kinds."""
    one = UserFactory(email="only@example.com")
    for day in WEEKDAYS[:6]:
        book(world["overlock"], day, 10, 12, one)
    month = published()
    head = rows_by(month.rows, "anchor")[0]
    overlock = rows_by(month.rows, "equipment_kind", world["overlock"].kind.slug)[0]
    for row in (head, overlock):
        assert row["bookings"] is None and row["booked_hours"] is None and row["fee_revenue_won"] is None
    assert head["open_hours"] is not None and head["resources"] > 0
    # Three makers: published.
    for i, day in enumerate(WEEKDAYS[6:8]):
        book(world["overlock"], day, 10, 12, UserFactory(email=f"more{i}@example.com"))
    again = services.publish_month(year=2026, month=11, now=NOW)
    assert rows_by(again.rows, "anchor")[0]["bookings"] == 8


def test_a_kind_booked_but_no_longer_offered_keeps_its_row_so_the_kinds_add_up(world):
    from facilities.models import Equipment, EquipmentStatus

    makers = [UserFactory(email=f"m{i}@example.com") for i in range(3)]
    for i, day in enumerate(WEEKDAYS[:3]):
        book(world["sewing"], day, 14, 16, makers[i])
        book(world["overlock"], day, 10, 12, makers[i])
    for unit in Equipment.objects.filter(kind=world["overlock"].kind, space__anchor=world["geumcheon"]):
        unit.status = EquipmentStatus.RETIRED  # every overlock of the anchor retired after the month
        unit.save()
    rows = selectors.month_rows(year=2026, month=11)
    head = rows_by(rows, "anchor")[0]
    kinds = [r for r in rows if r["anchor"] == "geumcheon" and r["level"] != "anchor"]
    assert sum(r["bookings"] for r in kinds) == head["bookings"] == 6
    assert sum(r["fee_revenue_won"] for r in kinds) == head["fee_revenue_won"]


def test_the_files_hold_no_personal_data(client, world, november):
    published()
    personal = {"user", "email", "name", "phone", "guest", "maker", "purpose", "notes", "user_id"}
    assert not {c.key for c in columns()} & personal
    bodies = [
        client.get(url).content.decode("utf-8-sig")
        for url in (
            "/open-data/anchor-utilisation-2026-11.csv",
            "/open-data/anchor-utilisation-2026-11.json",
            "/open-data/anchor-utilisation.csv",
            "/open-data/anchor-utilisation.json",
            "/open-data/",
        )
    ]
    for maker in november["makers"]:
        for body in bodies:
            assert maker.email not in body and maker.full_name not in body


@pytest.mark.smoke
def test_csv_json_metadata_and_dictionary_are_published_at_stable_addresses(client, world, november):
    published()
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=SEOUL), tick=False):
        services.publish_month(year=2026, month=10, now=NOW)
    response = client.get("/open-data/anchor-utilisation-2026-11.csv")
    raw = response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8" and raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:3] == ["기준월(month)", "앵커시설 코드(anchor)", "앵커시설명(anchor_name_ko)"]
    assert len(table[0]) == len(columns()) and all(len(row) == len(table[0]) for row in table)
    head = next(row for row in table[1:] if row[1] == "geumcheon" and row[5] == "anchor")
    assert head[0] == "2026-11" and head[table[0].index("예약 건수(bookings)")] == "12"
    document = client.get("/open-data/anchor-utilisation-2026-11.json").json()
    assert document["month"] == "2026-11" and document["suppression_threshold"] == 3
    assert {c["key"] for c in document["columns"]} == {c.key for c in columns()}
    assert document["rows"] == OpenDataMonth.objects.get(year=2026, month=11).rows
    series = client.get("/open-data/anchor-utilisation.json").json()
    assert series["months"] == ["2026-10", "2026-11"]
    assert [r["month"] for r in series["rows"]] == sorted(r["month"] for r in series["rows"])
    series_csv = client.get("/open-data/anchor-utilisation.csv").content.decode("utf-8-sig")
    assert "2026-10" in series_csv and "2026-11" in series_csv
    meta = client.get("/open-data/metadata.json").json()
    for field in ("title", "provider", "update_cycle", "licence", "columns", "temporal_coverage", "next_update"):
        assert meta[field], field
    assert meta["licence"]["is_example"] is True and meta["temporal_coverage"] == {"from": "2026-10", "to": "2026-11"}
    assert meta["months"][1]["csv"] == "http://testserver/open-data/anchor-utilisation-2026-11.csv"
    assert all(c["type"] in ("string", "integer", "number") for c in meta["columns"])
    dictionary = client.get("/open-data/columns.csv").content.decode("utf-8-sig")
    assert "bookings" in dictionary and "예약 건수" in dictionary
    for url in ("/open-data/anchor-utilisation-2026-09.csv", "/open-data/anchor-utilisation-9999-99.json"):
        assert client.get(url).status_code == 404


def test_the_page_explains_the_data_and_draws_its_charts_in_both_languages(client, world, november):
    empty = client.get("/open-data/").content.decode()
    assert "아직 공개한 달이 없습니다" in empty
    published()
    korean = client.get("/open-data/").content.decode()
    assert "<svg" in korean and 'role="img"' in korean and "이용률" in korean
    assert "공공누리 제1유형" in korean and "예시" in korean  # the licence is an example, said so
    assert "/open-data/anchor-utilisation-2026-11.csv" in korean
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/open-data/").content.decode()
    assert "Utilisation by month" in english and "Seoul anchor facilities: monthly utilisation" in english
    assert "Korea Open Government License Type 1" in english and "월별 이용률" not in english


def test_only_a_month_that_has_ended_is_published_and_republishing_replaces_it(world, november):
    from django.core.exceptions import ValidationError

    for year, month in ((2026, 12), (2027, 1), (1999, 5), (2026, 13)):
        with pytest.raises(ValidationError):
            services.publish_month(year=year, month=month, now=NOW)
    first = published()
    assert rows_by(first.rows, "anchor")[0]["bookings"] == 12
    book(world["sewing"], 23, 14, 16, november["makers"][0])  # entered late (the desk's paper log)
    later = services.publish_month(year=2026, month=11, now=NOW.replace(hour=10))
    assert later.pk == first.pk and OpenDataMonth.objects.count() == 1
    assert rows_by(later.rows, "anchor")[0]["bookings"] == 13
    assert later.generated_at == NOW.replace(hour=10)


def test_the_monthly_job_publishes_the_month_that_ended(world):
    from opendata.tasks import publish_previous_month

    with time_machine.travel(datetime(2027, 1, 1, 6, 30, tzinfo=SEOUL), tick=False):
        assert publish_previous_month() == "2026-12"
        assert publish_previous_month() == "2026-12"  # again: the same month, replaced
    assert list(OpenDataMonth.objects.values_list("year", "month")) == [(2026, 12)]


def test_the_admin_publishes_a_month_and_refuses_one_under_way(client, world, city_admin):
    client.force_login(city_admin)
    refused = client.post("/admin/opendata/opendatamonth/add/", {"year": "2026", "month": "12"})
    assert refused.status_code == 200 and "끝난 달만" in refused.content.decode()
    assert not OpenDataMonth.objects.exists()
    done = client.post("/admin/opendata/opendatamonth/add/", {"year": "2026", "month": "11"})
    assert done.status_code == 302
    month = OpenDataMonth.objects.get()
    assert month.rows and month.generated_at == NOW
    again = client.post(
        "/admin/opendata/opendatamonth/",
        {"action": "publish_again", "_selected_action": [month.pk]},
    )
    assert again.status_code == 302 and OpenDataMonth.objects.count() == 1
    assert client.get(f"/admin/opendata/opendatamonth/{month.pk}/change/").status_code == 200


def test_computing_a_month_costs_the_same_queries_whatever_the_bookings(world):
    maker = UserFactory()
    counts = []
    for days in ((2,), (3, 4, 5, 6, 9, 10)):
        for day in days:
            book(world["overlock"], day, 10, 12, maker)
        with CaptureQueriesContext(connection) as queries:
            selectors.month_rows(year=2026, month=11)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


def test_an_anchor_with_nothing_to_count_is_blank_not_zero(world, november):
    """As on the pages (docs/figures.md): before the portal holds any record of an anchor, its figures are blank."""
    from budgets import selectors as budget_selectors

    month = published()
    changsin = next(r for r in month.rows if r["anchor"] == "changsin" and r["level"] == "anchor")
    delivery = budget_selectors.anchor_delivery(anchor=world["changsin"], year=2026, month=11)
    assert delivery.booked_hours is None
    assert changsin["booked_hours"] is None and changsin["bookings"] is None and changsin["fee_revenue_won"] is None
    assert changsin["suppressed"] == ""  # nothing hidden: nothing counted
    assert changsin["resources"] > 0
