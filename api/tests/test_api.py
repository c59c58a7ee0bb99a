"""The public API (issue 17, first part): anchors, bookable resources, a week for the one asking, a fee quote; the
same selectors and rules as the pages, errors as problem details in the request's language, throttling, and the
committed OpenAPI schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import forget_throttle_counts
from reservations import selectors as reservation_selectors
from reservations import services
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_anchors_list_the_seed_figures_exactly_with_blanks_as_null(client, world):
    body = client.get("/api/v1/anchors/", HTTP_ACCEPT_LANGUAGE="en").json()
    by_slug = {a["slug"]: a for a in body["results"]}
    g = world["geumcheon"]
    assert set(by_slug) >= {"geumcheon", "changsin", "gaebong"}
    row = by_slug[g.slug]
    assert (row["name_ko"], row["name_en"], row["name"]) == (g.name_ko, g.name_en, g.name_en)
    for field in ("cost_won", "lease_deposit_won", "floors_above", "floors_below", "opened_on"):
        value = getattr(g, field)
        assert row[field] == (value.isoformat() if hasattr(value, "isoformat") else value), field
    assert row["floor_area_m2"] == (None if g.floor_area_m2 is None else f"{g.floor_area_m2:.1f}")
    blank = next(a for a in body["results"] if a["cost_won"] is None)  # a seed cell left blank stays null
    assert blank["cost_won"] is None
    assert row["url"].endswith(g.get_absolute_url())
    korean = client.get(f"/api/v1/anchors/{g.slug}/").json()
    assert korean["name"] == g.name_ko  # Korean first


def test_an_anchors_bookable_resources_are_the_booking_pages_own(client, world):
    body = client.get("/api/v1/anchors/geumcheon/resources/").json()
    expected = [
        reservation_selectors.resource_key(r) for r in reservation_selectors.anchor_resources(anchor=world["geumcheon"])
    ]
    assert [r["key"] for r in body] == expected
    overlock = next(r for r in body if r["key"] == f"equipment:{world['overlock'].pk}")
    assert overlock["type"] == "equipment" and overlock["space"] == f"space:{world['overlock'].space_id}"
    assert overlock["is_example"] is world["overlock"].is_example


def test_the_week_says_free_only_where_the_booking_page_would_book(client, world, maker):
    overlock = world["overlock"]
    services.reservation_create(resource=overlock, start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW)
    body = client.get(f"/api/v1/resources/equipment:{overlock.pk}/week/?week=2026-12-03").json()
    assert body["days"][0] == "2026-11-30" and len(body["days"]) == 7
    cells = {c["start"]: c for c in body["cells"]}
    assert cells["2026-12-03T10:00:00+09:00"]["state"] == "busy"
    assert cells["2026-12-03T10:00:00+09:00"]["label"] == "예약됨" or cells["2026-12-03T10:00:00+09:00"]["label"]
    free = cells["2026-12-03T14:00:00+09:00"]
    assert free["state"] == "free" and free["fee_won"] > 0
    assert cells["2026-11-30T10:00:00+09:00"]["state"] == "past"
    # The page's grid for the same person says the same, cell by cell.
    days, rows = reservation_selectors.resource_week(
        resource=overlock, week_of=at(3, 0).date(), now=NOW, user=None, as_staff=False
    )
    page = {c.start.isoformat(): c.state for row in rows for c in row.cells}
    assert {k: v["state"] for k, v in cells.items()} == page
    # The cells are built without a serializer per cell: what the documented WeekCellSerializer says, exactly.
    from api.serializers import WeekCellSerializer

    reservation_selectors.price_free_cells(resource=overlock, rows=rows, categories=[])
    documented = [dict(WeekCellSerializer(c).data) for i in range(len(days)) for row in rows for c in (row.cells[i],)]
    assert body["cells"] == documented
    # Who booked is never said.
    assert maker.email not in str(body) and "user" not in body["cells"][0]


def test_the_weeks_query_count_does_not_grow_with_the_bookings(client, world, maker):
    overlock = world["overlock"]
    url = f"/api/v1/resources/equipment:{overlock.pk}/week/?week=2026-12-07"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in (7, 8, 9):
        for hour in (9, 11, 14):
            services.reservation_create(
                resource=overlock, start=at(day, hour), end=at(day, hour + 1), booked_by=maker, user=maker, now=NOW
            )
    client.get(url)  # both counts with the catalogue's reference data kept (common/catalogue.py)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries), (
        [q["sql"][:90] for q in few.captured_queries],
        [q["sql"][:90] for q in many.captured_queries],
    )


def test_a_quote_is_the_rates_pages_quote(client, world):
    from facilities import selectors as facility_selectors

    overlock = world["overlock"]
    response = client.get(
        f"/api/v1/resources/equipment:{overlock.pk}/quote/",
        {"start": "2026-12-03T10:00:00+09:00", "end": "2026-12-03T13:00:00+09:00"},
    )
    assert response.status_code == 200
    expected = facility_selectors.quote_for(resource=overlock, start=at(3, 10), end=at(3, 13))
    body = response.json()
    assert body["total_won"] == expected.total_won and body["is_example"] is expected.is_example
    assert [line["amount_won"] for line in body["lines"]] == [line.amount_won for line in expected.lines]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/anchors/nowhere/", 404, "not_found"),
        ("/api/v1/anchors/nowhere/resources/", 404, "not_found"),
        ("/api/v1/resources/equipment:999999/week/", 404, "not_found"),
        ("/api/v1/resources/robot:1/week/", 404, "not_found"),
        ("/api/v1/resources/equipment:1%27--/week/", 404, "not_found"),
        (
            "/api/v1/resources/equipment:{overlock}/quote/?start=yesterday&end=2026-12-03T13:00:00%2B09:00",
            400,
            "invalid",
        ),
        (
            "/api/v1/resources/equipment:{overlock}/quote/?start=2026-12-03T13:00:00%2B09:00&end=2026-12-03T10:00:00%2B09:00",
            400,
            "invalid",
        ),
        (
            "/api/v1/resources/equipment:{overlock}/quote/?start=2026-12-03T10:00:00%2B09:00&end=2027-12-03T10:00:00%2B09:00",
            400,
            "invalid",
        ),
        (
            "/api/v1/resources/equipment:{overlock}/quote/?start=9999-12-31T23:00:00&end=0001-01-01T00:00:00",
            400,
            "invalid",
        ),
        (
            "/api/v1/resources/equipment:{overlock}/quote/?start=1999-12-31T23:00:00%2B09:00&end=2000-01-01T01:00:00%2B09:00",
            400,
            "invalid",
        ),
        ("/api/v1/resources/equipment:{overlock}/week/?week=9999-12-31", 200, None),
        (
            "/api/v1/resources/equipment:{overlock}/week/?week=2026-13-45",
            200,
            None,
        ),  # an impossible week is this week, as on the page
        ("/api/v1/anchors/?cursor=zz%ff%27", 404, "not_found"),
    ],
)
def test_hostile_input_gets_a_problem_never_a_500(client, world, url, status, code):
    response = client.get(url.format(overlock=world["overlock"].pk), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content[:300]
    if code:
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == code and body["status"] == status and body["detail"]
        assert body["type"].endswith(f"/api/v1/problems/#{code}")


def test_a_problem_is_said_in_the_requested_language(client, world):
    url = f"/api/v1/resources/equipment:{world['overlock'].pk}/quote/?start=2026-12-03T13:00:00%2B09:00&end=2026-12-03T10:00:00%2B09:00"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    korean = client.get(url).json()
    assert english["errors"]["end"] == ["The end must be after the start."]
    assert korean["errors"]["end"] != english["errors"]["end"] and re.search("[가-힣]", korean["errors"]["end"][0])
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    assert client.get("/api/v1/anchors/nowhere/").json()["detail"] == "찾을 수 없습니다."
    assert (
        client.get("/api/v1/anchors/nowhere/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").json()["detail"] == "Not found."
    )


def test_the_api_takes_no_writes_here_and_says_so(client, world, maker):
    client.force_login(maker)
    response = client.post("/api/v1/anchors/", {}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert response["Content-Type"] == "application/problem+json"


def test_over_the_rate_an_address_gets_429_with_retry_after(client, world, monkeypatch):

    from api.throttles import AddressThrottle

    forget_throttle_counts()
    monkeypatch.setattr(AddressThrottle, "THROTTLE_RATES", {"address": "3/min"})
    try:
        statuses = [client.get("/api/v1/anchors/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/v1/anchors/", HTTP_X_FORWARDED_FOR="10.9.9.9")  # a forged header does not help
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert refused.json()["code"] == "throttled"
        assert re.fullmatch(r"\d+초 뒤에 다시 시도해 주세요\.", refused.json()["detail"])
        assert refused["Content-Type"] == "application/problem+json"
    finally:
        forget_throttle_counts()


def test_a_throttle_whose_cache_fails_lets_the_request_through(client, world, monkeypatch):
    from api.throttles import AddressThrottle

    class Broken:
        def get(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(AddressThrottle, "cache", Broken())
    assert client.get("/api/v1/anchors/").status_code == 200


def test_the_committed_schema_is_the_one_the_code_makes(client):
    """docs/api/openapi.yaml is what clients are written from: it must not drift (`make api-schema` rewrites it)."""
    if connection.vendor != "postgresql":
        pytest.skip("the schema is made on PostgreSQL, whose integer ranges it states")
    served = client.get("/api/v1/schema/")
    assert served.status_code == 200
    committed = (ROOT / "docs" / "api" / "openapi.yaml").read_text()
    assert served.content.decode() == committed


def test_the_documentation_page_loads_its_scripts_from_this_site(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html  # the content security policy allows no inline script
    assert all(src.startswith("/") for src in re.findall(r'<script src="([^"]+)"', html))


def test_an_anchors_rates_are_the_rates_pages_current_version(client, world):
    from django.utils import timezone

    from facilities import selectors as facility_selectors

    body = client.get("/api/v1/anchors/geumcheon/rates/", HTTP_ACCEPT_LANGUAGE="en").json()
    versions = facility_selectors.rate_versions(anchor=world["geumcheon"])
    current, _next = facility_selectors.current_and_next_version(versions, timezone.localdate())
    assert body["current"]["effective_from"] == current.effective_from.isoformat()
    assert body["current"]["is_example"] is current.is_example  # example prices say so
    rules = {r["resource"]: r for r in body["current"]["rules"]}
    for rule in current.rules.all():
        key = f"space:{rule.space_id}" if rule.space_id else f"equipment_kind:{rule.equipment_kind.slug}"
        assert rules[key]["base_price_won"] == rule.base_price_won and rules[key]["unit"] == rule.unit
    assert [d["percent"] for d in body["current"]["discounts"]] == [d.percent for d in current.discounts.all()]
    assert client.get("/api/v1/anchors/nowhere/rates/").status_code == 404
