from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    BudgetChange,
    BudgetLine,
    ExecutionRecord,
    ExpenseItem,
    PlannedExecution,
    PlanRow,
    Project,
    ScheduleEntry,
    SettlementRow,
)
from .resources import BudgetLineResource, PlanRowResource, SettlementRowResource


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name_ko", "code", "account_ko", "owner_department_ko", "total_cost_won"]
    search_fields = ["name_ko", "name_en", "code"]


@admin.register(ExpenseItem)
class ExpenseItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ko", "name_en", "sort_order"]
    search_fields = ["code", "name_ko", "name_en"]


class ExecutionRecordInline(admin.TabularInline):
    model = ExecutionRecord
    extra = 0
    fields = ["date", "amount_won", "payee", "description", "evidence", "is_example"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [BudgetLineResource]
    list_display = ["year", "item", "basis_ko", "anchor", "amount_won", "national_won", "city_won"]
    list_filter = ["year", "item", "anchor"]
    search_fields = ["basis_ko", "basis_en"]
    inlines = [ExecutionRecordInline]


@admin.register(ExecutionRecord)
class ExecutionRecordAdmin(SimpleHistoryAdmin):
    list_display = ["date", "line", "payee", "amount_won", "is_example"]
    list_filter = ["line__year", "line__item", "is_example"]
    search_fields = ["payee", "description"]
    date_hierarchy = "date"


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
    list_filter = ["year"]
    search_fields = ["project__name_ko"]
