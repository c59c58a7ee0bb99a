from __future__ import annotations

from datetime import date, datetime, timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from anchors.mixins import PolicyRequiredMixin
from anchors.models import Anchor
from anchors.policy import may
from common.examples import mark, refusal
from common.health import broker_status
from facilities import selectors as facility_selectors
from facilities.models import Equipment, Space
from facilities.pricing import SEOUL
from facilities.views import form_errors_from

from . import calendars, selectors, services, states
from .examples import annotate_examples
from .forms import BookingForm, OptionalReasonForm, ReasonForm
from .models import CalendarFeed, Reservation, Status


def _parse_day(value: str | None, default: date) -> date:
    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if 2000 <= day.year <= 2100 else default  # far dates would overflow the week arithmetic


def _parse_dt(value: str | None) -> datetime | None:
    """A time from a link or a form, in Seoul unless it says otherwise; None when it is not one, or not between the
    years 2000 and 2100 (far dates would overflow the slot arithmetic)."""
    try:
        dt = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if dt is None or not 2000 <= dt.year <= 2100:
        return None
    return dt.replace(tzinfo=SEOUL) if dt.tzinfo is None else dt


class ResourceMixin:
    """Views about one space or equipment unit, addressed as /book/<space|equipment>/<pk>/."""

    def get_resource(self) -> Space | Equipment:
        if not hasattr(self, "_resource"):
            kind = self.kwargs["kind"]
            if kind == "space":
                self._resource = get_object_or_404(Space.objects.select_related("anchor"), pk=self.kwargs["pk"])
            elif kind == "equipment":
                self._resource = get_object_or_404(
                    Equipment.objects.select_related("space__anchor", "kind"), pk=self.kwargs["pk"]
                )
            else:
                raise Http404
        return self._resource


class ResourceWeekView(ResourceMixin, TemplateView):
    """A resource's week: free and busy slots (never who booked them), each free one a link to book it."""

    template_name = "reservations/resource_week.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        resource = self.get_resource()
        now = timezone.now()
        week_of = _parse_day(self.request.GET.get("week"), timezone.localdate(now))
        desk = may(self.request.user, "reservations.manage_anchor", resource.anchor)
        notice = timedelta(0) if desk else timedelta(minutes=selectors.policy_for(resource.anchor).lead_time_minutes)
        days, times, grid = selectors.resource_week(
            resource=resource, week_of=week_of, now=now, not_before=now + notice
        )
        step = resource.booking_unit_minutes if resource.booking_unit_minutes >= 30 else 30
        length = timedelta(minutes=max(resource.min_duration_minutes, step))
        rows = []
        for tm in times:
            cells = []
            for d in days:
                start = datetime.combine(d, tm, tzinfo=SEOUL)
                cells.append({"state": grid[(d, tm)], "start": start, "end": start + length})
            rows.append({"time": tm, "cells": cells})
        user = self.request.user
        ctx.update(
            resource=resource,
            anchor=resource.anchor,
            days=days,
            rows=rows,
            kind=self.kwargs["kind"],
            prev_week=(days[0] - timedelta(days=7)).isoformat(),
            next_week=(days[0] + timedelta(days=7)).isoformat(),
            needs_training=isinstance(resource, Equipment) and resource.kind.requires_certification,
            certified=isinstance(resource, Equipment)
            and facility_selectors.user_is_certified(user=user, kind=resource.kind, on=timezone.localdate(now)),
            hours_are_example=facility_selectors.hours_are_example(anchor=resource.anchor),
            policy=selectors.policy_for(resource.anchor),
        )
        return ctx


