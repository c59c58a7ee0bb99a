"""Tables shown on the budget pages and exported to XLSX and CSV from the same objects, so the figures match."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from common.exports import neutralise


def signed(value: int) -> str:
    """A figure as budget books print it: thousands separators, △ for a decrease."""
    return f"△{-value:,}" if value < 0 else f"{value:,}"


@dataclass(frozen=True)
class Figure:
    """A budget-book cell: the figure, and above it the national share as the book prints it.

    `value` None is a blank cell. `national` None means the book prints no "(x …)" there; 0 is its "(x-)"."""

    value: int | None
    national: int | None = None

    @property
    def national_text(self) -> str:
        if self.national is None:
            return ""
        return "(x-)" if self.national == 0 else f"(x{signed(self.national)})"


@dataclass
class Table:
    title: str
    unit: str  # shown on the page and written in the export
    headers: list[str]
    rows: list[list] = field(default_factory=list)  # cells: str, int (in the table's unit), Figure, None for blank
    links: list[str | None] = field(default_factory=list)  # optional drill-down link per row
    emphasis: set[int] = field(default_factory=set)  # rows to show in bold (totals)
    notes: list[str] = field(default_factory=list)  # shown under the table and written below it in the export
    examples: set[int] = field(default_factory=set)  # rows holding example data (the sources give none)
    warnings: list[str] = field(default_factory=list)  # where the source disagrees with itself; page and export
    text: bool = False  # a table of text (left-aligned, line breaks kept) rather than figures

    @property
    def display(self) -> list[tuple[str, list, str | None, bool, bool]]:
        """(label, figures, link, bold, example) per row, for the page template."""
        return [
            (
                row[0],
                row[1:],
                self.links[i] if i < len(self.links) else None,
                i in self.emphasis,
                i in self.examples,
            )
            for i, row in enumerate(self.rows)
        ]

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        """(header, numeric) per column: a column is right-aligned when every cell it holds is a figure."""

        def numeric(c: int) -> bool:
            values = [row[c] for row in self.rows if c < len(row) and row[c] not in (None, "")]
            return bool(values) and all(
                isinstance(v, Figure | int | float | Decimal) and not isinstance(v, bool) for v in values
            )

        return [(h, c > 0 and not self.text and numeric(c)) for c, h in enumerate(self.headers)]

    def _figure_columns(self) -> set[int]:
        return {c for row in self.rows for c, v in enumerate(row) if isinstance(v, Figure)}

    def export_headers(self) -> list[str]:
        """The headers of the export: a column of Figures becomes two, the figure and its national share; a table
        with example rows gains a column that says which."""

        figures = self._figure_columns()
        out = []
        for c, h in enumerate(self.headers):
            out.append(h)
            if c in figures:
                out.append(_("%(column)s, national share") % {"column": h})
        if self.examples:
            out.append(_("Example data"))
        return out

    def export_rows(self) -> list[list]:

        figures = self._figure_columns()
        out = []
        for i, row in enumerate(self.rows):
            cells = []
            for c, v in enumerate(row):
                if c in figures:
                    f = v if isinstance(v, Figure) else Figure(v)
                    cells.extend([f.value, f.national_text or None])
                else:
                    cells.append(v)
            if self.examples:
                cells.append(_("example") if i in self.examples else None)
            out.append(cells)
        return out


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
        sheet.append([neutralise(h) for h in t.export_headers()])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for r, row in enumerate(t.export_rows()):
            sheet.append(["" if v is None else neutralise(v) for v in row])
            if r in t.emphasis:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        for note in [*t.warnings, *t.notes]:
            sheet.append([neutralise(note)])
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
        writer.writerow([neutralise(h) for h in t.export_headers()])
        for row in t.export_rows():
            writer.writerow(["" if v is None else neutralise(v) for v in row])
        for note in [*t.warnings, *t.notes]:
            writer.writerow([neutralise(note)])
        writer.writerow([])
    response = HttpResponse(buf.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
