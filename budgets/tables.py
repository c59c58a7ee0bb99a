"""Tables shown on the budget pages and exported to XLSX and CSV from the same objects, so the figures match."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from common.exports import neutralise


@dataclass
class Table:
    title: str
    unit: str  # shown on the page and written in the export
    headers: list[str]
    rows: list[list] = field(default_factory=list)  # cells: str, int (already in the table's unit), or None for blank
    links: list[str | None] = field(default_factory=list)  # optional drill-down link per row
    emphasis: set[int] = field(default_factory=set)  # rows to show in bold (totals)

    @property
    def display(self) -> list[tuple[str, list, str | None, bool]]:
        """(label, figures, link, bold) per row, for the page template."""
        return [
            (row[0], row[1:], self.links[i] if i < len(self.links) else None, i in self.emphasis)
            for i, row in enumerate(self.rows)
        ]


def xlsx_response(tables: list[Table], filename: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(tables), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def xlsx_bytes(tables: list[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for i, t in enumerate(tables, start=1):
        sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", f"{i}. {t.title}")[:31])
        sheet.append([neutralise(t.title)])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([f"({t.unit})"])
        sheet.append([neutralise(h) for h in t.headers])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for r, row in enumerate(t.rows):
            sheet.append(["" if v is None else neutralise(v) for v in row])
            if r in t.emphasis:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
                    cell.alignment = Alignment(horizontal="right")
        for col in sheet.columns:
            width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
            sheet.column_dimensions[col[0].column_letter].width = min(max(width + 2, 10), 60)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def csv_response(tables: list[Table], filename: str) -> HttpResponse:
    buf = io.StringIO()
    writer = csv.writer(buf)
    for t in tables:
        writer.writerow([neutralise(t.title), f"({t.unit})"])
        writer.writerow([neutralise(h) for h in t.headers])
        for row in t.rows:
            writer.writerow(["" if v is None else neutralise(v) for v in row])
        writer.writerow([])
    response = HttpResponse(buf.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