class BookingView(LoginRequiredMixin, ResourceMixin, TemplateView):
    """Book a resource: the form, then a confirmation page with the fee, then the booking. Works without JS."""

    template_name = "reservations/reservation_form.html"

    def is_staff_desk(self) -> bool:
        return may(self.request.user, "reservations.manage_anchor", self.get_resource().anchor)

    def get_form(self, data=None) -> BookingForm:
        resource = self.get_resource()
        initial = {}
        start, end = _parse_dt(self.request.GET.get("start")), _parse_dt(self.request.GET.get("end"))
        if start:
            local = start.astimezone(SEOUL)
            initial.update(date=local.date(), start=local.time().replace(second=0, microsecond=0))
            shortest = start + timedelta(minutes=resource.min_duration_minutes)
            end = max(end, shortest) if end else shortest
            initial["end"] = end.astimezone(SEOUL).time().replace(second=0, microsecond=0)
        return BookingForm(data, initial=initial, staff=self.is_staff_desk(), is_space=isinstance(resource, Space))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        resource = self.get_resource()
        ctx.setdefault("form", self.get_form())
        ctx.update(
            resource=resource,
            anchor=resource.anchor,
            kind=self.kwargs["kind"],
            staff_desk=self.is_staff_desk(),
            policy=selectors.policy_for(resource.anchor),
        )
        return ctx

    def _booking_args(self, form) -> dict:
        data = form.cleaned_data
        args = {
            "resource": self.get_resource(),
            "start": data["start_at"],
            "end": data["end_at"],
            "booked_by": self.request.user,
            "purpose": data.get("purpose", ""),
            "party_size": data.get("party_size"),
            "notes": data.get("notes", ""),
        }
        if form.staff:
            args.update(
                user=data.get("maker"),
                guest_name=data.get("guest_name", ""),
                guest_phone=data.get("guest_phone", ""),
                guest_organisation=data.get("guest_organisation", ""),
                discount_category=data.get("discount_category", ""),
                as_staff=True,
            )
        else:
            args.update(user=self.request.user)
        return args

    def _refused(self, form, err: ValidationError):
        form_errors_from(form, err)
        suggestions = getattr(err, "suggestions", [])
        return self.render_to_response(self.get_context_data(form=form, suggestions=suggestions), status=400)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        args = {**self._booking_args(form), "now": timezone.now()}
        step = request.POST.get("step", "preview")
        if step == "edit":
            return self.render_to_response(self.get_context_data(form=form))
        repeat = form.cleaned_data.get("repeat")
        try:
            if repeat:
                return self._series(form, args, step)
            if step == "confirm":
                shown = request.POST.get("fee_shown_won", "")
                try:
                    reservation = services.reservation_create(
                        **args, fee_shown_won=int(shown) if shown.isdigit() and len(shown) <= 12 else None
                    )
                except services.BookingRefused as err:
                    if err.code != "fee_changed":
                        raise
                    messages.warning(request, " ".join(err.messages))  # the confirmation again, with the new fee
                    return self._preview(form, args)
                if reservation.status == Status.REQUESTED:
                    messages.info(request, _("Your request is held until the staff approve it."))
                elif reservation.user_id is None:
                    messages.success(
                        request, _("Booked for the guest. Print or show this confirmation; guests get no e-mail.")
                    )
                else:
                    messages.success(request, _("Booked. A confirmation is on its way by e-mail."))
                return redirect(reservation.get_absolute_url())
            return self._preview(form, args)
        except ValidationError as err:
            return self._refused(form, err)

    def _preview(self, form, args: dict):
        """The confirmation step: what would be booked and the itemised fee; nothing is booked yet."""
        check = services.check_booking(
            resource=args["resource"],
            start=args["start"],
            end=args["end"],
            user=args.get("user"),
            as_staff=args.get("as_staff", False),
            party_size=args.get("party_size"),
            discount_category=args.get("discount_category", ""),
            now=args["now"],
        )
        return self._render(
            "reservations/reservation_confirm.html", self.get_context_data(form=form, confirm=check, args=args)
        )

    def _render(self, template: str, context: dict, status: int = 200):
        return self.response_class(
            request=self.request, template=[template], context=context, using=self.template_engine, status=status
        )

    def _series(self, form, args: dict, step: str):
        count, frequency = form.cleaned_data["count"], form.cleaned_data["repeat"]
        if step == "confirm_series":
            series = services.series_create(
                frequency=frequency, count=count, skip_problems=self.request.POST.get("skip") == "1", **args
            )
            first = series.reservations.order_by("start_at").first()
            messages.success(self.request, _("%(n)s reservations were booked.") % {"n": series.reservations.count()})
            return redirect(first.get_absolute_url())
        occurrences = services.series_preview(
            resource=args["resource"],
            start=args["start"],
            end=args["end"],
            frequency=frequency,
            count=count,
            user=args.get("user"),
            as_staff=args.get("as_staff", False),
            party_size=args.get("party_size"),
            discount_category=args.get("discount_category", ""),
            now=args["now"],
        )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                occurrences=occurrences,
                problems=sum(1 for o in occurrences if o.problem),
                series_fee=sum(o.fee_won for o in occurrences if not o.problem),
            )
        )


