"""Budget book import (XLSX/CSV) with consistency checks: a failed check rejects the whole file and names the
cell, the expected and the found value; nothing is written. Figures are given in the book's unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from facilities.resources import StrictForeignKeyWidget, StrictResource, WonWidget, parse_won

from . import services
from .models import BudgetLine, ExpenseItem, PlanRow, Project, SettlementRow

PLAN_COLUMNS = ("total_won", "before_won", "year1_won", "year2_won", "after_won")


class UnitWonWidget(WonWidget):
    """A figure in thousand or million won, stored as won."""

    def __init__(self, factor: int):
        super().__init__()
        self.factor = factor

    def clean(self, value, row=None, **kwargs):
        v = super().clean(value, row=row, **kwargs)
        return None if v is None else v * self.factor

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value // self.factor


class BookResource(StrictResource):
    """Money columns are in the book's unit (`won_factor`: 1,000 for thousand won, 1,000,000 for million won)."""

    won_factor = 1

    @classmethod
    def widget_from_django_field(cls, f, default=None):
        if f.name.endswith("_won"):
            return lambda **kw: UnitWonWidget(cls.won_factor)
        return super().widget_from_django_field(f, default)


def _project_field():
    return fields.Field(attribute="project", column_name="project", widget=StrictForeignKeyWidget(Project, "code"))


class PlanRowResource(BookResource):
    """The multi-year plan in million won; each row's total must be the sum of its years, and the total row
    (item left empty) each column's sum of the items."""

    project = _project_field()
    item = fields.Field(attribute="item", column_name="item", widget=StrictForeignKeyWidget(ExpenseItem, "code"))
    header_aliases = {"사업": "project", "목": "item", "계": "total_won", "기투자": "before_won", "이후": "after_won"}

    class Meta:
        model = PlanRow
        import_id_fields = ("project", "item")
        fields = (
            "project",
            "item",
            "sort_order",
            "total_won",
            "total_national_won",
            "before_label",
            "before_won",
            "before_national_won",
            "year1",
            "year1_won",
            "year1_national_won",
            "year2_won",
            "year2_national_won",
            "after_won",
            "after_national_won",
        )
        clean_model_instances = True

    won_factor = 1_000_000

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = list(dataset.headers or [])
        self._column_errors = {}
        if "item" not in headers:
            return
        rows = [dict(zip(headers, r, strict=False)) for r in dataset]

        def num(v) -> int:
            return parse_won(v) or 0

        items = [r for r in rows if str(r.get("item") or "").strip()]
        totals = [i for i, r in enumerate(rows) if not str(r.get("item") or "").strip()]
        for index in totals:
            for col in PLAN_COLUMNS:
                if col in headers:
                    try:
                        expected, found = sum(num(r.get(col)) for r in items), num(rows[index].get(col))
                    except ValueError:
                        continue  # a cell that is no number is reported on its own row
                    if expected != found:
                        self._column_errors.setdefault(index + 1, {})[col] = _(
                            "Total row, column %(col)s: the items add up to %(expected)s, the file says %(found)s."
                        ) % {"col": col, "expected": f"{expected:,}", "found": f"{found:,}"}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        errors = self._column_errors.get(kwargs.get("row_number"), {})
        if errors:
            raise ValidationError(dict(errors))

    def before_save_instance(self, instance, row, **kwargs):
        # The figures as the widgets read them ("47,476원", 47476.0), checked by the rule the plan page uses.
        if instance.years_sum_won != instance.total_won:
            raise ValidationError(
                {
                    "total_won": _("Row total: the years add up to %(expected)s, the file says %(found)s.")
                    % {
                        "expected": f"{instance.years_sum_won // 1_000_000:,}",
                        "found": f"{instance.total_won // 1_000_000:,}",
                    }
                }
            )
        super().before_save_instance(instance, row, **kwargs)


class SettlementRowResource(BookResource):
    """Settlement rows in thousand won; a complete row must satisfy both identities."""

    project = _project_field()
    header_aliases = {
        "연도": "year",
        "최종예산": "final_won",
        "전년이월": "carried_in_won",
        "예산변경": "change_won",
        "예산현액": "available_won",
        "집행액": "executed_won",
        "차년이월": "carried_out_won",
        "집행잔액": "unexecuted_won",
    }

    class Meta:
        model = SettlementRow
        import_id_fields = ("project", "year")
        fields = (
            "project",
            "year",
            "final_won",
            "final_national_won",
            "carried_in_won",
            "carried_in_national_won",
            "change_won",
            "change_national_won",
            "available_won",
            "available_national_won",
            "executed_won",
            "executed_national_won",
            "carried_out_won",
            "carried_out_national_won",
            "unexecuted_won",
            "unexecuted_national_won",
            "complete",
            "source_note",
        )
        clean_model_instances = True

    won_factor = 1_000

    def before_save_instance(self, instance, row, **kwargs):
        if instance.complete:
            sources, available, uses = instance.identity_sums()
            errors = {}
            if sources != available:
                errors["available_won"] = _(
                    "Available should be final + carried in ± change = %(expected)s; the file says %(found)s."
                ) % {"expected": f"{sources // 1000:,}", "found": f"{available // 1000:,}"}
            if uses != available:
                errors["unexecuted_won"] = _(
                    "Executed + carried out + unexecuted should be the available %(expected)s; it is %(found)s."
                ) % {"expected": f"{available // 1000:,}", "found": f"{uses // 1000:,}"}
            if errors:
                raise ValidationError(errors)
        super().before_save_instance(instance, row, **kwargs)


class BudgetLineResource(BookResource):
    """Budget lines in thousand won; the funding split must add up to the amount (also a database check)."""

    project = _project_field()
    item = fields.Field(attribute="item", column_name="item", widget=StrictForeignKeyWidget(ExpenseItem, "code"))
    header_aliases = {
        "연도": "year",
        "목": "item",
        "금액": "amount_won",
        "국비": "national_won",
        "시비": "city_won",
        "구비": "district_won",
        "기타": "other_won",
        "산출근거": "basis_ko",
    }

    class Meta:
        model = BudgetLine
        import_id_fields = ("project", "year", "item", "basis_ko")
        fields = (
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
        )
        clean_model_instances = True

    won_factor = 1_000

    def do_instance_save(self, instance, is_create):
        """Through the service every writer uses: the amount must still cover the line's shares."""

        services.budget_line_save(line=instance)
