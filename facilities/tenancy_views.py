"""Pages of start-up space tenancy (applications, reviews, leases, KPIs) and of category evidence review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import services as account_services
from accounts.models import CategoryEvidence
from anchors.mixins import PolicyRequiredMixin
from common.files import private_file_response

from . import tenancy
from .forms import (
    DecisionForm,
    EvidenceReviewForm,
    KPIForm,
    RenewForm,
    ReviewForm,
    TenantApplicationForm,
    TerminateForm,
)
from .models import ApplicationStatus, Lease, TenantApplication, TenantKPI
from .views import AnchorScopedMixin, form_errors_from


class ApplyView(LoginRequiredMixin, TemplateView):
    template_name = "facilities/tenant_apply.html"

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
                with transaction.atomic():
                    org = data["organisation"] or account_services.organisation_create(
                        name=data["name"],
                        business_registration_number=data["business_registration_number"],
                        representative=data["representative"],
                        industry=data["industry"],
                        created_by=request.user,
                    )
                    tenancy.application_submit(
                        anchor=data["anchor"],
                        organisation=org,
                        submitted_by=request.user,
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

    template_name = "facilities/tenant_board.html"
    policy_action = "facilities.manage_anchor"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        today = timezone.localdate()
        ctx.update(
            board=tenancy.occupancy_board(anchor=anchor, today=today),
            today=today,
            applications=TenantApplication.objects.filter(anchor=anchor)
            .select_related("organisation")
            .order_by("-created_at")[:50],
            kpis=TenantKPI.objects.filter(anchor=anchor)
            .select_related("organisation")
            .order_by("-year", "organisation__name")[:50],
            kpi_form=kwargs.get("kpi_form")
            or KPIForm(organisations=tenancy.companies_of(anchor=anchor), initial={"year": today.year}),
            renew_form=RenewForm(),
            terminate_form=TerminateForm(),
        )
        return ctx

    def post(self, request, slug: str):
        anchor = self.get_anchor()
        form = KPIForm(request.POST, organisations=tenancy.companies_of(anchor=anchor))
        if form.is_valid():
            try:
                tenancy.tenant_kpi_save(anchor=anchor, **form.cleaned_data)
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("KPIs saved."))
                return redirect("facilities:tenants", slug=anchor.slug)
        return self.render_to_response(self.get_context_data(kpi_form=form), status=400)


class ApplicationDetailView(PolicyRequiredMixin, TemplateView):
    template_name = "facilities/tenant_application.html"
    policy_action = "facilities.manage_anchor"

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
            average=tenancy.application_average_score(app),
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
                    tenancy.application_score(application=app, reviewer=request.user, **form.cleaned_data)
                except ValidationError as err:
                    form_errors_from(form, err)
                else:
                    messages.success(request, _("Your score was saved."))
                    return redirect("facilities:application", pk=app.pk)
            return self.render_to_response(self.get_context_data(review_form=form), status=400)
        form = DecisionForm(request.POST, anchor=app.anchor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                tenancy.application_decide(
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
                return redirect("facilities:tenants", slug=app.anchor.slug)
        return self.render_to_response(self.get_context_data(decision_form=form), status=400)


class LeaseActionView(PolicyRequiredMixin, View):
    http_method_names = ["post"]
    policy_action = "facilities.manage_anchor"

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
                tenancy.lease_activate(lease=lease)
            elif action == "renew":
                form = RenewForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("A lease is renewed for 1 to 60 months."))
                tenancy.lease_renew(lease=lease, months=form.cleaned_data["months"])
            elif action == "terminate":
                form = TerminateForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give the last day and a reason."))
                tenancy.lease_terminate(lease=lease, today=timezone.localdate(), **form.cleaned_data)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("The lease was updated."))
        return redirect("facilities:tenants", slug=lease.space.anchor.slug)


class EvidenceReviewView(PolicyRequiredMixin, TemplateView):
    """Staff check the documents makers upload for their category; accepting one turns on the discount."""

    template_name = "facilities/evidence_review.html"
    policy_action = "facilities.review_evidence"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["pending"] = (
            CategoryEvidence.objects.filter(status="pending").select_related("user").order_by("uploaded_at")
        )
        ctx["recent"] = (
            CategoryEvidence.objects.exclude(status="pending")
            .select_related("user", "reviewed_by")
            .order_by("-reviewed_at")[:20]
        )
        return ctx

    def post(self, request):
        raw = request.POST.get("evidence", "")
        evidence = get_object_or_404(CategoryEvidence, pk=int(raw) if raw.isdigit() and len(raw) < 12 else 0)
        form = EvidenceReviewForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose accept or reject."))
            account_services.evidence_review(
                evidence=evidence,
                reviewer=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Review saved."))
        return redirect("facilities:evidence")


class EvidenceFileView(PolicyRequiredMixin, View):
    """Serve an evidence file to reviewers only, as a download that never runs in the browser."""

    policy_action = "facilities.review_evidence"

    def get(self, request, pk: int):
        evidence = get_object_or_404(CategoryEvidence.objects.select_related("user"), pk=pk)
        extension = evidence.file.name.rsplit(".", 1)[-1] if "." in evidence.file.name else "bin"
        return private_file_response(
            evidence.file,
            download_name=f"evidence-{evidence.pk}-{evidence.category}.{extension}",
            content_type=evidence.content_type,
        )


class ApplicationDocumentView(PolicyRequiredMixin, View):
    """A tenant application's business-plan PDF: the anchor's staff (who review it) and city admins only."""

    policy_action = "facilities.manage_anchor"

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
