"""How the admin site treats models whose writes belong to a service.

- `ReadOnlyAdmin`: the admin lists and shows the rows; nothing is added, changed or deleted here. The
  change is made where its service runs (a portal page, an admin action that calls the service).
- `ServiceAdmin`: the admin's form edits the row, but saving and deleting call the service
  (`service_save`, `service_delete`), whose rules then hold here as everywhere else. The form asks the
  service's own check in `clean()`, so a refusal shows on the form and nothing is written.

`tests/test_admin.py` walks every registered ModelAdmin and fails when a model that a service writes is
freely editable.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from common.examples import examples_confirm_rows


class ReadOnlyAdmin(admin.ModelAdmin):
    writes_through_service = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAdmin(admin.ModelAdmin):
    writes_through_service = True

    def save_model(self, request, obj, form, change):
        self.service_save(request, obj, form, change)

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.service_delete(request, obj)

    def service_save(self, request, obj, form, change) -> None:  # pragma: no cover - every subclass says how
        raise NotImplementedError

    def service_delete(self, request, obj) -> None:  # pragma: no cover
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        return type(self).service_delete is not ServiceAdmin.service_delete and super().has_delete_permission(
            request, obj
        )


@admin.action(description=gettext_lazy("Confirm as the anchor's own (no longer an example)"))
def confirm_examples(modeladmin, request, queryset):
    """On the list of a model holding example values: the chosen rows are confirmed, through the one service."""

    n = examples_confirm_rows(queryset=queryset, by=request.user, now=timezone.now())
    modeladmin.message_user(request, gettext("%(n)s rows confirmed.") % {"n": n}, messages.SUCCESS)
