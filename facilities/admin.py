from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdmin, ReadOnlyInline, confirm_examples
from common.forms import form_errors_from

from . import selectors, services
from .models import (
    CategoryDiscount,
    Certification,
    Closure,
    Equipment,
    EquipmentKind,
    InventoryItem,
    InventoryLoan,
    MaintenanceLog,
    OpeningHours,
    OpeningHoursException,
    RateRule,
    RateTable,
    RateTableVersion,
    Space,
    SpacePhoto,
)
from .resources import EquipmentResource, InventoryItemResource, RateRuleResource, SpaceResource


class SpacePhotoInline(admin.TabularInline):
    model = SpacePhoto
    extra = 0


@admin.register(Space)
class SpaceAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    actions = [confirm_examples]
    resource_classes = [SpaceResource]
    list_display = ["name_ko", "name_en", "anchor", "kind", "bookable", "requires_approval", "is_example"]
    list_filter = ["anchor", "kind", "bookable", "requires_approval", "is_example"]
    search_fields = ["name_ko", "name_en", "slug", "anchor__name_ko", "anchor__name_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [SpacePhotoInline]
    list_select_related = ["anchor"]


@admin.register(EquipmentKind)
class EquipmentKindAdmin(SimpleHistoryAdmin):
    actions = [confirm_examples]
    list_display = ["name_ko", "name_en", "requires_certification", "certification_valid_months", "is_example"]
    list_filter = ["requires_certification", "is_example"]
    search_fields = ["name_ko", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class MaintenanceLogInline(ReadOnlyInline):
    """Faults and status changes are recorded on the equipment's page, through the equipment services."""

    model = MaintenanceLog
    fields = [
        "created_at",
        "kind",
        "description",
        "reported_by",
        "status_from",
        "status_to",
        "resolved_at",
        "resolution",
    ]
    readonly_fields = fields


@admin.register(Equipment)
class EquipmentAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    actions = [confirm_examples]
    resource_classes = [EquipmentResource]
    list_display = ["asset_tag", "name_ko", "kind", "space", "status", "is_example"]
    list_filter = ["space__anchor", "kind", "status", "is_example"]
    search_fields = ["asset_tag", "name_ko", "name_en", "make", "model_name"]
    list_select_related = ["space__anchor", "kind"]
    autocomplete_fields = ["space", "kind"]
    inlines = [MaintenanceLogInline]

    def get_readonly_fields(self, request, obj=None):
        # A status change is logged with its reason by equipment_set_status, on the equipment's page.
        return ["status"] if obj is not None else []


@admin.register(MaintenanceLog)
class MaintenanceLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "equipment", "kind", "reported_by", "resolved_at"]
    list_filter = ["kind", "equipment__space__anchor", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["description", "resolution", "equipment__asset_tag", "equipment__name_ko"]
    list_select_related = ["equipment", "reported_by"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Granted by a training pass or on the certifications page, revoked there with a reason (facilities.services)."""

    list_display = ["user", "kind", "granted_on", "expires_on", "granted_at_anchor", "revoked_at"]
    list_filter = ["kind", "granted_at_anchor", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "reason", "revoke_reason"]
    list_select_related = ["user", "kind", "granted_at_anchor"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(SimpleHistoryAdmin):
    actions = [confirm_examples]
    list_display = ["anchor", "weekday", "opens", "closes", "is_example"]
    list_filter = ["anchor", "weekday", "is_example"]
    search_fields = ["anchor__name_ko", "anchor__name_en"]


@admin.register(OpeningHoursException)
class OpeningHoursExceptionAdmin(admin.ModelAdmin):
    list_display = ["anchor", "date", "opens", "closes", "reason"]
    list_filter = ["anchor"]
    search_fields = ["reason", "anchor__name_ko"]
    date_hierarchy = "date"


@admin.register(Closure)
class ClosureAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Closures are made and removed on the anchor's closures page (facilities.services), which lists the bookings
    they affect."""

    list_display = ["anchor", "space", "starts_at", "ends_at", "reason", "created_by"]
    list_filter = ["anchor"]
    search_fields = ["reason", "anchor__name_ko", "space__name_ko"]
    date_hierarchy = "starts_at"


class InventoryLoanInline(ReadOnlyInline):
    model = InventoryLoan
    fields = ["borrower_name", "checked_out_at", "due_on", "returned_at"]
    readonly_fields = fields


@admin.register(InventoryItem)
class InventoryItemAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    actions = [confirm_examples]
    resource_classes = [InventoryItemResource]
    list_display = [
        "asset_tag",
        "name_ko",
        "anchor",
        "space",
        "quantity",
        "condition",
        "acquisition_cost_won",
        "disposed_on",
    ]
    list_filter = ["anchor", "condition", ("disposed_on", admin.EmptyFieldListFilter), "is_example"]
    search_fields = ["asset_tag", "name_ko", "name_en", "location_note", "budget_reference"]
    autocomplete_fields = ["space"]
    inlines = [InventoryLoanInline]
    list_select_related = ["anchor", "space"]


@admin.register(InventoryLoan)
class InventoryLoanAdmin(ReadOnlyAdmin):
    """Loans are checked out and returned on the anchor's inventory page (facilities.services)."""

    list_display = ["item", "borrower_name", "checked_out_at", "due_on", "returned_at"]
    list_filter = [("returned_at", admin.EmptyFieldListFilter), "item__anchor"]
    search_fields = ["borrower_name", "item__asset_tag", "item__name_ko"]


# --- rate tables ---------------------------------------------------------------------------------


class LockedWhenInEffectMixin:
    """A version in effect (and its rules and discounts) is read-only: it may have priced bookings."""

    @staticmethod
    def _locked(obj) -> bool:
        version = obj if isinstance(obj, RateTableVersion) else getattr(obj, "version", None)
        return version is not None and services.rate_version_is_locked(version, today=timezone.localdate())

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


class LockedInlineMixin(LockedWhenInEffectMixin):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._locked(obj)


class NotInEffectVersionForm(forms.ModelForm):
    """Adding a rule or discount straight to a version already in effect is refused with a message."""

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if version is not None:
            try:
                services.rate_version_refuse_if_locked(version, today=timezone.localdate())
            except ValidationError as err:
                raise ValidationError(err.messages) from err
        return cleaned


class RateRuleInlineForm(forms.ModelForm):
    class Meta:
        model = RateRule
        fields = [
            "space",
            "equipment_kind",
            "unit",
            "base_price_won",
            "evening_surcharge_pct",
            "weekend_surcharge_pct",
            "holiday_surcharge_pct",
            "deposit_won",
            "note_ko",
            "note_en",
        ]


class RateRuleInline(LockedInlineMixin, admin.TabularInline):
    model = RateRule
    form = RateRuleInlineForm
    extra = 0
    autocomplete_fields = ["space", "equipment_kind"]


class CategoryDiscountInline(LockedInlineMixin, admin.TabularInline):
    model = CategoryDiscount
    extra = 0


class VersionInline(admin.TabularInline):
    model = RateTableVersion
    fields = ["effective_from", "basis_ko", "is_example", "edit_link"]
    readonly_fields = ["effective_from", "basis_ko", "is_example", "edit_link"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("open"))
    def edit_link(self, obj):
        url = reverse("admin:facilities_ratetableversion_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(RateTable)
class RateTableAdmin(admin.ModelAdmin):
    list_display = ["anchor"]
    search_fields = ["anchor__name_ko", "anchor__name_en"]
    inlines = [VersionInline]


class CopyVersionForm(forms.Form):
    effective_from = forms.DateField(label=_("takes effect on"), widget=forms.DateInput(attrs={"type": "date"}))
    basis_ko = forms.CharField(label=_("basis (Korean)"), max_length=300)
    basis_en = forms.CharField(label=_("basis (English)"), max_length=300, required=False)


@admin.register(RateTableVersion)
class RateTableVersionAdmin(LockedWhenInEffectMixin, SimpleHistoryAdmin):
    actions = [confirm_examples]
    list_display = ["table", "effective_from", "basis_ko", "is_draft", "is_example", "in_effect"]
    list_filter = ["table__anchor", "is_draft", "is_example"]
    search_fields = ["basis_ko", "basis_en", "table__anchor__name_ko", "table__anchor__name_en"]
    inlines = [RateRuleInline, CategoryDiscountInline]
    change_form_template = "admin/facilities/ratetableversion/change_form.html"
    object_history_template = "admin/facilities/ratetableversion/object_history.html"
    readonly_fields = ["created_by", "is_draft"]

    @admin.display(boolean=True, description=_("in effect or past"))
    def in_effect(self, obj):
        return services.rate_version_is_locked(obj, today=timezone.localdate())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.is_draft = True  # a new version is published with the publish button, once its prices are in
        super().save_model(request, obj, form, change)

    def history_view(self, request, object_id, extra_context=None):
        """The version's history, with its prices' changes (they are edited as rules) old → new."""
        version = get_object_or_404(RateTableVersion, pk=object_id)
        extra = {**(extra_context or {}), "rule_changes": selectors.version_rule_changes(version)}
        return super().history_view(request, object_id, extra_context=extra)

    def publish_view(self, request, pk: int):
        version = get_object_or_404(RateTableVersion.objects.select_related("table__anchor"), pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, version):
            raise PermissionDenied
        try:
            services.rate_version_publish(version=version, today=timezone.localdate())
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(
                request,
                _("Published: the rate page shows the new prices, and fees from %(date)s use them.")
                % {"date": version.effective_from.isoformat()},
            )
        return redirect("admin:facilities_ratetableversion_change", version.pk)

    def get_urls(self):
        return [
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="facilities_ratetableversion_publish",
            ),
            path("<int:pk>/copy/", self.admin_site.admin_view(self.copy_view), name="facilities_ratetableversion_copy"),
            path("<int:pk>/diff/", self.admin_site.admin_view(self.diff_view), name="facilities_ratetableversion_diff"),
            *super().get_urls(),
        ]

    def copy_view(self, request, pk: int):
        version = get_object_or_404(RateTableVersion.objects.select_related("table__anchor"), pk=pk)
        if not self.has_view_permission(request, version) or not request.user.has_perm(
            "facilities.add_ratetableversion"
        ):
            raise PermissionDenied
        form = CopyVersionForm(
            request.POST or None, initial={"basis_ko": version.basis_ko, "basis_en": version.basis_en}
        )
        if request.method == "POST" and form.is_valid():
            try:
                new = services.rate_version_copy(
                    version=version, created_by=request.user, today=timezone.localdate(), **form.cleaned_data
                )
            except ValidationError as err:
                form_errors_from(form, err)
            else:
                messages.success(
                    request, _("The new version was created as a draft: edit its prices below, then publish it.")
                )
                return redirect("admin:facilities_ratetableversion_change", new.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": version,
            "form": form,
            "title": _("Copy as a new version"),
        }
        return TemplateResponse(request, "admin/facilities/ratetableversion/copy.html", context)

    def diff_view(self, request, pk: int):
        version = get_object_or_404(RateTableVersion.objects.select_related("table__anchor"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        versions = selectors.rate_versions(anchor=version.table.anchor, include_drafts=True)
        idx = next(i for i, v in enumerate(versions) if v.pk == version.pk)
        other_pk = request.GET.get("against")
        previous = (
            next((v for v in versions if str(v.pk) == other_pk), None)
            if other_pk
            else (versions[idx - 1] if idx > 0 else None)
        )
        newer = next(v for v in versions if v.pk == version.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": version,
            "title": _("Differences between versions"),
            "newer": newer,
            "older": previous,
            "rows": selectors.version_diff(previous, newer) if previous else [],
            "versions": versions,
        }
        return TemplateResponse(request, "admin/facilities/ratetableversion/diff.html", context)


@admin.register(RateRule)
class RateRuleAdmin(LockedWhenInEffectMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [RateRuleResource]
    form = NotInEffectVersionForm
    list_display = [
        "version",
        "target",
        "unit",
        "base_price_won",
        "evening_surcharge_pct",
        "weekend_surcharge_pct",
        "holiday_surcharge_pct",
        "deposit_won",
    ]
    list_filter = ["version__table__anchor", "unit"]
    search_fields = ["space__name_ko", "equipment_kind__name_ko", "note_ko"]
    list_select_related = ["version__table__anchor", "space", "equipment_kind"]
    autocomplete_fields = ["space", "equipment_kind"]

    @admin.display(description=_("applies to"))
    def target(self, obj):
        return obj.target


@admin.register(CategoryDiscount)
class CategoryDiscountAdmin(LockedWhenInEffectMixin, SimpleHistoryAdmin):
    form = NotInEffectVersionForm
    list_display = ["version", "category", "percent"]
    list_filter = ["version__table__anchor", "category"]
    search_fields = ["category", "version__basis_ko"]
