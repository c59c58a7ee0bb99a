"""A cell the week grid offers as free is bookable by the person looking at it; what they cannot book says why.

Followed for every bookable resource of the operating anchors, for the week under way, as a fresh maker: every free
link is checked by the booking rules themselves (and a sample through the form's preview step, as a click does).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine

from anchors.models import Anchor, AnchorStatus
from facilities import services as facility_services
from facilities.models import EquipmentKind
from reservations import selectors, services
from reservations.models import Reservation

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="/book/(space|equipment)/(\d+)/new/\?start=([^&"]+)&amp;end=([^&"]+)"')


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def offered(html: str) -> list[tuple[datetime, datetime]]:
    def dt(value: str) -> datetime:
        return datetime.fromisoformat(value.replace("%3A", ":").replace("%2B", "+"))

    return [(dt(s), dt(e)) for _kind, _pk, s, e in LINK.findall(html)]


def test_every_free_cell_of_every_week_grid_is_bookable_by_the_maker_looking(client, seeded, maker):
    client.force_login(maker)
    checked, sampled, refused = 0, 0, []
    for anchor in Anchor.objects.filter(status=AnchorStatus.OPERATING):
        for resource in selectors.anchor_resources(anchor=anchor):
            if not resource.bookable:
                continue
            kind = "space" if resource._meta.model_name == "space" else "equipment"
            for week in (date(2026, 12, 1),):  # the week of the notice period, a weekend and a holiday-free week
                html = client.get(f"/book/{kind}/{resource.pk}/?week={week.isoformat()}").content.decode()
                cells = offered(html)
                for start, end in cells:
                    try:
                        services.check_booking(resource=resource, start=start, end=end, now=NOW, user=maker)
                    except services.BookingRefused as err:
                        refused.append((resource.name, start.isoformat(), err.code))
                    checked += 1
                for start, end in cells[:1] + cells[-1:]:  # the first and last, through the form as a click
                    form = {
                        "date": start.date().isoformat(),
                        "start": start.strftime("%H:%M"),
                        "end": end.strftime("%H:%M"),
                        "purpose": "시제품",
                        "step": "preview",
                    }
                    response = client.post(f"/book/{kind}/{resource.pk}/new/", form)
                    assert response.status_code == 200, (resource.name, start, response.content.decode()[:300])
                    sampled += 1
    assert refused == []
    assert checked > 300 and sampled > 10, (checked, sampled)
    assert not Reservation.objects.exists()  # previews book nothing


def test_the_cells_say_why_a_maker_cannot_book_them(client, world, maker, geumcheon_staff):
    laser, overlock = world["laser"], world["overlock"]
    services.reservation_create(
        resource=overlock,
        start=at(3, 14),
        end=at(3, 16),
        booked_by=geumcheon_staff,
        user=None,
        guest_name="손님",
        as_staff=True,
        now=NOW,
    )
    days, rows = selectors.resource_week(resource=laser, week_of=date(2026, 12, 1), now=NOW, user=maker)
    states = {c.state for row in rows for c in row.cells}
    assert "training" in states and "free" not in states  # a laser cutter needs its training first
    facility_services.certification_grant(
        user=maker,
        kind=EquipmentKind.objects.get(slug="laser-cutter"),
        granted_by=geumcheon_staff,
        reason="교육",
        now=NOW,
    )
    days, rows = selectors.resource_week(resource=laser, week_of=date(2026, 12, 1), now=NOW, user=maker)
    assert "free" in {c.state for row in rows for c in row.cells}

    days, rows = selectors.resource_week(resource=overlock, week_of=date(2026, 12, 1), now=NOW, user=maker)
    cell = {(c.start.date().day, c.start.hour, c.start.minute): c.state for row in rows for c in row.cells}
    assert cell[(3, 14, 0)] == "busy"
    assert cell[(3, 17, 30)] in ("short", "free") and (cell[(3, 17, 30)] == "short") == (
        selectors.booking_length(overlock) > timedelta(minutes=30)
    )
    assert cell[(1, 9, 30)] == "past"  # inside the notice period
    html = client.get(f"/book/equipment/{laser.pk}/?week=2026-12-01").content.decode()
    assert "교육 이수 필요" in html or "training needed" in html


DESK_LINK = re.compile(r'href="/book/(space|equipment)/(\d+)/new/\?start=([^&"]+)&amp;end=([^&"]+)"')


def test_every_plus_of_every_desk_day_is_bookable_by_the_staff(client, seeded, city_admin):
    """The desk's "+" books the shortest booking from that cell for a walk-in guest: none is refused."""
    from facilities.models import Equipment, Space

    client.force_login(city_admin)
    checked, refused = 0, []
    for anchor in Anchor.objects.filter(status=AnchorStatus.OPERATING):
        for day in (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 5)):
            html = client.get(f"/desk/{anchor.slug}/?date={day.isoformat()}").content.decode()
            for kind, pk, s, e in DESK_LINK.findall(html):
                model = Space if kind == "space" else Equipment
                resource = model.objects.get(pk=pk)
                start = datetime.fromisoformat(s.replace("%3A", ":").replace("%2B", "+"))
                end = datetime.fromisoformat(e.replace("%3A", ":").replace("%2B", "+"))
                try:
                    services.check_booking(resource=resource, start=start, end=end, now=NOW, as_staff=True)
                except services.BookingRefused as err:
                    refused.append((resource.name, s, err.code))
                checked += 1
    assert refused == []
    assert checked > 100, checked
