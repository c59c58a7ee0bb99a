"""Tenancy in the admin: companies and their members are edited here (the status follows the leases); applications,
leases and yearly results are read-only (they are written by tenants.services from the pages and importers)."""

from __future__ import annotations

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import ApplicationReview, Lease, Membership, Organisation, TenantApplication, TenantKPI
from .resources import LeaseResource, OrganisationResource


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(ImportExportModelAdmin):
    readonly_fields = ["status"]  # applicant → tenant → graduated or exited follows its leases (tenants.services)
    resource_classes = [OrganisationResource]
    list_display = ["name", "business_registration_number", "representative", "industry", "status", "is_example"]
    list_filter = ["status", "is_example"]
    search_fields = ["name", "business_registration_number", "representative"]
    inlines = [MembershipInline]


class ApplicationReviewInline(ReadOnlyInline):
    model = ApplicationReview
    fields = ["reviewer", "score", "comment"]
    readonly_fields = fields


@admin.register(TenantApplication)
class TenantApplicationAdmin(ReadOnlyAdmin):
    """Applications are scored and decided on the application's staff page (tenants.services)."""

    list_display = ["organisation", "anchor", "status", "wanted_from", "created_at"]
    list_filter = ["status", "anchor"]
    search_fields = ["organisation__name", "business_plan"]
    inlines = [ApplicationReviewInline]


@admin.register(Lease)
class LeaseAdmin(ReadOnlyAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """Leases are made by approving an application or by importing a file, both through lease_create; started,
    renewed and ended on the tenant board."""

    resource_classes = [LeaseResource]
    list_display = ["space", "organisation", "starts_on", "ends_on", "monthly_fee_won", "status", "is_example"]
    list_filter = ["status", "space__anchor", "is_example"]
    search_fields = ["organisation__name", "space__name_ko"]


@admin.register(TenantKPI)
class TenantKPIAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Entered on the tenant board (tenants.services.tenant_kpi_save)."""

    list_display = ["organisation", "anchor", "year", "sales_won", "hires", "prototypes", "products_launched"]
    list_filter = ["anchor", "year"]
    search_fields = ["organisation__name"]
