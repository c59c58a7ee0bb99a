from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, RedirectView, TemplateView

from accounts.roles import Role, has_role
from common.forms import form_errors_from

from . import policy, selectors, services
from .filters import AnchorFilter
from .forms import AnchorPublicInfoForm
from .mixins import PolicyRequiredMixin
from .models import Anchor, AnchorStatus, ContactListing


class AnchorListView(TemplateView):
    """The public homepage: every anchor, filterable by district, industry, status and kind."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "anchors/anchor_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor_filter = AnchorFilter(self.request.GET or None, queryset=selectors.anchor_list())
        ctx["filter"] = anchor_filter
        ctx["anchors"] = anchor_filter.qs if anchor_filter.is_bound else selectors.anchor_list()
        ctx["programme_milestones"] = selectors.programme_milestones()
        return ctx


class AnchorObjectMixin:
    _anchor: Anchor | None = None

    def get_anchor(self) -> Anchor:
        if self._anchor is None:
            try:
                self._anchor = selectors.anchor_detail(slug=self.kwargs["slug"])
            except Anchor.DoesNotExist as err:
                raise Http404(_("No anchor facility with that address.")) from err
        return self._anchor

    def get_policy_object(self) -> Anchor:
        return self.get_anchor()


class AnchorDetailView(AnchorObjectMixin, PolicyRequiredMixin, TemplateView):
    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session
    template_name = "anchors/anchor_detail.html"
    policy_action = "anchors.view_anchor"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        ctx["anchor"] = anchor
        ctx["can_edit"] = policy.may(self.request.user, "anchors.change_anchor", anchor)
        ctx["can_oversee"] = policy.may(self.request.user, "anchors.oversee_anchor", anchor)
        ctx["can_manage"] = policy.may(self.request.user, "facilities.manage_anchor", anchor)
        people = list(anchor.contacts.all())
        ctx["contacts"] = [c for c in people if c.listed_as == ContactListing.CONTACT]
        ctx["report_authors"] = [c for c in people if c.listed_as == ContactListing.REPORT_AUTHOR]
        return ctx


class AnchorUpdateView(AnchorObjectMixin, PolicyRequiredMixin, FormView):
    template_name = "anchors/anchor_update.html"
    form_class = AnchorPublicInfoForm
    policy_action = "anchors.change_anchor"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_anchor()
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["anchor"] = self.get_anchor()
        return ctx

    def form_valid(self, form):
        try:
            anchor = services.anchor_update_public_info(anchor=self.get_anchor(), **form.cleaned_data)
        except ValidationError as err:
            form_errors_from(form, err)
            return self.form_invalid(form)
        messages.success(self.request, _("The anchor's public information was saved."))
        return redirect(anchor.get_absolute_url())


class LandingView(PolicyRequiredMixin, RedirectView):
    """Where login sends people: staff of one anchor to its desk, everyone else to their dashboard."""

    policy_action = "anchors.view_dashboard"

    def get_redirect_url(self, *args, **kwargs):
        user = self.request.user
        managed = policy.managed_anchor_ids(user)
        if len(managed) == 1 and not policy.is_city_admin(user):
            anchor = Anchor.objects.filter(pk=next(iter(managed)), status=AnchorStatus.OPERATING).first()
            if anchor is not None:
                return reverse("reservations:desk", kwargs={"slug": anchor.slug})
        return reverse("dashboard")


class DashboardView(PolicyRequiredMixin, TemplateView):
    """Where each role lands after logging in: the anchors in their scope and what they can do there."""

    template_name = "anchors/dashboard.html"
    policy_action = "anchors.view_dashboard"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["scope_anchors"] = policy.anchors_in_scope(user).order_by("sort_order", "name_en")
        ctx["managed_ids"] = policy.managed_anchor_ids(user)
        ctx["is_city_admin"] = policy.is_city_admin(user)
        ctx["is_officer"] = has_role(user, Role.DISTRICT_OFFICER)
        ctx["is_staff_member"] = has_role(user, Role.FACILITY_STAFF)
        ctx["is_maker"] = has_role(user, Role.MAKER)
        ctx["officer_districts"] = user.officer_assignments.select_related("district").order_by("district__name_en")
        ctx["operating_anchors"] = selectors.anchor_list().filter(status=AnchorStatus.OPERATING)
        ctx["now"] = timezone.now()
        return ctx
