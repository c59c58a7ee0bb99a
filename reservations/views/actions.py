"""The actions on one reservation (cancel, approve, reject, check in, no-show, complete, waive, move): each asks
the policy who may act, then its service, which asks the state machine."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import TemplateView

from anchors.policy import may
from common.examples import mark, refusal

from .. import selectors, services, states
from ..forms import OptionalReasonForm, ReasonForm
from ..models import Reservation
from .base import ReservationObjectMixin, accepted_charge, parse_day, parse_dt


class ReservationActionView(ReservationObjectMixin, View):
    """POST-only actions on a reservation: the policy answers who (404 to whoever may not see it, 403 to whoever
    sees it but may not act), then one service checks the state under a row lock and acts."""

    http_method_names = ["get", "post"]
    action = ""
    # An action that cannot be undone asks first: its buttons open this view by GET, which shows what will happen
    # (and what it costs) and posts back only when confirmed. Works without JavaScript.
    asks_first = False
    question = ""
    button = ""
    danger = True  # the confirming button is red, except for approving
    reason_required = False

    def get(self, request, pk: int):
        if not self.asks_first:
            return HttpResponseNotAllowed(["POST"])
        r = self.get_reservation()
        if not may(request.user, f"reservations.{self.action}", r):
            raise PermissionDenied
        now = timezone.now()
        allowed = selectors.reservation_actions(user=request.user, reservation=r, now=now).get(self.action, False)
        back = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
            back = r.get_absolute_url()
        context = {
            "r": r,
            "anchor": r.anchor,
            "allowed": allowed,
            "question": self.question,
            "button": self.button,
            "danger": self.danger,
            "reason": request.GET.get("reason", "").strip()[:300],
            "reason_required": self.reason_required,
            "back": back,
            **(self.consequence(r, now) if allowed else {}),
        }
        return render(request, "reservations/action_confirm.html", context)

    def consequence(self, r: Reservation, now: datetime) -> dict:
        """What confirming would do, for the question page: a sentence and any charge to accept."""
        return {}

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
    asks_first = True
    question = _lazy("Cancel this reservation?")
    button = _lazy("Yes, cancel it")

    def consequence(self, r, now):
        return {
            "charge": services.cancellation_charge(r, now=now),
            "charge_is_example": r.charge_is_example,
        }

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
                r.charge_is_example,
            )
        return _("Cancelled. Nothing is owed.")


class CancelSeriesView(ReservationActionView):
    action = "cancel_series"
    asks_first = True
    question = _lazy("Cancel this and the later occurrences of the series?")
    button = _lazy("Yes, cancel them")

    def consequence(self, r, now):
        rest = services.series_rest(reservation=r, now=now)
        return {
            "charge": services.series_cancellation_charge(reservation=r, now=now),
            "charge_is_example": r.charge_is_example,
            "series_rest": rest,
        }

    def perform(self, r, request, now):
        n = services.series_cancel_rest(
            reservation=r, by=request.user, accepted_charge_won=accepted_charge(request), now=now
        )
        return _("%(n)s reservations of the series were cancelled.") % {"n": n}


class ApproveView(ReservationActionView):
    action = "approve"
    asks_first = True
    question = _lazy("Approve this request?")
    button = _lazy("Yes, approve it")
    danger = False

    def consequence(self, r, now):
        return {"sentence": _("The maker is told at once and the time becomes theirs.")}

    def perform(self, r, request, now):
        services.reservation_approve(reservation=r, by=request.user, now=now)
        return _("Approved.")


class RejectView(ReservationActionView):
    action = "reject"
    asks_first = True
    question = _lazy("Reject this request?")
    button = _lazy("Yes, reject it")
    reason_required = True

    def consequence(self, r, now):
        return {"sentence": _("The maker is told, with your reason, and the time is freed.")}

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
    asks_first = True
    question = _lazy("Mark this reservation as a no-show?")
    button = _lazy("Yes, they did not come")

    def consequence(self, r, now):
        return {
            "charge": services.no_show_charge(r),
            "charge_is_example": r.charge_is_example,
            "charge_owed": True,
        }

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
        target_start, target_end = parse_dt(self.request.GET.get("start")), parse_dt(self.request.GET.get("end"))
        # The week shown: the one asked for, else the chosen time's, else the booking's own.
        week_of = parse_day(self.request.GET.get("week"), timezone.localtime(target_start or r.start_at).date())
        length = r.end_at - r.start_at
        as_staff = may(self.request.user, "reservations.manage_anchor", r.anchor)
        why_not = states.why_not_move(r, now=now, policy=selectors.policy_for(r.anchor), as_staff=as_staff)
        if why_not:  # nothing to pick: say why instead of offering times that would be refused
            ctx.update(r=r, resource=resource, anchor=r.anchor, why_not=why_not)
            return ctx
        days, rows = selectors.resource_week(
            resource=resource,
            week_of=week_of,
            length=length,
            exclude_pk=r.pk,
            now=now,
            user=r.user,
            as_staff=as_staff,
        )
        if not r.fee_exempt:
            categories = selectors.discount_categories(
                user=r.user, discount_category=selectors.move_discount_category(reservation=r, as_staff=as_staff)
            )
            selectors.price_free_cells(resource=resource, rows=rows, categories=categories)
        if target_start and target_end:
            try:  # the new time's fee (or why it cannot be had) before the maker confirms the move
                ctx["target_check"] = services.check_move(
                    reservation=r, start=target_start, end=target_end, as_staff=as_staff, now=now
                )
            except ValidationError as err:
                ctx["target_refusal"] = " ".join(err.messages)
        ctx.update(
            grid_states=selectors.GRID_STATES,
            r=r,
            resource=resource,
            anchor=r.anchor,
            days=days,
            rows=rows,
            prev_week=(days[0] - timedelta(days=7)).isoformat(),
            next_week=(days[0] + timedelta(days=7)).isoformat(),
            target_start=target_start,
            target_end=target_end,
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
