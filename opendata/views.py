"""The public open-data page with its dashboard, and the files at stable addresses."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import charts, files, selectors, services
from .columns import columns

ANCHOR = selectors.ANCHOR


def _file(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # public data: any site's script may read it
    return response


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class OpenDataView(TemplateView):
    """What is published, how to read it (the data dictionary, the suppression rule, the licence) and the charts."""

    page_cache = "public"  # common/pagecache.py: the same for every visitor; a publication retires it
    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        months = list(selectors.published_months())
        english = translation.get_language() == "en"
        latest = months[0] if months else None
        ctx.update(
            months=months,
            latest=latest,
            meta=files.metadata(months=months, threshold=services.threshold(), now=now),
            columns=columns(),
            english=english,
            licence=files.LICENCE,
        )
        if latest is not None:
            series = selectors.utilisation_series()
            ctx["month_chart"] = charts.utilisation_by_month(
                series,
                title=_("Utilisation by month"),
                description=_("Booked hours as a share of open hours, per anchor, for each published month."),
                empty=_("No figure yet: no bookings counted in these months."),
            )
            series_months = sorted({month for points in series.values() for month, _v in points})
            ctx["series_months"] = series_months
            ctx["series_table"] = [
                (name, [dict(points).get(month) for month in series_months]) for name, points in series.items()
            ]
            name_key = "anchor_name_en" if english else "anchor_name_ko"
            kind_key = "kind_name_en" if english else "kind_name_ko"
            anchor_order = {name: i for i, name in enumerate(series)}
            kinds = [r for r in latest.rows if r.get("level") != ANCHOR]
            ctx["kind_charts"] = [
                charts.utilisation_by_kind(
                    [
                        (r.get(kind_key, ""), r.get("utilisation_pct"))
                        for r in kinds
                        if r.get("anchor") == head.get("anchor")
                    ],
                    title=_("%(anchor)s: utilisation by space and machine kind, %(month)s")
                    % {"anchor": head.get(name_key, ""), "month": latest.label},
                    description=_("Booked hours as a share of open hours for each kind of room and machine."),
                    colour_index=anchor_order.get(head.get(name_key, ""), 0),
                    ident=f"util-kinds-{i}",
                )
                for i, head in enumerate(r for r in latest.rows if r.get("level") == ANCHOR)
            ]
            ctx["has_examples"] = any(r.get("example_data") for r in latest.rows)
            ctx["kind_rows"] = kinds
            ctx["anchor_rows"] = [r for r in latest.rows if r.get("level") == ANCHOR]
        return ctx


class MonthFileView(View):
    page_cache = "public"
    fmt = "csv"

    def get(self, request, year: str, month: str):
        m = selectors.published_month(year=int(year), month=int(month))
        if m is None:
            raise Http404(_("That month has not been published."))
        if self.fmt == "csv":
            return _file(files.csv_text(m.rows), "text/csv", files.month_filename(m, "csv"))
        payload = {
            "title": {"ko": files.TITLE_KO, "en": files.TITLE_EN},
            "month": m.label,
            "generated_at": timezone.localtime(m.generated_at).isoformat(),
            "suppression_threshold": m.threshold,
            "licence": files.LICENCE,
            "columns": files.column_dictionary(),
            "rows": m.rows,
        }
        return _file(files.json_text(payload), "application/json", files.month_filename(m, "json"))


class SeriesFileView(View):
    page_cache = "public"
    fmt = "csv"

    def get(self, request):
        rows = selectors.series_rows()
        if self.fmt == "csv":
            return _file(files.csv_text(rows), "text/csv", "anchor-utilisation.csv")
        months = list(selectors.published_months())
        payload = {
            "title": {"ko": files.TITLE_KO, "en": files.TITLE_EN},
            "months": sorted(m.label for m in months),
            "licence": files.LICENCE,
            "columns": files.column_dictionary(),
            "rows": rows,
        }
        return _file(files.json_text(payload), "application/json", "anchor-utilisation.json")


class MetadataView(View):
    page_cache = "public"

    def get(self, request):
        months = list(selectors.published_months())
        meta = files.metadata(months=months, threshold=services.threshold(), now=timezone.now(), base=_base(request))
        return _file(files.json_text(meta), "application/json", "metadata.json")


class ColumnsView(View):
    page_cache = "public"

    def get(self, request):
        return _file(files.dictionary_csv(), "text/csv", "columns.csv")
