"""Calendars: the private feed of a maker, a resource's busy times, one reservation as .ics, and resetting the feed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from .. import calendars, selectors, services
from ..models import CalendarFeed, Reservation
from .base import ReservationObjectMixin, ResourceMixin


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class PrivateFeedView(View):
    """A user's own reservations as an iCal feed; the secret token in the URL is the credential."""

    def get(self, request, token: str):
        feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
        if feed is None or not feed.user.is_active:
            raise Http404
        now = timezone.now()
        qs = (
            Reservation.objects.filter(user=feed.user, end_at__gte=now - timedelta(days=90))
            .select_related("anchor", "space", "equipment__kind")
            .order_by("start_at")[:500]
        )
        events = [calendars.reservation_event(r, now=now) for r in qs]
        return _ics_response(calendars.calendar_of(events, name=_("My reservations")), "reservations.ics")


class ResourceFeedView(ResourceMixin, View):
    """A resource's busy times as a public iCal feed: no names, no purposes."""

    page_cache = "public"  # common/pagecache.py: calendar clients fetch it without a session

    def get(self, request, kind: str, pk: int):
        resource = self.get_resource()
        now = timezone.now()
        start = now - timedelta(days=7)
        qs = selectors.holding_overlapping(resource=resource, start=start, until=start + timedelta(days=120))
        events = [calendars.reservation_event(r, now=now, private=False) for r in qs.select_related("anchor")]
        return _ics_response(
            calendars.calendar_of(events, name=calendars.resource_title(resource, resource.anchor)), f"{kind}-{pk}.ics"
        )


class ReservationIcsView(ReservationObjectMixin, View):
    def get(self, request, pk: int):
        r = self.get_reservation()
        return _ics_response(calendars.reservation_ics(r, now=timezone.now()), f"reservation-{r.pk}.ics")


class FeedResetView(LoginRequiredMixin, View):
    """Create the private feed, or replace its token so that the old address stops working."""

    http_method_names = ["post"]

    def post(self, request):
        _feed, created = services.calendar_feed_reset(user=request.user, now=timezone.now())
        if created:
            messages.success(request, _("Your private calendar address is ready."))
        else:
            messages.success(request, _("Your calendar address was replaced; the old one no longer works."))
        return redirect("reservations:mine")
