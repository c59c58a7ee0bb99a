from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

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
