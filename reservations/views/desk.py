"""The anchor's desk: today's and coming bookings, requests to decide, closures and whom they affect, check-in by code."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from anchors.mixins import PolicyRequiredMixin
from anchors.models import Anchor
from anchors.policy import may
from facilities.models import Closure

from .. import selectors, services, states
from ..models import Reservation
from .base import parse_day


class DeskMixin(PolicyRequiredMixin):
    policy_action = "reservations.manage_anchor"

    def get_anchor(self) -> Anchor:
        if not hasattr(self, "_anchor"):
            self._anchor = get_object_or_404(Anchor.objects.select_related("district"), slug=self.kwargs["slug"])
        return self._anchor

    def get_policy_object(self):
        return self.get_anchor()


class DeskView(DeskMixin, TemplateView):
    """An anchor's desk: resources × time for a day (or × days for a week), requests, check-in search."""

    page_cache = "session"  # common/pagecache.py: kept per logged-in browser session, retired by every write

    template_name = "reservations/desk.html"

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("partial") == "grid":
            return ["reservations/_desk_grid.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        now = timezone.now()
        today = timezone.localdate(now)
        day = parse_day(self.request.GET.get("date"), today)
        view = "week" if self.request.GET.get("view") == "week" else "day"
        resources = selectors.anchor_resources(anchor=anchor)
        ctx.update(
            anchor=anchor,
            day=day,
            view=view,
            today=today,
            prev_day=day - timedelta(days=1 if view == "day" else 7),
            next_day=day + timedelta(days=1 if view == "day" else 7),
            can_manage=True,
        )
        if view == "day":
            slots, rows, hours = selectors.day_grid(anchor=anchor, day=day, resources=resources, now=now)
            ctx.update(slots=slots, rows=rows, hours=hours)
        else:
            days = selectors.week_days(day)
            week_hours, week = selectors.desk_week(anchor=anchor, days=days, resources=resources)
            ctx.update(days=days, week=week, week_hours=week_hours)
        query = self.request.GET.get("q", "").strip()
        ctx["q"] = query
        user = self.request.user
        ctx["checkins"] = list(selectors.desk_search(anchor=anchor, query=query, day=today))
        ctx["requests"] = list(selectors.pending_requests(anchor=anchor))
        for r in [*ctx["checkins"], *ctx["requests"]]:
            r.anchor = anchor  # the same object: the actions below ask its policy once
            r.actions = selectors.reservation_actions(user=user, reservation=r, now=now)
        return ctx


class ClosureAffectedView(DeskMixin, TemplateView):
    """The bookings a closure overlaps, with how to reach each person; the desk tells the chosen ones, or cancels
    them free of charge after confirming, together."""

    template_name = "reservations/closure_affected.html"

    def get_closure(self) -> Closure:
        return get_object_or_404(
            Closure.objects.select_related("space", "anchor"), pk=self.kwargs["pk"], anchor=self.get_anchor()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        closure = kwargs.get("closure") or self.get_closure()
        affected = list(selectors.affected_by_closure(closure=closure))
        chosen = kwargs.get("chosen")
        ctx.update(
            anchor=self.get_anchor(),
            closure=closure,
            affected=affected,
            chosen_ids={r.pk for r in affected} if chosen is None else chosen,
            can_manage=True,
        )
        return ctx

    def post(self, request, *args, **kwargs):
        closure = self.get_closure()
        ids = {int(v) for v in request.POST.getlist("reservation") if v.isdigit() and len(v) < 12}
        action = request.POST.get("action")
        if not ids:
            messages.error(request, _("Choose at least one booking."))
            return self.render_to_response(self.get_context_data(closure=closure, chosen=ids), status=400)
        now = timezone.now()
        if action == "notify":
            outcome = services.closure_notify(closure=closure, reservation_ids=ids, now=now)
            done = _("%(n)s people were told by e-mail and in their notifications.") % {"n": len(outcome.done)}
        elif action == "cancel" and request.POST.get("confirmed") == "1":
            outcome = services.closure_cancel(closure=closure, reservation_ids=ids, by=request.user, now=now)
            done = _("%(n)s bookings were cancelled free of charge; their holders were told.") % {
                "n": len(outcome.done) + len(outcome.guests)
            }
            for r, why in outcome.refused:
                messages.error(request, f"{r.resource.name} {timezone.localtime(r.start_at):%m-%d %H:%M}: {why}")
        elif action == "cancel":  # ask first: cancelling cannot be undone
            return self.render_to_response(self.get_context_data(closure=closure, chosen=ids, confirm_cancel=True))
        else:
            messages.error(request, _("Choose what to do with the bookings."))
            return self.render_to_response(self.get_context_data(closure=closure, chosen=ids), status=400)
        messages.success(request, done)
        if outcome.guests:
            messages.warning(
                request,
                _("Guests have no account to tell; call them: %(who)s")
                % {"who": ", ".join(f"{r.holder_name} {r.guest_phone or '-'}" for r in outcome.guests)},
            )
        return redirect(request.path)


class CheckinByCodeView(LoginRequiredMixin, TemplateView):
    """The QR code on a confirmation opens this page; only the anchor's desk can act on it."""

    template_name = "reservations/checkin_code.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = (
            Reservation.objects.select_related("anchor", "user", "space", "equipment__kind")
            .filter(checkin_code=self.kwargs["code"])
            .first()
        )
        if r is None or not may(self.request.user, "reservations.manage_anchor", r.anchor):
            raise Http404
        now = timezone.now()
        ctx.update(
            r=r,
            anchor=r.anchor,
            actions=selectors.reservation_actions(user=self.request.user, reservation=r, now=now),
            why_not=states.why_not_check_in(r, now=now),
        )
        return ctx
