from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import Attendance, Outcome, Programme, Registration, Session
from .resources import RegistrationResource


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    readonly_fields = ["reservation"]
    fields = ["space", "starts_at", "ends_at", "reservation"]

    def has_add_permission(self, request, obj=None):
        return False  # sessions book a room through the reservation rules: add them on the programme's staff page


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title_ko", "anchor", "kind", "capacity", "fee_won", "is_published", "is_example"]
    list_filter = ["anchor", "kind", "is_published", "is_example"]
    search_fields = ["title_ko", "title_en", "description_ko"]
    inlines = [SessionInline]


@admin.register(Registration)
class RegistrationAdmin(ImportExportModelAdmin):
    resource_classes = [RegistrationResource]
    list_display = ["programme", "user", "status", "created_at", "promoted_at"]
    list_filter = ["status", "programme__anchor"]
    search_fields = ["user__email", "user__full_name", "programme__title_ko"]
    list_select_related = ["programme", "user"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "registration", "attended", "result"]
    list_filter = ["attended", "result"]
    search_fields = ["registration__user__email"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["programme", "participants", "matches", "jobs_created", "satisfaction"]
    search_fields = ["programme__title_ko"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["programme", "space", "starts_at", "ends_at"]
    list_filter = ["space__anchor"]
    search_fields = ["programme__title_ko"]
    readonly_fields = ["reservation"]

    def has_add_permission(self, request):
        return False