class MyReservationsView(LoginRequiredMixin, TemplateView):
    template_name = "reservations/my_reservations.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        upcoming, past = selectors.my_reservations(user=self.request.user, now=now)
        annotate_examples([*upcoming, *past])  # which fees and charges rest on example data, in two queries
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        ctx.update(upcoming=upcoming, past=past, feed=feed, now=now)
        return ctx


class ReservationObjectMixin(LoginRequiredMixin):
    def get_reservation(self) -> Reservation:
        if not hasattr(self, "_reservation"):
            self._reservation = selectors.reservation_for_viewer(pk=self.kwargs["pk"], user=self.request.user)
        return self._reservation

    def is_desk(self) -> bool:
        return may(self.request.user, "reservations.manage_anchor", self.get_reservation().anchor)

    def is_holder(self) -> bool:
        from .rules import is_holder

        return is_holder(self.request.user, self.get_reservation())


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
            series_rest=r.series.reservations.filter(start_at__gte=r.start_at).count() if r.series_id else 0,
        )
        return ctx


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


def _accepted_charge(request) -> int:
    raw = request.POST.get("accepted_charge_won", "")
    return int(raw) if raw.isdigit() and len(raw) <= 12 else 0


class CancelView(ReservationActionView):
    action = "cancel"

    def perform(self, r, request, now):
        form = OptionalReasonForm(request.POST)
        form.is_valid()
        r = services.reservation_cancel(
            reservation=r,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
            accepted_charge_won=_accepted_charge(request),
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
            reservation=r, by=request.user, accepted_charge_won=_accepted_charge(request), now=now
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
        week_of = _parse_day(self.request.GET.get("week"), timezone.localtime(r.start_at).date())
        length = r.end_at - r.start_at
        days, times, grid = selectors.resource_week(
            resource=resource, week_of=week_of, length=length, exclude_pk=r.pk, now=now
        )
        rows = [
            {
                "time": tm,
                "cells": [
                    {
                        "state": grid[(d, tm)],
                        "start": datetime.combine(d, tm, tzinfo=SEOUL),
                        "end": datetime.combine(d, tm, tzinfo=SEOUL) + length,
                    }
                    for d in days
                ],
            }
            for tm in times
        ]
        ctx.update(
            r=r,
            resource=resource,
            anchor=r.anchor,
            days=days,
            rows=rows,
            prev_week=(days[0] - timedelta(days=7)).isoformat(),
            next_week=(days[0] + timedelta(days=7)).isoformat(),
            target_start=_parse_dt(self.request.GET.get("start")),
            target_end=_parse_dt(self.request.GET.get("end")),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        r = self.get_reservation()
        start, end = _parse_dt(request.POST.get("start")), _parse_dt(request.POST.get("end"))
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


# --- the desk ------------------------------------------------------------------------------------


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
        day = _parse_day(self.request.GET.get("date"), today)
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
        from facilities.models import Closure

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


# --- calendars -----------------------------------------------------------------------------------


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

    def get(self, request, kind: str, pk: int):
        resource = self.get_resource()
        now = timezone.now()
        start = now - timedelta(days=7)
        qs = selectors.holding_overlapping(resource=resource, start=start, until=start + timedelta(days=120))
        events = [calendars.reservation_event(r, now=now, private=False) for r in qs.select_related("anchor")]
        return _ics_response(
            calendars.calendar_of(events, name=f"{resource.name} · {resource.anchor.name}"), f"{kind}-{pk}.ics"
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
