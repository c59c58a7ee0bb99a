"""The anchor's desk: today's and coming bookings, requests to decide, closures and whom they affect, check-in by code."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from anchors.mixins import PolicyRequiredMixin
from anchors.models import Anchor
from anchors.policy import may
from common.time import SEOUL
from facilities.models import Closure

from .. import selectors, states
from ..models import Reservation, Status
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
            start = datetime.combine(days[0], datetime.min.time(), tzinfo=SEOUL)
            reservations = list(
                selectors.reservation_list_for_anchor(anchor=anchor, start=start, end=start + timedelta(days=7)).filter(
                    status__in=[Status.REQUESTED, Status.CONFIRMED, Status.CHECKED_IN, Status.COMPLETED]
                )
            )
            week = []
            for res in resources:
                key = selectors.resource_key(res)
                cells = []
                for d in days:
                    cells.append(
                        [
                            r
                            for r in reservations
                            if selectors.resource_key(r.resource) == key and timezone.localtime(r.start_at).date() == d
                        ]
                    )
                week.append({"resource": res, "key": key, "cells": cells})
            ctx.update(days=days, week=week)
        query = self.request.GET.get("q", "").strip()
        ctx["q"] = query
        user = self.request.user
        ctx["checkins"] = (
            list(selectors.desk_search(anchor=anchor, query=query, day=today)) if query or view == "day" else []
        )
        ctx["requests"] = list(selectors.pending_requests(anchor=anchor))
        for r in [*ctx["checkins"], *ctx["requests"]]:
            r.anchor = anchor  # the same object: the actions below ask its policy once
            r.actions = selectors.reservation_actions(user=user, reservation=r, now=now)
        return ctx


class ClosureAffectedView(DeskMixin, TemplateView):
    """The bookings a closure overlaps, with how to reach each person, so staff can contact them."""

    template_name = "reservations/closure_affected.html"

    def get_context_data(self, **kwargs):

        ctx = super().get_context_data(**kwargs)
        closure = get_object_or_404(
            Closure.objects.select_related("space"), pk=self.kwargs["pk"], anchor=self.get_anchor()
        )
        ctx.update(
            anchor=self.get_anchor(),
            closure=closure,
            affected=selectors.affected_by_closure(closure=closure),
            can_manage=True,
        )
        return ctx


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
