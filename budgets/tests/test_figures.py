"""One month of mixed bookings, leases and a programme at Geumcheon, with its figures computed by hand; every place
that shows them (the monthly report's XLSX and PDF, the per-anchor page, its XLSX and CSV exports, the dashboard)
shows the same ones."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from anchors.tests.factories import officer_of
from budgets import reports, selectors
from common.time import SEOUL

from .conftest import at

pytestmark = pytest.mark.django_db


# Hand-computed for Geumcheon, November 2026:
BOOKED_HOURS = 2 + 3 + 2  # completed, confirmed, the programme's hold
FEE_REVENUE = 30_000 + 45_000 + 4_000 + 2_000  # two booked fees, a no-show charge, a late-cancellation charge
OCCUPIED, STARTUP_SPACES, TENANTS = 2, 3, 2
OCCUPANCY = Decimal("66.7")  # 2 / 3, one decimal, half up
PARTICIPANTS, PROGRAMMES = 2, 1


def test_the_selector_gives_the_hand_computed_figures(november):
    d = selectors.anchor_delivery(anchor=november, year=2026, month=11)
    assert d.booked_hours == Decimal(BOOKED_HOURS)
    assert d.fee_revenue == FEE_REVENUE
    assert (d.occupancy_figures.occupied_spaces, d.occupancy_figures.startup_spaces, d.tenants) == (
        OCCUPIED,
        STARTUP_SPACES,
        TENANTS,
    )
    assert d.occupancy == OCCUPANCY
    assert (d.participants, d.programmes) == (PARTICIPANTS, PROGRAMMES)
    assert d.utilisation == (Decimal(BOOKED_HOURS) * 100 / d.usage.capacity_hours).quantize(Decimal("0.1"))


def data_rows(sheet) -> list[tuple]:
    """The rows of a sheet below its headers, without the notes written under the table (one cell each)."""
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    return [r for r in rows if any(v not in (None, "") for v in r[1:])]


def test_the_report_the_page_its_exports_and_the_dashboard_show_the_same_figures(november, client, settings):
    utilisation = float(selectors.anchor_delivery(anchor=november, year=2026, month=11).utilisation)

    # The monthly report, XLSX and PDF.
    report = reports.report_generate(anchor=november, year=2026, month=11, now=at(30, 23))
    book = openpyxl.load_workbook(io.BytesIO(report.xlsx.read()))
    util = data_rows(book.worksheets[0])
    assert util[-1][1] == BOOKED_HOURS and util[-1][3] == utilisation
    fees = data_rows(book.worksheets[2])
    assert fees[-1][2] == FEE_REVENUE and fees[-2][2] == 4_000 + 2_000
    occupancy = {r[0]: r[1] for r in data_rows(book.worksheets[3])}
    assert list(occupancy.values()) == [STARTUP_SPACES, OCCUPIED, float(OCCUPANCY), TENANTS]
    programmes = [r[1] for r in data_rows(book.worksheets[4])]
    assert programmes[:3] == [PROGRAMMES, 1, PARTICIPANTS]
    pdf = subprocess.run(["pdftotext", "-layout", report.pdf.path, "-"], capture_output=True, text=True, check=True)
    assert "81,000" in pdf.stdout and "7.0" in pdf.stdout

    # The per-anchor page for the month, and its two exports.
    officer = officer_of(november.district)
    client.force_login(officer)
    page = client.get("/budgets/anchors/geumcheon/?year=2026&month=11")
    d = page.context["d"]
    assert (d.booked_hours, d.fee_revenue, d.participants, d.tenants) == (
        BOOKED_HOURS,
        FEE_REVENUE,
        PARTICIPANTS,
        TENANTS,
    )
    html = page.content.decode()
    assert "81,000" in html and "7.0" in html and "66.7" in html
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/budgets/anchors/geumcheon/?year=2026&month=11&export=xlsx").content)
    )
    cells = [r[1] for r in book.worksheets[1].iter_rows(min_row=4, values_only=True)]
    assert cells[:7] == [BOOKED_HOURS, utilisation, FEE_REVENUE, float(OCCUPANCY), TENANTS, PROGRAMMES, PARTICIPANTS]
    exported = client.get("/budgets/anchors/geumcheon/?year=2026&month=11&export=csv").content.decode("utf-8-sig")
    figures = [row[1] for row in csv.reader(io.StringIO(exported)) if len(row) > 1]
    assert str(FEE_REVENUE) in figures and str(float(BOOKED_HOURS)) in figures

    # The officer's dashboard in December shows November.
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=SEOUL), tick=False):
        dashboard = client.get("/dashboard/").content.decode()
    assert "2026-11" in dashboard and "81,000" in dashboard and "7.0" in dashboard and "66.7" in dashboard


def test_the_city_report_adds_up_the_anchors_figures(november):
    city = reports.build(anchor=None, year=2026, month=11).delivery
    geumcheon = reports.build(anchor=november, year=2026, month=11).delivery
    assert city.usage.fee_revenue_won == geumcheon.usage.fee_revenue_won == FEE_REVENUE
    assert city.usage.booked_hours == BOOKED_HOURS and city.programme_figures.participants == PARTICIPANTS


def test_nothing_found_is_zero_where_the_portal_counts_and_blank_where_it_cannot(seeded, world, maker):
    from reservations import services as reservation_services

    changsin = seeded["changsin"]
    before = selectors.anchor_delivery(anchor=changsin, year=2026, month=2)  # the portal holds no record yet
    assert (before.booked_hours, before.fee_revenue, before.programmes) == (None, None, None)
    january = datetime(2026, 1, 6, 10, tzinfo=SEOUL)
    reservation_services.reservation_create(
        resource=world["community"],
        start=january,
        end=january + timedelta(hours=2),
        booked_by=maker,
        user=maker,
        now=january - timedelta(days=3),
    )
    assert selectors.records_from(anchor_ids=[changsin.pk]) == {changsin.pk: date(2026, 1, 6)}
    quiet = selectors.anchor_delivery(anchor=changsin, year=2026, month=2)  # recorded since January, no bookings
    assert (quiet.booked_hours, quiet.fee_revenue, quiet.utilisation, quiet.programmes) == (0, 0, Decimal("0.0"), 0)
    old = selectors.anchor_delivery(anchor=changsin, year=2021)  # a budget year long before the portal's records
    assert (old.booked_hours, old.programmes, old.has_budget) == (None, None, True)
    assert quiet.cost_per_booked_hour is None
    planned = selectors.anchor_delivery(anchor=seeded["guro-metal"], year=2026, month=2)  # not built yet
    assert (planned.booked_hours, planned.fee_revenue, planned.programmes, planned.occupancy) == (
        None,
        None,
        None,
        None,
    )
