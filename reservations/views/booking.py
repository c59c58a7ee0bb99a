"""Booking a resource: its week of free and busy slots, and the booking wizard (form, preview, confirmation)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from anchors.policy import may
from common.forms import form_errors_from
from common.time import SEOUL
from facilities import selectors as facility_selectors
from facilities.models import Equipment, Space

from .. import selectors, services
from ..forms import BookingForm
from ..models import Status
from .base import ResourceMixin, parse_day, parse_dt, parse_length


class ResourceWeekView(ResourceMixin, TemplateView):
    """A resource's week: free and busy slots (never who booked them), each free one a link to book it."""

    page_cache = "session"  # common/pagecache.py: kept per logged-in browser session, retired by every write

    template_name = "reservations/resource_week.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        resource = self.get_resource()
        now = timezone.now()
        week_of = parse_day(self.request.GET.get("week"), timezone.localdate(now))
        user = self.request.user
        lengths = selectors.booking_lengths(resource)
        length = parse_length(self.request.GET.get("length"), lengths)
        days, rows = selectors.week_for_viewer(resource=resource, week_of=week_of, now=now, viewer=user, length=length)
        ctx.update(
            now=now,
            lengths=[(int(x.total_seconds()) // 60, x) for x in lengths],
            length=int(length.total_seconds()) // 60,
            week_of=days[0].isoformat(),
            length_query="" if length == lengths[0] else f"&length={int(length.total_seconds()) // 60}",
            resource=resource,
            anchor=resource.anchor,
            days=days,
            rows=rows,
            kind=self.kwargs["kind"],
            prev_week=(days[0] - timedelta(days=7)).isoformat(),
            next_week=(days[0] + timedelta(days=7)).isoformat(),
            grid_states=selectors.GRID_STATES,
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
        if not hasattr(self, "_staff_desk"):  # asked by the form and by the page: once per request
            self._staff_desk = may(self.request.user, "reservations.manage_anchor", self.get_resource().anchor)
        return self._staff_desk

    def get_form(self, data=None) -> BookingForm:
        resource = self.get_resource()
        initial = {}
        start, end = parse_dt(self.request.GET.get("start")), parse_dt(self.request.GET.get("end"))
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
        if "form" not in ctx:  # not setdefault: its argument would build a second form when one is given
            ctx["form"] = self.get_form()
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
        # A maker refused because the slot is taken may wait for it (the allocation app's waiting list).
        can_wait = getattr(err, "code", "") in ("clash", "offered") and not form.staff
        wait_slot = (form.cleaned_data["start_at"], form.cleaned_data["end_at"]) if can_wait else None
        return self.render_to_response(
            self.get_context_data(
                form=form,
                suggestions=suggestions,
                wait_slot=wait_slot,
                resource_key=selectors.resource_key(self.get_resource()),
            ),
            status=400,
        )

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
