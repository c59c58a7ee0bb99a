"""Long lists are paginated, never silently cut: the rows past the first page are one link away, the other
parameters (a search, the other list's page) survive the link, and a page number typed by hand or by an attacker
shows the nearest page instead of an error."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from accounts.tests.factories import UserFactory
from facilities import services as facility_services
from facilities.models import EquipmentKind
from reservations import services
from reservations.models import Reservation
from reservations.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def rows(html: str, marker: str) -> int:
    return len(re.findall(marker, html))


def test_the_certification_list_shows_every_certification_page_by_page(client, seeded, geumcheon_staff):
    kind = EquipmentKind.objects.get(slug="laser-cutter")
    for i in range(30):
        maker = UserFactory(email=f"page.maker{i:02}@example.com", full_name=f"페이지{i:02}")
        facility_services.certification_grant(user=maker, kind=kind, granted_by=geumcheon_staff, reason="교육", now=NOW)
    client.force_login(geumcheon_staff)
    first = client.get("/certifications/").content.decode()
    second = client.get("/certifications/?page=2").content.decode()
    assert rows(first, r"page\.maker\d\d@") == 25 and rows(second, r"page\.maker\d\d@") == 5
    assert "2쪽 중 1쪽" in first and "전체 30건 중 1–25" in first and 'rel="next"' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    searched = client.get("/certifications/?q=page.maker&page=1").content.decode()
    assert "q=page.maker&amp;page=2" in searched  # the next page keeps the search
    for hostile in ("abc", "0", "-1", "99999999999999999999", "2%27%20OR%201=1", "<script>"):
        response = client.get(f"/certifications/?page={hostile}")
        assert response.status_code == 200, hostile
        assert rows(response.content.decode(), r"page\.maker\d\d@") in (25, 5), hostile


def test_a_makers_past_and_cancelled_bookings_are_all_reachable(client, world, maker):
    made = []
    for day in (3, 4, 7):
        for hour in range(9, 18):
            made.append(
                services.reservation_create(
                    resource=world["overlock"],
                    start=at(day, hour),
                    end=at(day, hour + 1),
                    booked_by=maker,
                    user=maker,
                    now=NOW,
                )
            )
    for r in made:
        services.reservation_cancel(reservation=r, by=maker, now=NOW)
    client.force_login(maker)
    pages = [client.get(f"/me/reservations/?page={n}").content.decode() for n in (1, 2)]
    shown = [set(re.findall(r'href="/reservations/(\d+)/"', html)) for html in pages]
    assert len(shown[0]) == 25 and len(shown[1]) == 2
    assert (
        shown[0] | shown[1]
        == {str(r.pk) for r in made}
        == {str(pk) for pk in Reservation.objects.values_list("pk", flat=True)}
    )


def test_the_page_link_keeps_the_other_parameters():
    request = RequestFactory().get("/anchors/geumcheon/tenants/", {"applications": "3", "kpis": "2"})
    html = Template("{% load pages %}{% page_url 4 'kpis' %}").render(Context({"request": request}))
    assert html == "?applications=3&amp;kpis=4"
