from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.roles import Role, has_role

from .examples import examples_by_anchor, examples_confirm
from .models import (
    Anchor,
    AnchorContact,
    District,
    ManagementContract,
    Milestone,
    OfficerAssignment,
    StaffAssignment,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_en", "slug"]
    search_fields = ["name_ko", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class AnchorContactInline(admin.TabularInline):
    model = AnchorContact
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["date", "precision", "title_ko", "title_en", "attendees", "amount_won", "source"]


@admin.register(Anchor)
class AnchorAdmin(SimpleHistoryAdmin):
    list_display = ["name_ko", "name_en", "kind", "status", "district", "industry", "opened_on"]
    list_filter = ["kind", "status", "industry", "district"]
    search_fields = ["name_ko", "name_en", "official_name_ko", "address_ko", "lot_address_ko", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [AnchorContactInline, MilestoneInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    history_list_display = ["status", "cost_won"]


@admin.register(ManagementContract)
class ManagementContractAdmin(SimpleHistoryAdmin):
    list_display = ["anchor", "year", "contractor_ko", "amount_won", "starts_on", "ends_on"]
    list_filter = ["year", "anchor"]
    search_fields = ["contractor_ko", "contractor_en", "anchor__name_ko", "anchor__name_en"]
    autocomplete_fields = ["anchor"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["date", "precision", "anchor", "title_ko", "source"]
    list_filter = ["precision", "anchor", "source"]
    search_fields = ["title_ko", "title_en", "detail_ko", "detail_en"]
    date_hierarchy = "date"


@admin.register(AnchorContact)
class AnchorContactAdmin(admin.ModelAdmin):
    list_display = ["anchor", "organisation_ko", "role_ko", "name", "phone"]
    list_filter = ["anchor"]
    search_fields = ["organisation_ko", "organisation_en", "name", "phone", "email"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "anchor", "created_at"]
    list_filter = ["anchor"]
    search_fields = ["user__email", "user__full_name", "anchor__name_ko", "anchor__name_en"]
    autocomplete_fields = ["user", "anchor"]


@admin.register(OfficerAssignment)
class OfficerAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "district", "created_at"]
    list_filter = ["district"]
    search_fields = ["user__email", "user__full_name", "district__name_ko", "district__name_en"]
    autocomplete_fields = ["user", "district"]


def examples_view(request):
    """The admin's "Example data" page: per anchor, what is still an example; one button confirms an anchor's."""
    if not (request.user.is_superuser or has_role(request.user, Role.CITY_ADMIN)):
        raise PermissionDenied
    if request.method == "POST":
        slug = request.POST.get("anchor", "")
        anchor = Anchor.objects.filter(slug=slug).first() if slug else None
        if slug and anchor is None:
            messages.error(request, gettext("No such anchor."))
            return redirect("admin_examples")
        n = examples_confirm(anchor=anchor, by=request.user, now=timezone.now())
        messages.success(
            request,
            gettext("%(n)s example rows of %(what)s confirmed.")
            % {"n": n, "what": anchor.name if anchor else gettext("all of Seoul")},
        )
        return redirect("admin_examples")
    rows, seoul_values, seoul_records = examples_by_anchor()
    context = {
        **admin.site.each_context(request),
        "title": gettext("Example data"),
        "rows": rows,
        "seoul_values": seoul_values,
        "seoul_records": seoul_records,
    }
    return render(request, "admin/examples.html", context)
