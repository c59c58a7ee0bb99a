from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from anchors.mixins import PolicyRequiredMixin
from anchors.models import Anchor
from anchors.policy import may
from common.forms import form_errors_from
from common.pagination import paginate

from . import selectors, services
from .forms import (
    CertificationGrantForm,
    ClosureForm,
    EquipmentStatusForm,
    FaultReportForm,
    LoanForm,
    QuoteForm,
    ReasonForm,
)
from .impacts import closure_impact
from .models import Certification, Closure, Equipment, InventoryItem, InventoryLoan, MaintenanceLog
from .pricing import QuoteError
from .resources import InventoryItemResource


class AnchorScopedMixin(PolicyRequiredMixin):
    """Views under /anchors/<slug>/...; the anchor is fetched once and is the policy object."""

    def get_anchor(self) -> Anchor:
        if not hasattr(self, "_anchor"):
            self._anchor = get_object_or_404(Anchor.objects.select_related("district"), slug=self.kwargs["slug"])
        return self._anchor

    def get_policy_object(self):
        return self.get_anchor()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["anchor"] = self.get_anchor()
        ctx["can_manage"] = may(self.request.user, "facilities.manage_anchor", self.get_anchor())
        return ctx


# --- public pages --------------------------------------------------------------------------------


class AnchorFacilitiesView(AnchorScopedMixin, TemplateView):
    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session
    template_name = "facilities/anchor_facilities.html"
    policy_action = "anchors.view_anchor"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        today = timezone.localdate()
        ctx["spaces"] = selectors.anchor_spaces(anchor=anchor)
        ctx["trainings"] = selectors.required_trainings(anchor=anchor)
        ctx["week"] = selectors.anchor_hours(
            anchor=anchor, start=today, end=today + timedelta(days=13), language=self.request.LANGUAGE_CODE
        )
        ctx["hours_are_example"] = any(d.is_example for d in ctx["week"])
        return ctx


class SpaceDetailView(AnchorScopedMixin, TemplateView):
    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session
    template_name = "facilities/space_detail.html"
    policy_action = "anchors.view_anchor"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        space = selectors.anchor_spaces(anchor=self.get_anchor()).filter(slug=self.kwargs["space"]).first()
        if space is None:
            raise Http404(_("No such space at this anchor."))
        ctx["space"] = space
        return ctx


