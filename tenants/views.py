"""Pages of start-up space tenancy: applying, the anchor's occupancy board with applications and yearly results, an
application's page (scores, decision, document), and the lease actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from anchors.mixins import PolicyRequiredMixin
from common.files import private_file_response
from common.forms import form_errors_from
from common.pagination import paginate
from facilities.views import AnchorScopedMixin

from . import selectors, services
from .forms import DecisionForm, KPIForm, RenewForm, ReviewForm, TenantApplicationForm, TerminateForm
from .models import ApplicationStatus, Lease, TenantApplication, TenantKPI


class ApplyView(LoginRequiredMixin, TemplateView):
    template_name = "tenants/tenant_apply.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = kwargs.get("form") or TenantApplicationForm(
            user=self.request.user, initial={"anchor": self.request.GET.get("anchor")}
        )
        return ctx

    def post(self, request):
        form = TenantApplicationForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.application_apply(
                    anchor=data["anchor"],
                    submitted_by=request.user,
                    organisation=data["organisation"],
                    new_company={
                        k: data[k] for k in ("name", "business_registration_number", "representative", "industry")
                    },
                    business_plan=data["business_plan"],
                    wanted_from=data["wanted_from"],
                    wanted_months=data["wanted_months"],
                    document=data["document"],
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("Your application was sent; the staff will review it."))
                return redirect("dashboard")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TenantBoardView(AnchorScopedMixin, TemplateView):
    """Staff: the occupancy board of the anchor's start-up spaces, applications to review, KPIs."""

    template_name = "tenants/tenant_board.html"
    policy_action = "tenants.manage_anchor"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        today = timezone.localdate()
        ctx.update(
            board=selectors.occupancy_board(anchor=anchor, today=today),
            today=today,
            applications=paginate(
                self.request,
                TenantApplication.objects.filter(anchor=anchor).select_related("organisation").order_by("-created_at"),
                param="applications",
            ),
            kpis=paginate(
                self.request,
                TenantKPI.objects.filter(anchor=anchor)
                .select_related("organisation")
                .order_by("-year", "organisation__name", "pk"),
                param="kpis",
            ),
            kpi_form=kwargs.get("kpi_form")
            or KPIForm(organisations=selectors.companies_of(anchor=anchor), initial={"year": today.year}),
            renew_form=RenewForm(),
            terminate_form=TerminateForm(),
        )
        return ctx

    def post(self, request, slug: str):
        anchor = self.get_anchor()
        form = KPIForm(request.POST, organisations=selectors.companies_of(anchor=anchor))
        if form.is_valid():
            try:
                services.tenant_kpi_save(anchor=anchor, **form.cleaned_data)
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("KPIs saved."))
                return redirect("tenants:board", slug=anchor.slug)
        return self.render_to_response(self.get_context_data(kpi_form=form), status=400)


class ApplicationDetailView(PolicyRequiredMixin, TemplateView):
    template_name = "tenants/tenant_application.html"
    policy_action = "tenants.manage_anchor"

    def get_application(self) -> TenantApplication:
        if not hasattr(self, "_app"):
            self._app = get_object_or_404(
                TenantApplication.objects.select_related("anchor", "organisation", "submitted_by"), pk=self.kwargs["pk"]
            )
        return self._app

    def get_policy_object(self):
        return self.get_application().anchor

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        app = self.get_application()
        ctx.update(
            app=app,
            anchor=app.anchor,
            reviews=app.reviews.select_related("reviewer"),
            average=selectors.application_average_score(app),
            review_form=kwargs.get("review_form") or ReviewForm(),
            decision_form=kwargs.get("decision_form") or DecisionForm(anchor=app.anchor),
            open=app.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW),
            can_manage=True,
        )
        return ctx

    def post(self, request, pk: int):
        app = self.get_application()
        if request.POST.get("action") == "score":
            form = ReviewForm(request.POST)
            if form.is_valid():
                try:
                    services.application_score(application=app, reviewer=request.user, **form.cleaned_data)
                except ValidationError as err:
                    form_errors_from(form, err)
                else:
                    messages.success(request, _("Your score was saved."))
                    return redirect("tenants:application", pk=app.pk)
            return self.render_to_response(self.get_context_data(review_form=form), status=400)
        form = DecisionForm(request.POST, anchor=app.anchor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.application_decide(
                    application=app,
                    decided_by=request.user,
                    approve=data["decision"] == "approve",
                    reason=data["reason"],
                    space=data["space"],
                    now=timezone.now(),
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("tenants:board", slug=app.anchor.slug)
        return self.render_to_response(self.get_context_data(decision_form=form), status=400)


class LeaseActionView(PolicyRequiredMixin, View):
    http_method_names = ["post"]
    policy_action = "tenants.manage_anchor"

    def get_lease(self) -> Lease:
        if not hasattr(self, "_lease"):
            self._lease = get_object_or_404(
                Lease.objects.select_related("space__anchor", "organisation"), pk=self.kwargs["pk"]
            )
        return self._lease

    def get_policy_object(self):
        return self.get_lease().space.anchor

    def post(self, request, pk: int, action: str):
        lease = self.get_lease()
        try:
            if action == "activate":
                services.lease_activate(lease=lease)
            elif action == "renew":
                form = RenewForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("A lease is renewed for 1 to 60 months."))
                services.lease_renew(lease=lease, months=form.cleaned_data["months"])
            elif action == "terminate":
                form = TerminateForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give the last day and a reason."))
                services.lease_terminate(lease=lease, today=timezone.localdate(), **form.cleaned_data)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("The lease was updated."))
        return redirect("tenants:board", slug=lease.space.anchor.slug)


class ApplicationDocumentView(PolicyRequiredMixin, View):
    """A tenant application's business-plan PDF: the anchor's staff (who review it) and city admins only."""

    policy_action = "tenants.manage_anchor"

    def get_policy_object(self):
        self.application = get_object_or_404(TenantApplication.objects.select_related("anchor"), pk=self.kwargs["pk"])
        return self.application.anchor

    def get(self, request, pk: int):
        if not self.application.document:
            raise Http404
        return private_file_response(
            self.application.document,
            download_name=f"application-{self.application.pk}.pdf",
            content_type="application/pdf",
        )
