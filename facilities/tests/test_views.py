from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.time import SEOUL
from facilities import seed
from facilities.models import RateRule, RateTableVersion
from facilities.tests.factories import EquipmentFactory, EquipmentKindFactory, SpaceFactory
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 11, 21, 10, tzinfo=SEOUL)


@pytest.fixture
def facilities(seeded):
    seed.load(now=SEED_NOW)
    return seeded


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _grow(anchor, n: int) -> None:
    kind = EquipmentKindFactory(requires_certification=True)
    for _ in range(n):
        space = SpaceFactory(anchor=anchor)
        EquipmentFactory(space=space, kind=kind)


def test_the_facilities_page_runs_the_same_number_of_queries_with_10_and_500_spaces(client, facilities):
    g = facilities["geumcheon"]
    _grow(g, 10 - g.spaces.count())
    small = _queries(client, "/anchors/geumcheon/facilities/")
    _grow(g, 490)
    assert _queries(client, "/anchors/geumcheon/facilities/") == small


@time_machine.travel(TODAY, tick=False)
def test_the_rate_page_runs_the_same_number_of_queries_with_10_and_500_rules(client, facilities):
    g = facilities["geumcheon"]
    version = RateTableVersion.objects.get(table__anchor=g)
    url = "/anchors/geumcheon/rates/"
    small_count = version.rules.count()
    small = _queries(client, url)
    for _ in range(500 - small_count):
        RateRule.objects.create(version=version, space=SpaceFactory(anchor=g), base_price_won=1000)
    assert version.rules.count() == 500
    assert _queries(client, url) == small


@time_machine.travel(TODAY, tick=False)
def test_the_fee_calculator_shows_an_itemised_quote(client, facilities):
    cutting = facilities["geumcheon"].spaces.get(slug="cutting-room")
    client.cookies["anchor_language"] = "en"
    html = client.get(
        "/anchors/geumcheon/rates/",
        {
            "resource": f"space:{cutting.pk}",
            "date": "2026-11-26",
            "start": "14:00",
            "end": "19:30",
            "category": "tenant_member",
        },
    ).content.decode()
    assert 'id="quote-lines"' in html
    for text in ["60,000", "−18,000 (30 %)", "42,000", "27,000", "evening", "18,900", "60,900 won"]:
        assert text in html, text


