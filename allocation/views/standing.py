"""Strike pages: a maker's standing (strikes, suspensions, every step, the anchors' terms) and their appeal against
a strike; the desk's strikes, suspensions and appeals waiting for a decision."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from anchors.policy import may
from common.forms import form_errors_from
from common.pagination import paginate

from .. import selectors, services
from ..models import Appeal, AppealStatus, Strike
from .base import AnchorDeskMixin

MAX_PK = 2**63 - 1  # past a bigint no row can have the key: a 404 without asking the database


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why should the strike be removed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("For example: the desk cancelled the slot, or you were there and checked in late."),
    )


DECISIONS = [
    ("uphold", gettext_lazy("Uphold: remove the strike")),
    ("dismiss", gettext_lazy("Dismiss: the strike stands")),
]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("Reason shown to the maker"), max_length=500)


def _own_strike(user, pk: int) -> Strike:
    """The maker's own strike; anything else (another maker's, none, a key out of range) is a 404."""
    if pk > MAX_PK:
        raise Http404
    strike = (
        Strike.objects.select_related("anchor", "reservation__space", "reservation__equipment", "appeal")
        .filter(pk=pk)
        .first()
    )
    if strike is None or not may(user, "allocation.appeal", strike):
        raise Http404
    return strike


def _policies(anchor_ids) -> list:
    """The terms of each anchor, in a fixed order."""
    return [selectors.policy_for(anchor_id) for anchor_id in sorted(set(anchor_ids))]


class StandingView(LoginRequiredMixin, TemplateView):
    template_name = "allocation/standing.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        standing = selectors.standing_of(user=self.request.user, now=now)
        anchors = {}
        for strike in standing.strikes:
            strike.appeal_or_none = getattr(strike, "appeal", None)  # None: not appealed
            strike.is_active = strike.removed_at is None and strike.expires_at > now
            strike.can_appeal = strike.is_active and strike.appeal_or_none is None
            anchors[strike.anchor_id] = strike.anchor
        current, past = [], []
        for suspension in standing.suspensions:
            live = suspension.lifted_at is None and suspension.starts_at <= now < suspension.ends_at
            (current if live else past).append(suspension)
            anchors[suspension.imposed_by_id] = suspension.imposed_by
        terms = []
        for policy in _policies(anchors):
            terms.append({"anchor": anchors[policy.anchor_id], "policy": policy})
        ctx.update(
            now=now,
            strikes=standing.strikes,
            current_suspensions=current,
            past_suspensions=past,
            events=standing.events,
            terms=terms,
        )
        return ctx


class AppealView(LoginRequiredMixin, TemplateView):
    template_name = "allocation/appeal_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        strike = kwargs.get("strike") or _own_strike(self.request.user, self.kwargs["pk"])
        ctx.setdefault("form", AppealForm())
        ctx.update(strike=strike, policy=selectors.policy_for(strike.anchor_id), appeal=getattr(strike, "appeal", None))
        return ctx

    def post(self, request, pk: int):
        strike = _own_strike(request.user, pk)
        form = AppealForm(request.POST)
        if form.is_valid():
            try:
                services.appeal_submit(
                    strike=strike, user=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("Your appeal is in. The anchor's staff decide it and tell you why."))
                return redirect("allocation:standing")
        return self.render_to_response(self.get_context_data(form=form, strike=strike))


class DeskStrikesView(AnchorDeskMixin, TemplateView):
    template_name = "allocation/desk_strikes.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        now = timezone.now()
        ctx.update(
            anchor=anchor,
            now=now,
            appeals=list(selectors.pending_appeals(anchor=anchor)),
            suspensions=list(selectors.suspensions_of_anchor(anchor=anchor, now=now)),
            page=paginate(self.request, selectors.strikes_of_anchor(anchor=anchor, now=now)),
            policy=selectors.policy_for(anchor),
            decisions=DECISIONS,
            can_manage=True,
        )
        return ctx


class DecideView(AnchorDeskMixin, View):
    """POST `decision` ("uphold" or "dismiss") and `reason` for an appeal against one of this anchor's strikes."""

    def post(self, request, slug: str, pk: int):
        anchor = self.get_anchor()
        back = redirect("allocation:desk_strikes", slug=anchor.slug)
        if pk > MAX_PK:
            raise Http404
        appeal = Appeal.objects.select_related("strike__anchor").filter(pk=pk, strike__anchor=anchor).first()
        if appeal is None:
            raise Http404
        if not may(request.user, "allocation.decide_appeal", appeal):
            raise PermissionDenied
        if appeal.status != AppealStatus.PENDING:
            messages.error(request, _("This appeal was decided already."))
            return back
        form = DecideForm(request.POST)
        if not form.is_valid():
            if "decision" in form.errors:
                messages.error(request, _("Choose whether to uphold or dismiss the appeal."))
            else:
                messages.error(request, _("Give the maker the reason for the decision, in at most 500 characters."))
            return back
        d = form.cleaned_data
        try:
            services.appeal_decide(
                appeal=appeal, by=request.user, upheld=d["decision"] == "uphold", reason=d["reason"], now=timezone.now()
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            if d["decision"] == "uphold":
                messages.success(request, _("The appeal is upheld: the strike is removed and the maker is told why."))
            else:
                messages.success(request, _("The appeal is dismissed: the strike stands and the maker is told why."))
        return back
