"""Reservations as iCalendar: one booking (attached to its e-mails), a maker's feed, a resource's busy times."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from anchors.models import Anchor
from common.examples import mark
from facilities.models import Resource

from .models import Reservation, Status


def resource_title(resource: Resource, anchor: Anchor) -> str:
    """ "Overlock 1 (example) · Geumcheon …": a calendar names the space or machine, marked when it is example data
    (every machine; rooms the sources do not describe), as the pages mark it."""
    return f"{mark(resource.name, resource.is_example)} · {anchor.name}"


def reservation_event(reservation: Reservation, *, now: datetime, private: bool = True) -> Event:
    """One VEVENT; `private=False` gives a busy block with no personal data."""
    event = Event()
    event.add("uid", f"reservation-{reservation.pk}@{settings.MESSAGE_ID_DOMAIN}")
    event.add("dtstamp", now)
    event.add("dtstart", reservation.start_at)
    event.add("dtend", reservation.end_at)
    if private:
        event.add("summary", resource_title(reservation.resource, reservation.anchor))
        location = reservation.anchor.address or reservation.anchor.lot_address
        if location:
            event.add("location", location)
        event.add(
            "status",
            {"requested": "TENTATIVE", "cancelled": "CANCELLED", "rejected": "CANCELLED", "expired": "CANCELLED"}.get(
                reservation.status, "CONFIRMED"
            ),
        )
        if reservation.purpose:
            event.add("description", reservation.purpose)
    else:
        event.add("summary", _("Busy"))
        event.add("transp", "OPAQUE")
    return event


def calendar_of(events: list[Event], *, name: str, method: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Seoul anchor facilities//reservations//KO")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    for e in events:
        cal.add_component(e)
    return cal.to_ical()


def reservation_ics(reservation: Reservation, *, now: datetime) -> bytes:
    method = "CANCEL" if reservation.status in (Status.CANCELLED, Status.REJECTED, Status.EXPIRED) else "REQUEST"
    return calendar_of([reservation_event(reservation, now=now)], name=str(reservation.anchor), method=method)
