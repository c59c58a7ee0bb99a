"""Waiting-list pages: a maker's places and offers (take or let go), joining from a busy slot, the desk's list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from common.pagination import paginate
from reservations import selectors as reservation_selectors
from reservations import services as reservation_services

from .. import selectors, services
from ..models import LotteryWindow, SlotWait, WaitStatus
from .base import AnchorDeskMixin, parse_moment


class MyWaitsView(LoginRequiredMixin, TemplateView):
    template_name = "allocation/my_waits.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        live, ended = selectors.my_waits(user=self.request.user, now=now)
        for wait in live:
            wait.line = selectors.position_in_line(wait) if wait.status == WaitStatus.WAITING else None
            wait.fee_won, wait.fee_is_example, wait.refused = None, False, ""
            if wait.status == WaitStatus.OFFERED:
                try:
                    check = reservation_services.check_booking(
                        resource=wait.resource, start=wait.start_at, end=wait.end_at, user=self.request.user, now=now
                    )
                except ValidationError as err:
                    wait.refused = " ".join(err.messages)
                else:
                    wait.fee_won = check.fee_won
                    wait.fee_is_example = check.quote is not None and check.quote.is_example
        ctx.update(
            live=live,
            ended=ended,
            now=now,
            policy_example=any(selectors.policy_for(w.anchor_id).is_example for w in live),
        )
        return ctx


def _back(request, default: str) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return back
    return default


class JoinView(LoginRequiredMixin, View):
    """POST a resource (`resource`, as "space:<id>") and a slot (`start`, `end`): wait for it."""

    def post(self, request):
        start, end = parse_moment(request.POST.get("start")), parse_moment(request.POST.get("end"))
        try:
            resource = reservation_selectors.resource_by_key(request.POST.get("resource", "")[:40])
        except Http404:
            messages.error(request, _("That space or machine does not exist."))
            return redirect("allocation:my_waits")
        window = None
        window_id = request.POST.get("window", "")
        if window_id.isdigit() and len(window_id) < 10:
            window = LotteryWindow.objects.filter(pk=int(window_id)).first()
        if start is None or end is None:
            messages.error(request, _("Give the slot's start and end."))
            return redirect(_back(request, "allocation:my_waits"))
        try:
            services.wait_join(
                user=request.user, resource=resource, start=start, end=end, now=timezone.now(), window=window
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
            return redirect(_back(request, "allocation:my_waits"))
        messages.success(request, _("You are on the waiting list. If the slot frees, it is offered to you in turn."))
        return redirect("allocation:my_waits")


class AcceptView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        wait = get_object_or_404(SlotWait, pk=pk, user=request.user)
        shown = request.POST.get("fee_shown_won", "")
        try:
            reservation = services.wait_accept(
                wait=wait,
                user=request.user,
                now=timezone.now(),
                fee_shown_won=int(shown) if shown.isdigit() and len(shown) < 16 else None,
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
            return redirect("allocation:my_waits")
        messages.success(request, _("The slot is yours: your reservation is made."))
        return redirect(reservation.get_absolute_url())


class WithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        wait = get_object_or_404(SlotWait, pk=pk, user=request.user)
        try:
            services.wait_withdraw(wait=wait, user=request.user, now=timezone.now())
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("You left the waiting list for this slot."))
        return redirect("allocation:my_waits")


class DeskWaitsView(AnchorDeskMixin, TemplateView):
    template_name = "allocation/desk_waits.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        ctx.update(
            anchor=anchor,
            page=paginate(self.request, selectors.waits_of_anchor(anchor=anchor, now=timezone.now())),
            can_manage=True,
        )
        return ctx
