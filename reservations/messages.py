"""How the outbox renders reservation messages: notices to the maker, reminders, series, staff alerts.

Each renderer runs in the recipient's language at delivery time and returns None when the message is no
longer needed (a reminder for a booking cancelled since it was queued).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities import selectors as facility_selectors
from notifications.registry import Message, renderer

from . import calendars
from .examples import annotate_examples
from .models import HOLDING, Reservation, Series, Status


def _headline(kind: str) -> str:
    return {
        "confirmed": _("Your reservation is confirmed"),
        "requested": _("Your request was received and waits for the staff's approval"),
        "awaiting_payment": _("Your booking is held until you pay"),
        "approved": _("Your request was approved"),
        "rejected": _("Your request was not approved"),
        "cancelled": _("Your reservation was cancelled"),
        "moved": _("Your reservation was moved"),
        "expired": _("Your request expired before the staff approved it"),
        "reminder": _("Reminder: your reservation is coming up"),
        "closure": _("The anchor is closed during your reservation"),
    }[kind]


def _reason(r: Reservation, kind: str) -> str:
    """Why the staff rejected or cancelled it, or, for a closure notice, what closes the anchor then."""
    if kind == "closure":
        closures = facility_selectors.closures_overlapping(
            anchor=r.anchor, start=r.start_at, end=r.end_at, space=r.space or r.equipment.space
        )
        return " · ".join(c.reason for c in closures)
    if kind in ("rejected", "cancelled"):
        return r.events.filter(to_status=kind).values_list("reason", flat=True).last() or ""
    return ""


def _reservation(pk: int) -> Reservation | None:
    return Reservation.objects.select_related("anchor", "space", "equipment__kind", "user").filter(pk=pk).first()


def _reservation_message(r: Reservation, kind: str, now: datetime) -> Message:
    context = {
        "r": r,
        "headline": _headline(kind),
        "kind": kind,
        "base_url": settings.SITE_URL,
        "reason": _reason(r, kind),
        "local_start": timezone.localtime(r.start_at),
        "local_end": timezone.localtime(r.end_at),
        "hold_hours": int((r.hold_expires_at - now) / timedelta(hours=1)) if r.hold_expires_at else None,
    }
    return Message(
        subject=render_to_string("reservations/email/reservation_notice_subject.txt", context).strip(),
        text=render_to_string("reservations/email/reservation_notice.txt", context),
        html=render_to_string("reservations/email/reservation_notice.html", context),
        attachments=((f"reservation-{r.pk}.ics", calendars.reservation_ics(r, now=now), "text/calendar"),),
        title=context["headline"],
        body=f"{r.resource.name} · {timezone.localtime(r.start_at):%Y-%m-%d %H:%M}",
        url=r.get_absolute_url(),
    )


@renderer("notice")
def render_notice(row, now: datetime) -> Message | None:
    r = _reservation(row.object_id)
    if r is None:
        return None
    return _reservation_message(r, row.kind.split(":", 1)[1], now)


@renderer("reminder")
def render_reminder(row, now: datetime) -> Message | None:
    r = _reservation(row.object_id)
    # No reminder for a booking cancelled, rejected or moved since the row was made, nor once it has started.
    if (
        r is None
        or r.status != Status.CONFIRMED
        or r.start_at <= now
        or r.start_at - timedelta(minutes=row.offset_minutes or 0) != row.due_at
    ):
        return None
    return _reservation_message(r, "reminder", now)


@renderer("series")
def render_series(row, now: datetime) -> Message | None:
    series = Series.objects.filter(pk=row.object_id).first()
    if series is None:
        return None
    cancelled = row.kind == "series:cancelled"
    occurrences = list(
        series.reservations.select_related("anchor", "space", "equipment__kind")
        .filter(status__in=[Status.CANCELLED] if cancelled else HOLDING)
        .order_by("start_at")
    )
    if not occurrences:
        return None
    first = occurrences[0]
    headline = _("Your recurring reservation was cancelled") if cancelled else _("Your recurring reservation is booked")
    annotate_examples(occurrences)
    context = {
        "headline": headline,
        "occurrences": [
            {"r": r, "start": timezone.localtime(r.start_at), "end": timezone.localtime(r.end_at)} for r in occurrences
        ],
        "first": first,
        "series": series,
        "total_won": sum(r.charge_won if cancelled else r.fee_won for r in occurrences),
        "cancelled": cancelled,
        "base_url": settings.SITE_URL,
        "examples": any(r.fee_is_example or (cancelled and r.terms_are_example) for r in occurrences),
    }
    ics = calendars.calendar_of(
        [calendars.reservation_event(r, now=now) for r in occurrences],
        name=str(first.anchor),
        method="CANCEL" if cancelled else "REQUEST",
    )
    return Message(
        subject=render_to_string("reservations/email/series_notice_subject.txt", context).strip(),
        text=render_to_string("reservations/email/series_notice.txt", context),
        html=render_to_string("reservations/email/series_notice.html", context),
        attachments=((f"series-{series.pk}.ics", ics, "text/calendar"),),
        title=headline,
        body=_("%(what)s, %(n)s times from %(start)s")
        % {
            "what": first.resource.name,
            "n": len(occurrences),
            "start": f"{timezone.localtime(first.start_at):%Y-%m-%d %H:%M}",
        },
        url=first.get_absolute_url(),
    )


@renderer("staff-alert")
def render_staff_alert(row, now: datetime) -> Message | None:
    r = _reservation(row.object_id)
    if r is None or r.status != Status.REQUESTED:
        return None  # decided already
    context = {
        "r": r,
        "local_start": timezone.localtime(r.start_at),
        "local_end": timezone.localtime(r.end_at),
        "base_url": settings.SITE_URL,
        "hold": timezone.localtime(r.hold_expires_at) if r.hold_expires_at else None,
    }
    title = _("A request waits for your approval")
    return Message(
        subject=f"[{r.anchor.name}] {title}: {r.resource.name} {context['local_start']:%Y-%m-%d %H:%M}",
        text=render_to_string("reservations/email/staff_request.txt", context),
        title=title,
        body=f"{r.holder_name} · {r.resource.name} · {context['local_start']:%Y-%m-%d %H:%M}",
        url=r.get_absolute_url(),
    )
