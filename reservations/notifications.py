"""E-mails about a reservation, in its maker's language, with an .ics file of the booking."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Reservation, Status

ICS_DOMAIN = "anchors.seoul.example"


def _headline(kind: str) -> str:
    return {
        "confirmed": _("Your reservation is confirmed"),
        "requested": _("Your request was received and waits for the staff's approval"),
        "approved": _("Your request was approved"),
        "rejected": _("Your request was not approved"),
        "cancelled": _("Your reservation was cancelled"),
        "moved": _("Your reservation was moved"),
        "reminder": _("Reminder: your reservation is coming up"),
    }[kind]


def reservation_event(reservation: Reservation, *, private: bool = True) -> Event:
    """One VEVENT; `private=False` gives a busy block with no personal data."""
    event = Event()
    event.add("uid", f"reservation-{reservation.pk}@{ICS_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", reservation.start_at)
    event.add("dtend", reservation.end_at)
    if private:
        event.add("summary", f"{reservation.resource.name} · {reservation.anchor.name}")
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


def reservation_ics(reservation: Reservation) -> bytes:
    method = "CANCEL" if reservation.status in (Status.CANCELLED, Status.REJECTED, Status.EXPIRED) else "REQUEST"
    return calendar_of([reservation_event(reservation)], name=str(reservation.anchor), method=method)


def send_reservation_email(*, reservation: Reservation, kind: str, base_url: str = "") -> str:
    """Render and send one notice in the maker's language; returns its headline ("" when nobody to write to)."""
    r = reservation
    if r.user is None or not r.user.email:
        return ""
    with translation.override(r.user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "r": r,
            "headline": _headline(kind),
            "kind": kind,
            "base_url": base_url or getattr(settings, "SITE_URL", ""),
            "rejection_reason": r.events.filter(to_status=Status.REJECTED).values_list("reason", flat=True).last()
            or "",
            "local_start": timezone.localtime(r.start_at),
            "local_end": timezone.localtime(r.end_at),
            "hold_hours": int((r.hold_expires_at - timezone.now()) / timedelta(hours=1)) if r.hold_expires_at else None,
        }
        subject = render_to_string("reservations/email/reservation_notice_subject.txt", context).strip()
        text = render_to_string("reservations/email/reservation_notice.txt", context)
        html = render_to_string("reservations/email/reservation_notice.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[r.user.email])
    message.attach_alternative(html, "text/html")
    message.attach(f"reservation-{r.pk}.ics", reservation_ics(r), "text/calendar")
    message.send()
    return context["headline"]