@time_machine.travel(TODAY, tick=False)
def test_the_calculator_answers_htmx_with_just_the_result(client, facilities):
    cutting = facilities["geumcheon"].spaces.get(slug="cutting-room")
    response = client.get(
        "/anchors/geumcheon/rates/",
        {"resource": f"space:{cutting.pk}", "date": "2026-11-26", "start": "10:00", "end": "12:00"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="quote-total">30,000' in html


@pytest.mark.parametrize(
    "params",
    [
        {"resource": "space:999999", "date": "2026-11-26", "start": "10:00", "end": "12:00"},
        {"resource": "equipment:abc", "date": "not-a-date", "start": "25:61", "end": ""},
        {"resource": "", "date": "", "start": "", "end": "", "category": "emperor"},
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_bad_calculator_input_gets_messages_not_a_500(client, facilities, params):
    client.cookies["anchor_language"] = "en"
    response = client.get("/anchors/geumcheon/rates/", params)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_date_with_no_rate_table_in_effect_is_explained(client, facilities):
    cutting = facilities["geumcheon"].spaces.get(slug="cutting-room")
    client.cookies["anchor_language"] = "en"
    html = client.get(
        "/anchors/geumcheon/rates/",
        {"resource": f"space:{cutting.pk}", "date": "2025-03-03", "start": "10:00", "end": "12:00"},
    ).content.decode()
    assert "No rate table is in effect for that date yet." in html


@time_machine.travel(TODAY, tick=False)
def test_the_rate_page_shows_todays_table_and_the_announced_next_one(client, facilities):
    client.cookies["anchor_language"] = "en"
    html = client.get("/anchors/gaebong/rates/").content.decode()
    assert "Rental fees now" in html and "Announced: the next rate table" in html
    assert "In effect from 2026-01-01" in html and "In effect from 2027-03-01" in html
    assert "Example" in html


def test_the_facilities_page_lists_real_spaces_example_equipment_and_required_trainings(client, facilities):
    client.cookies["anchor_language"] = "en"
    html = client.get("/anchors/gaebong/facilities/").content.decode()
    assert "Safety training required" in html and "Laser cutter" in html
    html = client.get("/anchors/geumcheon/facilities/").content.decode()
    assert "Mask manufacturing facility" in html and "347㎡" in html and "Staff approve bookings" in html


def test_an_unknown_space_is_a_404(client, facilities):
    assert client.get("/anchors/geumcheon/spaces/ballroom/").status_code == 404


def test_a_maker_reports_a_fault_and_staff_see_it_in_the_log(client, facilities, maker, geumcheon_staff):
    unit = facilities["geumcheon"].spaces.get(slug="cutting-room").equipment.first()
    client.force_login(maker)
    assert client.post(f"/equipment/{unit.pk}/report/", {"description": "칼날이 무뎌졌어요"}).status_code == 302
    assert client.post(f"/equipment/{unit.pk}/report/", {"description": ""}).status_code == 400
    client.force_login(geumcheon_staff)
    assert "칼날이 무뎌졌어요" in client.get(f"/equipment/{unit.pk}/").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_staff_close_a_space_from_the_closures_page_and_bad_dates_change_nothing(client, facilities, geumcheon_staff):
    from facilities.models import Closure

    mask = facilities["geumcheon"].spaces.get(slug="mask-facility")
    client.force_login(geumcheon_staff)
    bad = client.post(
        "/anchors/geumcheon/closures/",
        {"space": mask.pk, "starts_at": "2026-12-02T18:00", "ends_at": "2026-12-02T09:00", "reason": "정기 점검"},
    )
    assert bad.status_code == 400 and not Closure.objects.exists()
    ok = client.post(
        "/anchors/geumcheon/closures/",
        {"space": mask.pk, "starts_at": "2026-12-02T09:00", "ends_at": "2026-12-02T18:00", "reason": "정기 점검"},
    )
    assert ok.status_code == 302
    closure = Closure.objects.get()
    assert closure.space == mask and closure.starts_at == datetime(2026, 12, 2, 9, tzinfo=SEOUL)


def test_the_stocktake_exports_open_in_excel_with_the_same_items(client, facilities, geumcheon_staff):
    import io

    import openpyxl

    client.force_login(geumcheon_staff)
    response = client.get("/anchors/geumcheon/inventory/?export=xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="stocktake-geumcheon-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    tags = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert tags == ["GC-INV-001", "GC-INV-002", "GC-INV-003"]
    csv = client.get("/anchors/geumcheon/inventory/?export=csv").content.decode("utf-8-sig")
    assert "GC-INV-003" in csv and "마네킹" in csv


def test_staff_grant_a_certification_by_email_and_unknown_emails_are_explained(
    client, facilities, maker, geumcheon_staff
):
    from facilities.models import Certification, EquipmentKind

    client.force_login(geumcheon_staff)
    client.cookies["anchor_language"] = "en"
    laser = EquipmentKind.objects.get(slug="laser-cutter")
    bad = client.post("/certifications/", {"email": "nobody@example.com", "kind": laser.pk, "reason": "교육"})
    assert bad.status_code == 400 and "No active account has this e-mail address." in bad.content.decode()
    ok = client.post("/certifications/", {"email": "MAKER@example.com", "kind": laser.pk, "reason": "교육 이수"})
    assert ok.status_code == 302
    cert = Certification.objects.get(user=maker)
    assert cert.granted_at_anchor == facilities["geumcheon"] and cert.granted_by == geumcheon_staff


def test_staff_of_an_anchor_see_its_facility_tabs_and_makers_do_not(client, facilities, maker, geumcheon_staff):
    client.force_login(maker)
    assert "/anchors/geumcheon/closures/" not in client.get("/anchors/geumcheon/").content.decode()
    client.force_login(geumcheon_staff)
    assert "/anchors/geumcheon/closures/" in client.get("/anchors/geumcheon/").content.decode()
