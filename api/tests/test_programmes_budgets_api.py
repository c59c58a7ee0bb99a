"""Programmes and registration, and the budget book's tables, through the API (issue 17): the pages' selectors and
services, the exports' very headers and cells."""

from __future__ import annotations

import json
import uuid

import pytest
import time_machine

from accounts.tests.factories import UserFactory
from api import services as api_services
from budgets import selectors as budget_selectors
from budgets.views import summary_tables
from programs import services as programme_services
from programs.models import Registration
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def bearer(user) -> dict:
    token = api_services.token_create(user=user, name=f"t-{uuid.uuid4().hex[:8]}", scope="write", now=NOW)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def workshop(world, city_admin):
    p = programme_services.programme_create(
        anchor=world["geumcheon"],
        kind="workshop",
        title_ko="패턴 교실",
        title_en="Pattern class",
        capacity=1,
        created_by=city_admin,
    )
    programme_services.session_add(
        programme=p, space=world["sample"], start=at(4, 10), end=at(4, 12), booked_by=city_admin, now=NOW
    )
    return p


def test_a_maker_finds_registers_and_cancels_and_the_waiting_list_moves_up(client, workshop, maker, other_maker):
    listed = client.get("/api/v1/programmes/?anchor=geumcheon", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    row = next(p for p in listed if p["id"] == workshop.pk)
    assert (row["title"], row["registered"], row["capacity"]) == ("Pattern class", 0, 1)
    mine, theirs = bearer(maker), bearer(other_maker)
    first = client.post(f"/api/v1/programmes/{workshop.pk}/register/", **mine)
    assert first.status_code == 201 and first.json()["my_registration"] == "registered"
    assert first.json()["places_left"] == 0
    again = client.post(f"/api/v1/programmes/{workshop.pk}/register/", **mine)
    assert again.status_code == 409 and "already registered" in again.json()["detail"]
    assert again.json()["code"] == "already_registered"
    waiting = client.post(f"/api/v1/programmes/{workshop.pk}/register/", **theirs).json()
    assert (waiting["my_registration"], waiting["my_waitlist_position"]) == ("waitlisted", 1)
    cancelled = client.post(f"/api/v1/programmes/{workshop.pk}/cancel-registration/", **mine)
    assert cancelled.status_code == 200 and cancelled.json()["my_registration"] is None
    promoted = client.get(f"/api/v1/programmes/{workshop.pk}/", **theirs).json()
    assert promoted["my_registration"] == "registered" and promoted["waitlisted"] == 0
    not_mine = client.post(f"/api/v1/programmes/{workshop.pk}/cancel-registration/", **mine)
    assert not_mine.status_code == 400
    assert Registration.objects.filter(programme=workshop).count() == 2


def test_the_page_and_the_api_register_alike(client, workshop, maker, other_maker):
    client.force_login(maker)
    client.post(f"/programmes/{workshop.pk}/register/")
    client.logout()
    by_api = client.post(f"/api/v1/programmes/{workshop.pk}/register/", **bearer(other_maker)).json()
    statuses = dict(Registration.objects.filter(programme=workshop).values_list("user__email", "status"))
    assert statuses == {maker.email: "registered", other_maker.email: "waitlisted"}
    assert by_api["my_registration"] == "waitlisted"


def test_programme_refusals_and_hidden_programmes(client, workshop, world, maker, city_admin):
    hidden = programme_services.programme_create(
        anchor=world["geumcheon"],
        kind="workshop",
        title_ko="준비 중",
        capacity=5,
        created_by=city_admin,
        is_published=False,
    )
    assert client.get(f"/api/v1/programmes/{hidden.pk}/").status_code == 404
    assert client.post(f"/api/v1/programmes/{hidden.pk}/register/", **bearer(maker)).status_code == 404
    assert client.get("/api/v1/programmes/?anchor=nowhere").status_code == 404
    assert client.post(f"/api/v1/programmes/{workshop.pk}/register/").status_code == 401
    body = client.post(
        f"/api/v1/programmes/{workshop.pk}/register/",
        json.dumps({"seats": 2}),
        content_type="application/json",
        **bearer(maker),
    )
    assert body.status_code == 400 and not Registration.objects.exists()
    reader = api_services.token_create(user=UserFactory(), name="r", scope="read", now=NOW)[1]
    assert (
        client.post(f"/api/v1/programmes/{workshop.pk}/register/", HTTP_AUTHORIZATION=f"Bearer {reader}").status_code
        == 403
    )
    with time_machine.travel(at(4, 10, 30), tick=False):  # the programme has begun
        late = client.post(f"/api/v1/programmes/{workshop.pk}/register/", **bearer(maker))
    assert late.status_code == 409 and late.json()["code"] == "state" and not Registration.objects.exists()


def test_the_budget_books_tables_are_the_exports_cell_for_cell(client, world):
    from budgets import seed

    seed.load()
    project = budget_selectors.project()
    body = client.get("/api/v1/budgets/2021/summary/", HTTP_ACCEPT_LANGUAGE="ko").json()
    expected = summary_tables(project, 2021)
    assert [t["title"] for t in body["tables"]] == [str(t.title) for t in expected]
    first = body["tables"][0]
    assert first["headers"] == [str(h) for h in expected[0].export_headers()]
    assert first["rows"] == [
        [c if isinstance(c, int | float | type(None)) else str(c) for c in row] for row in expected[0].export_rows()
    ]
    cells = [c for t in body["tables"] for row in t["rows"] for c in row]
    assert 1711987 in cells  # the 2021 operating line, thousand won, as the book prints it
    years = client.get("/api/v1/budgets/").json()["years"]
    assert 2021 in years
    execution = client.get("/api/v1/budgets/2021/execution/").json()["tables"]
    assert len(execution) == 2 and execution[0]["rows"][0][2] is not None
    assert client.get("/api/v1/budgets/1999/summary/").json()["code"] == "not_found"
    anchor = client.get("/api/v1/budgets/anchors/gaebong/?year=2021", HTTP_ACCEPT_LANGUAGE="en").json()["tables"]
    assert [len(t["rows"]) for t in anchor] == [3, 10]
    assert anchor[1]["rows"][0][:2] == ["Booked hours", None]  # nothing to count in 2021: blank, not 0
    for bad in ("?year=1999", "?month=13", "?year=abc", "?month=0"):
        response = client.get(f"/api/v1/budgets/anchors/gaebong/{bad}")
        assert response.status_code == 400 and response.json()["code"] == "invalid", bad
    assert client.get("/api/v1/budgets/anchors/nowhere/").status_code == 404
