from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin

from common.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
from .models import Attendance, Outcome, Programme, Registration, Session, TrainingAlert
from .resources import RegistrationResource


class SessionInline(ReadOnlyInline):
    """Sessions hold their room through the reservation rules: add or move them on the programme's staff page."""

    model = Session
    fields = readonly_fields = ["space", "starts_at", "ends_at", "reservation"]


class ProgrammeAdminForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["anchor", *services.PROGRAMME_FIELDS, "is_example"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                services.programme_check(self.instance, now=timezone.now())
            except ValidationError as err:
                self.add_error(None, err.messages)


@admin.register(Programme)
class ProgrammeAdmin(ServiceAdmin):
    """Edited here, saved by programme_create / programme_update: places a room cannot hold are refused, and
    places added go to the waiting list at once."""

    form = ProgrammeAdminForm
    list_display = ["title_ko", "anchor", "kind", "capacity", "fee_won", "is_published", "is_example"]
    list_filter = ["anchor", "kind", "is_published", "is_example"]
    search_fields = ["title_ko", "title_en", "description_ko"]
    inlines = [SessionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["anchor"] if obj is not None else []

    def service_save(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.PROGRAMME_FIELDS if name in form.cleaned_data}
        if change:
            changed = {name: value for name, value in data.items() if name in form.changed_data}
            saved = services.programme_update(programme=obj, now=timezone.now(), **changed)
        else:
            saved = services.programme_create(
                anchor=form.cleaned_data["anchor"],
                created_by=request.user,
                is_example=form.cleaned_data.get("is_example", False),
                **data,
            )
        obj.pk = saved.pk


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin, ImportExportModelAdmin):
    """Registrations are made by makers, by staff on the programme page, or by importing a file: all through
    registration_create, so places and the waiting list hold."""

    resource_classes = [RegistrationResource]
    list_display = ["programme", "user", "status", "created_at", "promoted_at"]
    list_filter = ["status", "programme__anchor"]
    search_fields = ["user__email", "user__full_name", "programme__title_ko"]
    list_select_related = ["programme", "user"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    """Taken on the programme's staff page; a training pass grants the certification there."""

    list_display = ["session", "registration", "attended", "result"]
    list_filter = ["attended", "result"]
    search_fields = ["registration__user__email"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ["programme", "participants", "matches", "jobs_created", "satisfaction"]
    search_fields = ["programme__title_ko"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["programme", "space", "starts_at", "ends_at"]
    list_filter = ["space__anchor"]
    search_fields = ["programme__title_ko"]


@admin.register(TrainingAlert)
class TrainingAlertAdmin(ReadOnlyAdmin):
    """Makers' requests to be told of a training: made on the trainings page, closed when one is scheduled."""

    list_display = ["kind", "user", "created_at", "notified_at", "programme"]
    list_filter = ["kind", "notified_at"]
    search_fields = ["user__email", "kind__name_ko"]
    list_select_related = ["kind", "user", "programme"]
