"""The budget book, its execution and an anchor's cost beside what it delivered: the very tables the budget pages
show and export (budgets.views builds them; its CSV and XLSX exports write the same headers and cells). Public, as
the pages are; no payee is in any of these tables."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from anchors.models import Anchor
from budgets import selectors as budget_selectors
from budgets.models import Project
from budgets.tables import Table
from budgets.views import delivery_tables, execution_page, summary_tables
from common.time import FIRST_YEAR, LAST_YEAR

from .authentication import request_now
from .views import ApiView


class TableSerializer(serializers.Serializer):
    title = serializers.CharField()
    unit = serializers.CharField(help_text="The unit of the table's figures (e.g. thousand won).")
    headers = serializers.ListField(child=serializers.CharField(), help_text="As the CSV and XLSX exports write them.")
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField(), help_text="A figure, a text or null (blank)."),
        help_text="As the exports write them: a budget-book cell is two columns, the figure and its national share.",
    )
    notes = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Where the source disagrees with itself.")


class TablesSerializer(serializers.Serializer):
    tables = TableSerializer(many=True)


def tables_data(tables: list[Table]) -> dict[str, Any]:
    return {
        "tables": [
            {
                "title": str(t.title),
                "unit": str(t.unit),
                "headers": [str(h) for h in t.export_headers()],
                "rows": [
                    [c if isinstance(c, int | float | type(None)) else str(c) for c in row] for row in t.export_rows()
                ],
                "notes": [str(n) for n in t.notes],
                "warnings": [str(w) for w in t.warnings],
            }
            for t in tables
        ]
    }


def _project() -> Project:
    try:
        return budget_selectors.project()
    except Project.DoesNotExist as err:
        raise Http404(_("The budget book has not been loaded yet.")) from err


def _year(project: Project, year: int) -> int:
    if year not in budget_selectors.budget_years(project):
        raise Http404(_("There is no budget for that year."))
    return year


class BudgetYears(ApiView):
    """The years the budget book holds."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response({"years": budget_selectors.budget_years(_project())})


class BudgetSummary(ApiView):
    """예산 총괄, 산출근거 and 추진일정 of a year, as the budget book prints them (the summary page's tables)."""

    @extend_schema(responses=TablesSerializer)
    def get(self, request: Request, year: int) -> Response:
        project = _project()
        return Response(tables_data(summary_tables(project, _year(project, year))))


class BudgetExecution(ApiView):
    """Execution per item and per line, and the monthly cumulative curve (the execution page's tables)."""

    @extend_schema(responses=TablesSerializer)
    def get(self, request: Request, year: int) -> Response:
        project = _project()
        return Response(tables_data(execution_page(project, _year(project, year))["tables"]))


class AnchorBudget(ApiView):
    """What an anchor was budgeted and spent beside what it delivered, for a year or a month (the per-anchor
    budget page's tables). Blank (null) where the portal has nothing to count."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="2000–2100; this year by default."),
            OpenApiParameter("month", OpenApiTypes.INT, description="1–12; the whole year when absent."),
        ],
        responses=TablesSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        anchor = get_object_or_404(Anchor.objects.select_related("district"), slug=slug)
        query = AnchorBudgetQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate(request_now(request)).year
        month = query.validated_data.get("month")
        d = budget_selectors.anchor_delivery(anchor=anchor, year=year, month=month)
        when = f"{year}-{month:02d}" if month else str(year)
        return Response(tables_data(delivery_tables(d, when, anchor)))


class AnchorBudgetQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    month = serializers.IntegerField(min_value=1, max_value=12, required=False)
