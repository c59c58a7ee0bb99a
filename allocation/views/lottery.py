"""Lottery pages: the windows (public), one window with its slots and the maker's application, the published draw
and its check, and the desk's windows (declare, call off)."""

from __future__ import annotations

import json
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from anchors.policy import may
from common.forms import form_errors_from
from common.pagination import paginate
from reservations import selectors as reservation_selectors

from .. import draw as pure
from .. import selectors, services
from ..forms import WEEKDAYS, ReasonForm, WindowForm
from ..models import LotteryWindow, WindowState
from .base import AnchorDeskMixin, parse_moment


def _window(pk: int) -> LotteryWindow:
    window = selectors.window_detail(pk)
    if window is None:
        raise Http404
    return window


class WindowListView(TemplateView):
    template_name = "allocation/window_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["groups"] = selectors.windows_for_public(now=timezone.now())
        return ctx


def _slot_rows(window: LotteryWindow, counts, mine: dict[str, int]) -> list[dict]:
    """The slots by day, each with how many chose it and the viewer's rank for it."""
    days: OrderedDict = OrderedDict()
    for start, end in selectors.slots_of(window):
        key = selectors.slot_key(start)
        days.setdefault(start.date(), []).append(
            {"key": key, "start": start, "end": end, "applied": counts.get(key, 0), "my_rank": mine.get(key)}
        )
    return [{"day": day, "slots": slots} for day, slots in days.items()]


class WindowDetailView(TemplateView):
    template_name = "allocation/window_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        window = _window(self.kwargs["pk"])
        now = timezone.now()
        user = self.request.user
        choices = selectors.choices_of(window, user)
        mine = {selectors.slot_key(a.slot_start): a.rank for a in choices}
        draw = getattr(window, "draw", None) if window.state == WindowState.DRAWN else None
        outcome = None
        if draw is not None and user.is_authenticated and mine:
            outcome = selectors.draw_outcome(window=window, draw=draw, user_id=user.pk)
        slots = selectors.slots_of(window)
        ctx.update(
            window=window,
            anchor=window.anchor,
            target=selectors.target_name(window),
            phase=selectors.phase(window, now),
            days=_slot_rows(window, selectors.applications_per_slot(window), mine),
            slot_options=[(selectors.slot_key(s), s, e) for s, e in slots],
            choices=choices,
            rank_fields=[
                (rank, next((k for k, r in mine.items() if r == rank), ""))
                for rank in range(1, window.choices_per_maker + 1)
            ],
            applicants=selectors.applicant_count(window),
            weekdays=[str(label) for day, label in WEEKDAYS if day in window.weekdays],
            weights=_weights_text(window),
            label=selectors.applicant_label(window, user.pk) if user.is_authenticated else "",
            draw=draw,
            outcome=outcome,
            can_manage=may(user, "allocation.manage_anchor", window.anchor),
            cancel_form=ReasonForm(),
            resource_key=_single_resource_key(window),
        )
        return ctx


def _single_resource_key(window: LotteryWindow) -> str:
    resources = selectors.target_resources(window)
    return reservation_selectors.resource_key(resources[0]) if len(resources) == 1 else ""


def _weights_text(window: LotteryWindow) -> list[str]:
    from accounts.models import MakerCategory

    lines = [
        _("%(category)s: counts %(n)s times") % {"category": MakerCategory(c).label, "n": w}
        for c, w in sorted(window.category_weights.items())
    ]
    if window.recent_win_days:
        lines.append(
            _(
                "An entry's weight is divided by 1 + the maker's lottery wins at this anchor in the %(days)s days before the window opened."
            )
            % {"days": window.recent_win_days}
        )
    return lines


class ApplyView(LoginRequiredMixin, View):
    """POST the maker's ranked choices (`choice_1`…): all of them replace any given before."""

    def post(self, request, pk: int):
        window = _window(pk)
        if not may(request.user, "allocation.apply", window):
            raise PermissionDenied
        starts = []
        for rank in range(1, window.choices_per_maker + 1):
            value = request.POST.get(f"choice_{rank}", "").strip()
            if not value:
                continue
            moment = parse_moment(value)
            if moment is None:
                messages.error(request, _("%(value)s is not one of this window's slots.") % {"value": value[:40]})
                return redirect(window.get_absolute_url())
            starts.append(moment)
        allowed = {f"choice_{rank}" for rank in range(1, window.choices_per_maker + 1)}
        if any(k.startswith("choice_") and k not in allowed and v.strip() for k, v in request.POST.items()):
            messages.error(
                request, _("You may choose at most %(n)s slots in this window.") % {"n": window.choices_per_maker}
            )
            return redirect(window.get_absolute_url())
        try:
            services.application_submit(window=window, user=request.user, slot_starts=starts, now=timezone.now())
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Your application is in. You can change it until applications close."))
        return redirect(window.get_absolute_url())


class WithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        window = _window(pk)
        try:
            n = services.application_withdraw(window=window, user=request.user, now=timezone.now())
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Your application is withdrawn.") if n else _("You had not applied."))
        return redirect(window.get_absolute_url())


def _draw_of(pk: int):
    window = _window(pk)
    draw = getattr(window, "draw", None) if window.state == WindowState.DRAWN else None
    if draw is None:
        raise Http404
    return window, draw


class DrawView(TemplateView):
    """The published draw: the seed (with the hash shown since the window was declared), the anonymised
    applications, the places, the refusals and the result, and the result of re-running it here and now."""

    template_name = "allocation/draw_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        window, draw = _draw_of(self.kwargs["pk"])
        data = services.published(draw)
        check = pure.verify(data, seed_hash=window.seed_hash)  # the hash shown since the window was declared
        user = self.request.user
        label = selectors.applicant_label(window, user.pk) if user.is_authenticated else ""
        entries = {e["applicant"]: e for e in data["entries"]}
        won: dict[str, list] = {}
        for w in draw.result["won"]:
            won.setdefault(w["applicant"], []).append((parse_moment(w["slot"]), w["rank"]))
        rows = [
            {
                "n": n,
                "applicant": applicant,
                "weight": entries[applicant]["weight"],
                "choices": [parse_moment(k) for k in entries[applicant]["choices"]],
                "won": won.get(applicant, []),
                "mine": applicant == label,
            }
            for n, applicant in enumerate(draw.result["order"], start=1)
        ]
        ctx.update(
            window=window,
            anchor=window.anchor,
            draw=draw,
            check=check,
            rows=rows,
            places=[(parse_moment(k), n) for k, n in sorted(data["places"].items())],
            refusals=[(a, parse_moment(k)) for a, k in data["refusals"]],
            label=label,
        )
        return ctx


class DrawJsonView(View):
    def get(self, request, pk: int):
        _window_, draw = _draw_of(pk)
        body = json.dumps(services.published(draw), ensure_ascii=False, indent=1, sort_keys=True)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="lottery-draw-{pk}.json"'
        return response


class DeskWindowsView(AnchorDeskMixin, TemplateView):
    template_name = "allocation/desk_windows.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        now = timezone.now()
        page = paginate(self.request, selectors.windows_of_anchor(anchor=anchor))
        for w in page:
            w.phase = selectors.phase(w, now)
            w.target = selectors.target_name(w)
        ctx.update(anchor=anchor, page=page, can_manage=True)
        return ctx


class WindowCreateView(AnchorDeskMixin, TemplateView):
    template_name = "allocation/window_form.html"

    def form(self, data=None) -> WindowForm:
        anchor = self.get_anchor()
        return WindowForm(data, anchor=anchor, resources=reservation_selectors.anchor_resources(anchor=anchor))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.form())
        ctx.update(anchor=self.get_anchor(), can_manage=True)
        return ctx

    def post(self, request, slug: str):
        form = self.form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                window = services.window_create(
                    anchor=self.get_anchor(),
                    by=request.user,
                    title=d["title"],
                    target=d["target"],
                    first_day=d["first_day"],
                    last_day=d["last_day"],
                    weekdays=d["weekdays"],
                    day_start=d["day_start"],
                    day_end=d["day_end"],
                    slot_minutes=d["slot_minutes"],
                    opens_at=d["opens_at"],
                    closes_at=d["closes_at"],
                    choices_per_maker=d["choices_per_maker"],
                    wins_per_maker=d["wins_per_maker"],
                    category_weights=form.weights(),
                    recent_win_days=d["recent_win_days"],
                    now=timezone.now(),
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(
                    request,
                    _(
                        "The window is declared. Its seed's hash is published now; the draw runs when applications close."
                    ),
                )
                return redirect(window.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class WindowCancelView(AnchorDeskMixin, View):
    def post(self, request, slug: str, pk: int):
        window = get_object_or_404(LotteryWindow, pk=pk, anchor=self.get_anchor())
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give applicants a reason."))
            return redirect(window.get_absolute_url())
        try:
            services.window_cancel(
                window=window, by=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("The window is called off; its slots can be booked as usual."))
        return redirect(window.get_absolute_url())
