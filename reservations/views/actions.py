"""The actions on one reservation (cancel, approve, reject, check in, no-show, complete, waive, move): each asks
the policy who may act, then its service, which asks the state machine."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from anchors.policy import may
from common.examples import mark, refusal

from .. import selectors, services
from ..forms import OptionalReasonForm, ReasonForm
from ..models import Reservation
from .base import ReservationObjectMixin, accepted_charge, parse_day, parse_dt


class ReservationActionView(ReservationObjectMixin, View):
    """POST-only actions on a reservation: the policy answers who (404 to whoever may not see it, 403 to whoever
    sees it but may not act), then one service checks the state under a row lock and acts."""

    http_method_names = ["post"]
    action = ""

    def post(self, request, pk: int):
        r = self.get_reservation()
        if not may(request.user, f"reservations.{self.action}", r):
            raise PermissionDenied
        try:
            message = self.perform(r, request, timezone.now())
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, message)
        nxt = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, require_https=request.is_secure()):
            nxt = r.get_absolute_url()
        return redirect(nxt)

    def perform(self, r: Reservation, request, now: datetime) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


class CancelView(ReservationActionView):
    action = "cancel"

    def perform(self, r, request, now):
        form = OptionalReasonForm(request.POST)
        form.is_valid()
        r = services.reservation_cancel(
            reservation=r,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
            accepted_charge_won=accepted_charge(request),
            now=now,
        )
        if r.charge_won:
            return refusal(
                _("Cancelled. %(charge)s won is owed under the cancellation policy.") % {"charge": f"{r.charge_won:,}"},
                r.terms_are_example or r.fee_is_example,
            )
        return _("Cancelled. Nothing is owed.")


class CancelSeriesView(ReservationActionView):
    action = "cancel_series"

    def perform(self, r, request, now):
        n = services.series_cancel_rest(
            reservation=r, by=request.user, accepted_charge_won=accepted_charge(request), now=now
        )
        return _("%(n)s reservations of the series were cancelled.") % {"n": n}


class ApproveView(ReservationActionView):
    action = "approve"

    def perform(self, r, request, now):
        services.reservation_approve(reservation=r, by=request.user, now=now)
        return _("Approved.")


class RejectView(ReservationActionView):
    action = "reject"

    def perform(self, r, request, now):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Give the maker a reason for the rejection."))
        services.reservation_reject(reservation=r, by=request.user, reason=form.cleaned_data["reason"], now=now)
        return _("Rejected; the maker is told why.")


class CheckInView(ReservationActionView):
    action = "check_in"

    def perform(self, r, request, now):
        services.reservation_check_in(reservation=r, by=request.user, now=now)
        return _("%(who)s is checked in.") % {"who": r.holder_name}


class NoShowView(ReservationActionView):
    action = "no_show"

    def perform(self, r, request, now):
        services.reservation_mark_no_show(reservation=r, by=request.user, now=now)
        return _("Marked as a no-show.")


class CompleteView(ReservationActionView):
    action = "complete"

    def perform(self, r, request, now):
        services.reservation_complete(reservation=r, by=request.user, now=now)
        return _("Marked as completed.")


class WaiveView(ReservationActionView):
    action = "waive"

    def perform(self, r, request, now):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Give a reason for waiving the charge."))
        services.reservation_waive_charge(reservation=r, by=request.user, reason=form.cleaned_data["reason"], now=now)
        return _("The charge was waived.")


class MoveView(ReservationObjectMixin, TemplateView):
    """Pick another free slot of the same resource; the fee is quoted again for the new time."""

    template_name = "reservations/reservation_move.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may(request.user, "reservations.move", self.get_reservation()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = self.get_reservation()
        resource = r.resource
        now = timezone.now()
        week_of = parse_day(self.request.GET.get("week"), timezone.localtime(r.start_at).date())
        length = r.end_at - r.start_at
        days, rows = selectors.resource_week(
            resource=resource,
            week_of=week_of,
            length=length,
            exclude_pk=r.pk,
            now=now,
            user=r.user,
            as_staff=may(self.request.user, "reservations.manage_anchor", r.anchor),
        )
        ctx.update(
            grid_states=selectors.GRID_STATES,
            r=r,
            resource=resource,
            anchor=r.anchor,
            days=days,
            rows=rows,
            prev_week=(days[0] - timedelta(days=7)).isoformat(),
            next_week=(days[0] + timedelta(days=7)).isoformat(),
            target_start=parse_dt(self.request.GET.get("start")),
            target_end=parse_dt(self.request.GET.get("end")),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        r = self.get_reservation()
        start, end = parse_dt(request.POST.get("start")), parse_dt(request.POST.get("end"))
        try:
            if start is None or end is None:
                raise ValidationError(_("Pick a new time."))
            r = services.reservation_move(
                reservation=r, start=start, end=end, by=request.user, as_staff=self.is_desk(), now=timezone.now()
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
            return redirect(
                reverse("reservations:move", kwargs={"pk": r.pk})
                + "?"
                + urlencode({"week": start.date().isoformat() if start else ""})
            )
        messages.success(
            request, mark(_("Moved. The new fee is %(fee)s won.") % {"fee": f"{r.fee_won:,}"}, r.fee_is_example)
        )
        return redirect(r.get_absolute_url())