class RatesView(AnchorScopedMixin, TemplateView):
    """The current and next rate table in plain tables, and a fee calculator that quotes any booking."""

    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session

    template_name = "facilities/rate_table.html"
    policy_action = "anchors.view_anchor"

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("resource"):
            return ["facilities/_quote_result.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        versions = selectors.rate_versions(anchor=anchor)
        current, upcoming = selectors.current_and_next_version(versions, timezone.localdate())
        ctx.update(current=current, upcoming=upcoming)
        resources = selectors.quotable_resources(anchor=anchor)
        choices = [(key, label) for key, label, _obj in resources]
        form = QuoteForm(self.request.GET or None, resources=choices)
        ctx["form"] = form
        if form.is_bound and form.is_valid():
            resource = next(obj for key, _label, obj in resources if key == form.cleaned_data["resource"])
            category = form.cleaned_data["category"]
            try:
                ctx["quote"] = selectors.quote_for(
                    resource=resource,
                    start=form.cleaned_data["start_at"],
                    end=form.cleaned_data["end_at"],
                    categories=[category] if category else [],
                    versions=versions,
                )
                ctx["quoted_resource"] = resource
            except QuoteError as err:
                form.add_error(None, selectors.quote_error_message(err))
        return ctx


class EquipmentDetailView(PolicyRequiredMixin, TemplateView):
    page_cache = "public"  # common/pagecache.py: shared by visitors without a session, and kept per session
    template_name = "facilities/equipment_detail.html"
    policy_action = "anchors.view_anchor"

    def get_equipment(self) -> Equipment:
        if not hasattr(self, "_equipment"):
            self._equipment = get_object_or_404(
                Equipment.objects.select_related("space__anchor", "kind"), pk=self.kwargs["pk"]
            )
        return self._equipment

    def get_policy_object(self):
        return self.get_equipment().space.anchor

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        equipment = self.get_equipment()
        user = self.request.user
        ctx["equipment"] = equipment
        ctx["anchor"] = equipment.space.anchor
        ctx["can_manage"] = may(user, "facilities.manage_anchor", equipment.space.anchor)
        ctx["certified"] = selectors.user_is_certified(user=user, kind=equipment.kind)
        ctx["fault_form"] = kwargs.get("fault_form") or FaultReportForm()
        ctx["status_form"] = kwargs.get("status_form") or EquipmentStatusForm(initial={"status": equipment.status})
        if ctx["can_manage"]:
            ctx["log"] = paginate(
                self.request, equipment.maintenance_logs.select_related("reported_by").order_by("-created_at", "-pk")
            )
        return ctx


class EquipmentReportFaultView(EquipmentDetailView):
    page_cache = None  # a staff form: never cached
    http_method_names = ["post"]
    policy_action = "facilities.report_fault"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(self.get_equipment().get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_policy_object(self):
        return self.get_equipment()

    def post(self, request, *args, **kwargs):
        form = FaultReportForm(request.POST)
        if form.is_valid():
            try:
                services.equipment_report_fault(
                    equipment=self.get_equipment(),
                    reported_by=request.user,
                    description=form.cleaned_data["description"],
                    now=timezone.now(),
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("Thank you: the fault was reported to the staff."))
                return redirect(self.get_equipment().get_absolute_url())
        return self.render_to_response(self.get_context_data(fault_form=form), status=400)


class EquipmentStatusView(EquipmentDetailView):
    page_cache = None  # a staff form: never cached
    http_method_names = ["post"]
    policy_action = "facilities.manage_anchor"

    def post(self, request, *args, **kwargs):
        form = EquipmentStatusForm(request.POST)
        if form.is_valid():
            try:
                services.equipment_set_status(
                    equipment=self.get_equipment(), changed_by=request.user, now=timezone.now(), **form.cleaned_data
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("The equipment status was changed."))
                return redirect(self.get_equipment().get_absolute_url())
        return self.render_to_response(self.get_context_data(status_form=form), status=400)


class MaintenanceResolveView(PolicyRequiredMixin, View):
    http_method_names = ["post"]
    policy_action = "facilities.manage_anchor"

    def get_entry(self) -> MaintenanceLog:
        if not hasattr(self, "_entry"):
            self._entry = get_object_or_404(
                MaintenanceLog.objects.select_related("equipment__space__anchor"), pk=self.kwargs["pk"]
            )
        return self._entry

    def get_policy_object(self):
        return self.get_entry().equipment.space.anchor

    def post(self, request, *args, **kwargs):
        entry = self.get_entry()
        try:
            services.maintenance_resolve(
                entry=entry, resolved_by=request.user, resolution=request.POST.get("resolution", ""), now=timezone.now()
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Marked as resolved."))
        return redirect(entry.equipment.get_absolute_url())


# --- staff pages ---------------------------------------------------------------------------------


class ClosureListView(AnchorScopedMixin, TemplateView):
    """Closures of an anchor or one of its spaces, past and coming, with a form to add one."""

    template_name = "facilities/closure_list.html"
    policy_action = "facilities.manage_anchor"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        anchor = self.get_anchor()
        ctx["form"] = kwargs.get("form") or ClosureForm(anchor=anchor)
        now = timezone.now()
        qs = Closure.objects.filter(anchor=anchor).select_related("space", "created_by")
        ctx["upcoming"] = qs.filter(ends_at__gte=now).order_by("starts_at")
        ctx["past"] = paginate(self.request, qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk"))
        return ctx

    def post(self, request, *args, **kwargs):
        anchor = self.get_anchor()
        form = ClosureForm(request.POST, anchor=anchor)
        if form.is_valid() and request.POST.get("step") != "save":
            data = form.cleaned_data
            affected = closure_impact(anchor=anchor, space=data["space"], start=data["starts_at"], end=data["ends_at"])
            if affected:  # bookings in the way: show them and ask before saving (nothing is saved yet)
                return self.render_to_response(self.get_context_data(form=form, affected=affected, confirm=True))
        if form.is_valid():
            try:
                closure = services.closure_create(
                    anchor=anchor, created_by=request.user, now=timezone.now(), **form.cleaned_data
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("Closure saved: %(what)s.") % {"what": closure.space or anchor})
                # The desk (reservations app) lists the bookings the closure overlaps, to contact them.
                return redirect("reservations:closure_affected", slug=anchor.slug, pk=closure.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ClosureDeleteView(PolicyRequiredMixin, View):
    http_method_names = ["post"]
    policy_action = "facilities.manage_anchor"

    def get_closure(self) -> Closure:
        if not hasattr(self, "_closure"):
            self._closure = get_object_or_404(Closure.objects.select_related("anchor"), pk=self.kwargs["pk"])
        return self._closure

    def get_policy_object(self):
        return self.get_closure().anchor

    def post(self, request, *args, **kwargs):
        closure = self.get_closure()
        services.closure_delete(closure=closure)
        messages.success(request, _("The closure was removed."))
        return redirect("facilities:closures", slug=closure.anchor.slug)


class CertificationListView(PolicyRequiredMixin, TemplateView):
    template_name = "facilities/certification_list.html"
    policy_action = "facilities.manage_certifications"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()
        qs = Certification.objects.select_related("user", "kind", "granted_at_anchor").order_by("-granted_on", "-pk")
        if q:
            qs = qs.filter(user__email__icontains=q) | qs.filter(user__full_name__icontains=q)
        ctx["q"] = q
        ctx["certifications"] = paginate(self.request, qs)
        ctx["form"] = kwargs.get("form") or CertificationGrantForm()
        ctx["today"] = timezone.localdate()
        return ctx

    def post(self, request, *args, **kwargs):
        form = CertificationGrantForm(request.POST)
        if form.is_valid():
            maker = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
            if maker is None:
                form.add_error("email", _("No active account has this e-mail address."))
            else:
                anchors = selectors.staff_anchors(user=request.user)
                try:
                    services.certification_grant(
                        user=maker,
                        kind=form.cleaned_data["kind"],
                        granted_by=request.user,
                        reason=form.cleaned_data["reason"],
                        anchor=anchors[0] if len(anchors) == 1 else None,
                        now=timezone.now(),
                    )
                except ValidationError as err:
                    form_errors_from(form, err)
                else:
                    messages.success(request, _("Certification granted to %(name)s.") % {"name": maker.get_full_name()})
                    return redirect("facilities:certifications")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CertificationRevokeView(PolicyRequiredMixin, View):
    http_method_names = ["post"]
    policy_action = "facilities.manage_certifications"

    def post(self, request, pk: int):
        cert = get_object_or_404(Certification, pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for revoking."))
            return redirect("facilities:certifications")
        try:
            services.certification_revoke(
                certification=cert, revoked_by=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("The certification was revoked."))
        return redirect("facilities:certifications")


class InventoryListView(AnchorScopedMixin, TemplateView):
    template_name = "facilities/inventory_list.html"
    policy_action = "facilities.manage_anchor"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "csv"):
            dataset = InventoryItemResource().export(
                queryset=InventoryItem.objects.filter(anchor=self.get_anchor()).order_by("asset_tag")
            )
            body = dataset.xlsx if fmt == "xlsx" else dataset.csv.encode("utf-8-sig")
            content_type = (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if fmt == "xlsx"
                else "text/csv; charset=utf-8"
            )
            response = HttpResponse(body, content_type=content_type)
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="stocktake-{self.get_anchor().slug}-{stamp}.{fmt}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        open_loans = InventoryLoan.objects.filter(returned_at__isnull=True)
        ctx["items"] = (
            InventoryItem.objects.filter(anchor=self.get_anchor())
            .select_related("space")
            .prefetch_related(Prefetch("loans", queryset=open_loans, to_attr="open_loans"))
            .order_by("disposed_on", "asset_tag")
        )
        ctx["loan_form"] = LoanForm()
        ctx["today"] = timezone.localdate()
        return ctx


class InventoryCheckoutView(PolicyRequiredMixin, View):
    http_method_names = ["post"]
    policy_action = "facilities.manage_anchor"

    def get_item(self) -> InventoryItem:
        if not hasattr(self, "_item"):
            self._item = get_object_or_404(InventoryItem.objects.select_related("anchor"), pk=self.kwargs["pk"])
        return self._item

    def get_policy_object(self):
        return self.get_item().anchor

    def post(self, request, pk: int):
        item = self.get_item()
        form = LoanForm(request.POST)
        if form.is_valid():
            try:
                services.inventory_loan_checkout(
                    item=item, checked_out_by=request.user, now=timezone.now(), **form.cleaned_data
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(request, _("%(item)s is checked out.") % {"item": item.name})
                return redirect("facilities:inventory", slug=item.anchor.slug)
        errors = [
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".lstrip(": ")
            for f, e in form.errors.items()
        ]
        messages.error(request, _("The loan was not recorded. %(errors)s") % {"errors": " ".join(errors)})
        return redirect("facilities:inventory", slug=item.anchor.slug)


class InventoryReturnView(PolicyRequiredMixin, View):
    http_method_names = ["post"]
    policy_action = "facilities.manage_anchor"

    def get_loan(self) -> InventoryLoan:
        if not hasattr(self, "_loan"):
            self._loan = get_object_or_404(InventoryLoan.objects.select_related("item__anchor"), pk=self.kwargs["pk"])
        return self._loan

    def get_policy_object(self):
        return self.get_loan().item.anchor

    def post(self, request, pk: int):
        loan = self.get_loan()
        try:
            services.inventory_loan_return(loan=loan, returned_to=request.user, now=timezone.now())
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Returned: %(item)s.") % {"item": loan.item.name})
        return redirect("facilities:inventory", slug=loan.item.anchor.slug)
