"""A maker's reservations, and one reservation's page with the actions its state and the person allow."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from common.health import broker_status
from common.pagination import paginate

from .. import selectors, services
from ..examples import annotate_examples
from ..models import CalendarFeed, Status
from .base import ReservationObjectMixin


class MyReservationsView(LoginRequiredMixin, TemplateView):
    page_cache = "session"  # common/pagecache.py: kept per logged-in browser session, retired by every write
    template_name = "reservations/my_reservations.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        upcoming, past_all = selectors.my_reservations(user=self.request.user, now=now)
        past = paginate(self.request, past_all)
        annotate_examples([*upcoming, *past])  # which fees and charges rest on example data, in two queries
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        ctx.update(upcoming=upcoming, past=past, feed=feed, now=now)
        return ctx


class ReservationDetailView(ReservationObjectMixin, TemplateView):
    """The confirmation: what, when, fee, QR code for the desk, history; and what may be done next."""

    template_name = "reservations/reservation_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = self.get_reservation()
        now = timezone.now()
        checkin_url = settings.SITE_URL.rstrip("/") + reverse(
            "reservations:checkin_code", kwargs={"code": r.checkin_code}
        )
        ctx.update(
            r=r,
            anchor=r.anchor,
            desk=self.is_desk(),
            now=now,
            events=r.events.select_related("by"),
            owner=self.is_holder(),
            actions=selectors.reservation_actions(user=self.request.user, reservation=r, now=now),
            cancel_charge=services.cancellation_charge(r, now=now)
            if r.status in (Status.CONFIRMED, Status.REQUESTED)
            else 0,
            series_charge=services.series_cancellation_charge(reservation=r, now=now) if r.series_id else 0,
            qr_svg=segno.make(checkin_url, error="m").svg_inline(scale=4, title=_("Check-in code")),
            broker_down=bool(settings.REDIS_URL) and broker_status().startswith("down"),
            policy=selectors.policy_for(r.anchor),
            # The later occurrences the series button would cancel with this one: the service's own list, less this.
            series_later=max(len(services.series_rest(reservation=r, now=now)) - 1, 0) if r.series_id else 0,
        )
        return ctx
