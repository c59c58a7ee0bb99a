from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyInline, ServiceAdmin, confirm_examples

from . import services
from .models import (
    BudgetChange,
    BudgetLine,
    ExecutionRecord,
    ExpenseItem,
    LineShare,
    PlannedExecution,
    PlanRow,
    Project,
    ProjectContact,
    ProjectText,
    ScheduleEntry,
    SettlementRow,
)
from .resources import BudgetLineResource, PlanRowResource, SettlementRowResource


class ProjectContactInline(admin.TabularInline):
    model = ProjectContact
    extra = 0


class ProjectTextInline(admin.StackedInline):
    model = ProjectText
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name_ko", "code", "account_ko", "owner_department_ko", "total_cost_won"]
    search_fields = ["name_ko", "name_en", "code"]
    inlines = [ProjectContactInline, ProjectTextInline]


@admin.register(ExpenseItem)
class ExpenseItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ko", "name_en", "sort_order"]
    search_fields = ["code", "name_ko", "name_en"]


class ExecutionRecordInline(ReadOnlyInline):
    """Payments are recorded on their own admin page, where the anchor is checked against the line's shares."""

    model = ExecutionRecord
    fields = readonly_fields = ["date", "anchor", "amount_won", "payee", "description", "is_example"]
    show_change_link = True


class LineShareInline(ReadOnlyInline):
    """Shares are set on their own admin page, where they are checked against the line's amount."""

    model = LineShare
    fields = readonly_fields = ["anchor", "amount_won", "basis_ko", "is_example"]
    show_change_link = True


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = [
            "project",
            "year",
            "item",
            "amount_won",
            "national_won",
            "city_won",
            "district_won",
            "other_won",
            "basis_ko",
            "basis_en",
            "sort_order",
        ]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                services.line_amount_check(line=self.instance, amount_won=self.instance.amount_won)
            except ValidationError as err:
                self.add_error("amount_won", err.messages)


@admin.register(BudgetLine)
class BudgetLineAdmin(ServiceAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    form = BudgetLineForm
    resource_classes = [BudgetLineResource]
    list_display = ["year", "item", "basis_ko", "funded_anchors", "amount_won", "national_won", "city_won"]
    list_filter = ["year", "item", "shares__anchor"]
    search_fields = ["basis_ko", "basis_en"]
    inlines = [LineShareInline, ExecutionRecordInline]

    @admin.display(description=_("anchors funded"))
    def funded_anchors(self, obj):
        return ", ".join(s.anchor.name_ko for s in obj.shares.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("shares__anchor")

    def service_save(self, request, obj, form, change):
        services.budget_line_save(line=obj)


class LineShareForm(forms.ModelForm):
    class Meta:
        model = LineShare
        fields = ["line", "anchor", "amount_won", "basis_ko", "basis_en", "is_example"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            d = self.cleaned_data
            try:
                services.line_share_check(
                    line=d["line"], anchor=d["anchor"], amount_won=d["amount_won"], share=self.instance
                )
            except ValidationError as err:
                self.add_error(None, err.messages)


@admin.register(LineShare)
class LineShareAdmin(ServiceAdmin, SimpleHistoryAdmin):
    """How a line is split across anchors, with the basis; saved by budgets.services (the line locked first)."""

    form = LineShareForm
    list_display = ["line", "anchor", "amount_won", "basis_ko", "is_example"]
    list_filter = ["line__year", "anchor", "is_example"]
    actions = [confirm_examples]
    search_fields = ["basis_ko", "line__basis_ko", "anchor__name_ko"]
    list_select_related = ["line__item", "anchor"]

    def service_save(self, request, obj, form, change):
        d = form.cleaned_data
        saved = services.line_share_save(
            line=d["line"],
            anchor=d["anchor"],
            amount_won=d["amount_won"],
            basis_ko=d["basis_ko"],
            basis_en=d.get("basis_en", ""),
            is_example=d.get("is_example", False),
            share=obj if change else None,
        )
        obj.pk = saved.pk

    def service_delete(self, request, obj):
        services.line_share_delete(share=obj)


class ExecutionRecordForm(forms.ModelForm):
    class Meta:
        model = ExecutionRecord
        fields = ["line", "anchor", *services.RECORD_FIELDS]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                services.record_anchor(line=self.cleaned_data["line"], anchor=self.cleaned_data.get("anchor"))
            except ValidationError as err:
                self.add_error("anchor", err.messages)


@admin.register(ExecutionRecord)
class ExecutionRecordAdmin(ServiceAdmin, SimpleHistoryAdmin):
    form = ExecutionRecordForm
    list_display = ["date", "line", "anchor", "payee", "amount_won", "is_example"]
    list_filter = ["line__year", "line__item", "anchor", "is_example"]
    search_fields = ["payee", "description"]
    date_hierarchy = "date"
    list_select_related = ["line__item", "anchor"]

    def service_save(self, request, obj, form, change):
        d = form.cleaned_data
        saved = services.execution_record_save(
            line=d["line"],
            anchor=d.get("anchor"),
            record=obj if change else None,
            recorded_by=request.user,
            **{name: d[name] for name in services.RECORD_FIELDS if name in d},
        )
        obj.pk = saved.pk

    def service_delete(self, request, obj):
        services.execution_record_delete(record=obj)


@admin.register(PlanRow)
class PlanRowAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [PlanRowResource]
    list_display = ["project", "item", "total_won", "before_won", "year1_won", "year2_won", "after_won"]
    search_fields = ["item__name_ko"]


@admin.register(SettlementRow)
class SettlementRowAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [SettlementRowResource]
    list_display = [
        "project",
        "year",
        "final_won",
        "available_won",
        "executed_won",
        "carried_out_won",
        "unexecuted_won",
        "complete",
    ]
    list_filter = ["complete"]
    search_fields = ["source_note"]


@admin.register(ScheduleEntry)
class ScheduleEntryAdmin(SimpleHistoryAdmin):
    list_display = ["year", "activity_ko", "amount_won"]
    list_filter = ["year"]
    search_fields = ["activity_ko", "activity_en"]


@admin.register(BudgetChange)
class BudgetChangeAdmin(SimpleHistoryAdmin):
    list_display = ["line", "kind", "amount_won", "decided_on"]
    list_filter = ["kind"]
    search_fields = ["note"]


@admin.register(PlannedExecution)
class PlannedExecutionAdmin(admin.ModelAdmin):
    list_display = ["project", "year", "month", "cumulative_won", "is_example"]
    list_filter = ["year", "is_example"]
    search_fields = ["project__name_ko"]
