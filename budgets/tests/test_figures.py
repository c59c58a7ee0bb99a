"""One month of mixed bookings, leases and a programme at Geumcheon, with its figures computed by hand; every place
that shows them (the monthly report's XLSX and PDF, the per-anchor page, its XLSX and CSV exports, the dashboard)
shows the same ones."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from anchors.tests.factories import officer_of
from budgets import reports, selectors
from facilities.pricing import SEOUL

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=SEOUL)


BOOKED_AT = at(2, 8)


@pytest.fixture
def november(seeded, maker, other_maker, geumcheon_staff, settings, tmp_path):
    """The seed is loaded (tests start from it), with its example tenants leased only from December 2026."""
    settings.MEDIA_ROOT = tmp_path
    from accounts.services import organisation_create
    from accounts.validators import brn_check_digit
    from facilities import tenancy
    from facilities.models import Space
    from programs import services as programmes
    from reservations import services

    g = seeded["geumcheon"]
    cutting = g.spaces.get(slug="cutting-room")  # 15,000 won an hour
    overlock = g.spaces.get(slug="common-equipment-room").equipment.get(asset_tag="GC-OVL-01")  # 2,000 won an hour
    sample = g.spaces.get(slug="sample-room")  # needs approval

    def book(resource, start, end, who=maker):
        return services.reservation_create(
            resource=resource, start=start, end=end, booked_by=who, user=who, now=BOOKED_AT
        )

    a = book(cutting, at(3, 10), at(3, 12))  # completed: 2 h, 30,000
    services.reservation_check_in(reservation=a, by=geumcheon_staff, now=at(3, 10))
    services.reservation_complete(reservation=a, by=geumcheon_staff, now=at(3, 12))
    book(cutting, at(4, 13), at(4, 16), other_maker)  # confirmed: 3 h, 45,000
    c = book(overlock, at(5, 10), at(5, 12))  # no-show: its 4,000 fee is not revenue, the 100 % charge is
    services.reservation_mark_no_show(reservation=c, by=geumcheon_staff, now=at(5, 10, 20))
    d = book(overlock, at(6, 10), at(6, 12))  # cancelled in the free period: nothing
    services.reservation_cancel(reservation=d, by=maker, now=at(2, 9))
    e = book(overlock, at(9, 10), at(9, 12))  # cancelled late: 50 % of 4,000 kept
    services.reservation_cancel(reservation=e, by=maker, accepted_charge_won=2_000, now=at(9, 8))
    f = book(cutting, at(10, 10), at(10, 11), other_maker)  # no-show, charge waived: nothing
    services.reservation_mark_no_show(reservation=f, by=geumcheon_staff, now=at(10, 10, 30))
    services.reservation_waive_charge(reservation=f, by=geumcheon_staff, reason="병원", now=at(10, 11))
    h = book(sample, at(13, 10), at(13, 12))  # a request never approved: expired, nothing
    services.reservations_expire_requests(now=h.hold_expires_at)
    # A programme's hold on the sample room: 2 booked hours, no fee; two of three registered makers attend.
    p = programmes.programme_create(
        anchor=g, kind="workshop", title_ko="봉제 기초", capacity=5, created_by=geumcheon_staff
    )
    session = programmes.session_add(
        programme=p, space=sample, start=at(12, 14), end=at(12, 16), booked_by=geumcheon_staff, now=BOOKED_AT
    )
    people = [UserFactory(roles=[Role.MAKER]) for _ in range(3)]
    regs = [programmes.registration_create(programme=p, user=u, now=BOOKED_AT) for u in people]
    for reg, came in zip(regs, (True, True, False), strict=True):
        programmes.attendance_record(
            session=session, registration=reg, attended=came, result="", recorded_by=geumcheon_staff, now=at(12, 16)
        )

    # Start-up rooms: room 1 leased September to November (in force all month), room 3 from October with the
    # lease ended on 15 November (it occupied the room until then), room 2 leased only from December (the
    # example tenants of the seed): 2 of 3 rooms occupied in November, by 2 companies.
    def company(name, stem):
        return organisation_create(
            name=name,
            business_registration_number=stem + str(brn_check_digit(stem)),
            representative="대표",
            created_by=maker,
        )

    room = {n: Space.objects.get(anchor=g, slug=f"startup-room-{n}") for n in (1, 3)}
    autumn = tenancy.lease_create(
        space=room[1], organisation=company("가을 공방 (예시)", "220811234"), starts_on=date(2026, 9, 1), months=3
    )
    tenancy.lease_activate(lease=autumn)
    gone = tenancy.lease_create(
        space=room[3], organisation=company("떠난 공방 (예시)", "220811235"), starts_on=date(2026, 10, 1), months=3
    )
    tenancy.lease_activate(lease=gone)
    tenancy.lease_terminate(lease=gone, ends_on=date(2026, 11, 15), reason="이전", today=date(2026, 11, 20))
    return g


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


def test_the_report_the_page_its_exports_and_the_dashboard_show_the_same_figures(november, client, settings):
    utilisation = float(selectors.anchor_delivery(anchor=november, year=2026, month=11).utilisation)

    # The monthly report, XLSX and PDF.
    report = reports.report_generate(anchor=november, year=2026, month=11, now=at(30, 23))
    book = openpyxl.load_workbook(io.BytesIO(report.xlsx.read()))
    util = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
    assert util[-1][1] == BOOKED_HOURS and util[-1][3] == utilisation
    fees = list(book.worksheets[2].iter_rows(min_row=4, values_only=True))
    assert fees[-1][2] == FEE_REVENUE and fees[-2][2] == 4_000 + 2_000
    occupancy = {r[0]: r[1] for r in book.worksheets[3].iter_rows(min_row=4, values_only=True)}
    assert list(occupancy.values()) == [STARTUP_SPACES, OCCUPIED, float(OCCUPANCY), TENANTS]
    programmes = [r[1] for r in book.worksheets[4].iter_rows(min_row=4, values_only=True)]
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
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/budgets/anchors/geumcheon/?year=2026&month=11&export=xlsx").content)
    ).active
    cells = [r[1] for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert cells[2:9] == [BOOKED_HOURS, utilisation, FEE_REVENUE, float(OCCUPANCY), TENANTS, PROGRAMMES, PARTICIPANTS]
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
