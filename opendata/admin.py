"""Published months in the admin site: seen, published (a month is chosen, the service computes it) and published
again; the rows themselves are never edited by hand."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import ServiceAdmin

from . import services
from .models import OpenDataMonth


class PublishForm(forms.ModelForm):
    class Meta:
        model = OpenDataMonth
        fields = ["year", "month"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            reason = services.why_not_publish(year=self.instance.year, month=self.instance.month, now=timezone.now())
            if reason:
                self.add_error("month", reason)


@admin.action(description=_("Publish the selected months again"), permissions=["add"])
def publish_again(modeladmin, request, queryset):
    now = timezone.now()
    done = 0
    for m in queryset:
        services.publish_month(year=m.year, month=m.month, now=now)
        done += 1
    modeladmin.message_user(
        request,
        ngettext("%(n)s month was published again.", "%(n)s months were published again.", done) % {"n": done},
        messages.SUCCESS,
    )


@admin.register(OpenDataMonth)
class OpenDataMonthAdmin(ServiceAdmin):
    list_display = ["__str__", "generated_at", "threshold", "row_count"]
    actions = [publish_again]
    form = PublishForm

    @admin.display(description=_("rows"))
    def row_count(self, obj: OpenDataMonth) -> int:
        return len(obj.rows)

    def get_readonly_fields(self, request, obj=None):
        return ["year", "month", "generated_at", "threshold"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # published months are not edited

    def service_save(self, request, obj, form, change):
        published = services.publish_month(year=obj.year, month=obj.month, now=timezone.now())  # checked by the form
        obj.pk, obj.rows, obj.generated_at, obj.threshold = (
            published.pk,
            published.rows,
            published.generated_at,
            published.threshold,
        )
