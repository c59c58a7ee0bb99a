"""The history of the budget figures, page by page: who changed what, when, old → new.

Four models keep history (simple-history); their changes are merged newest first. A page needs at most
`page × per page + 1` rows of each model, so a page is read without loading the whole history, and only its own
rows get their diff computed. Payments follow their own rule (`budgets.view_record`): a district officer sees the
changes of the payments of their district's anchors only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from anchors.models import Anchor
from anchors.policy import may

from .models import BudgetLine, ExecutionRecord, PlanRow, SettlementRow

PER_PAGE = 25
MAX_PAGE = 400  # 10,000 changes back; a larger number shows the last page there is
HISTORY_MODELS = (BudgetLine, PlanRow, SettlementRow, ExecutionRecord)


@dataclass
class HistoryPage:
    """One page of the merged history, with what templates/_pagination.html asks of a page (no total: counting
    the payments a user may see would mean reading them all)."""

    entries: list[dict[str, Any]]
    number: int
    has_next: bool
    paginator: None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(value: str | None) -> int:
    """The page asked for; anything that is not a page number is the first page."""
    return min(int(value), MAX_PAGE) if value and value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1


def _visible_payments(user: Any, need: int) -> list[Any]:
    """The newest `need` changes of payments the user may see, read in batches."""
    query = ExecutionRecord.history.select_related("history_user").order_by("-history_date", "-history_id")
    visible: list[Any] = []
    start = 0
    while len(visible) < need:
        batch = list(query[start : start + need])
        anchors = Anchor.objects.in_bulk({r.anchor_id for r in batch if r.anchor_id})
        for r in batch:
            r.anchor = anchors.get(r.anchor_id)
        visible += [r for r in batch if may(user, "budgets.view_record", r)]
        if len(batch) < need:
            break
        start += need
    return visible[:need]


def _entry(model: Any, rec: Any) -> dict[str, Any]:
    prev = rec.prev_record
    changes = rec.diff_against(prev).changes if prev is not None and rec.history_type == "~" else []
    return {
        "when": rec.history_date,
        "who": rec.history_user,
        "what": str(rec.instance),
        "type": rec.get_history_type_display(),
        "model": model._meta.verbose_name,
        "changes": [(model._meta.get_field(c.field).verbose_name, c.old, c.new) for c in changes],
    }


def history_page(*, user: Any, page: int, per_page: int = PER_PAGE) -> HistoryPage:
    need = page * per_page + 1
    rows: list[tuple[datetime, Any, Any]] = []
    for model in HISTORY_MODELS:
        if model is ExecutionRecord:
            records = _visible_payments(user, need)
        else:
            records = list(model.history.select_related("history_user").order_by("-history_date", "-history_id")[:need])
        rows += [(r.history_date, model, r) for r in records]
    rows.sort(key=lambda row: row[0], reverse=True)
    if page > 1 and len(rows) <= (page - 1) * per_page:  # past the end: the last page there is
        page = max(1, -(-len(rows) // per_page))
    start = (page - 1) * per_page
    window = rows[start : start + per_page]
    return HistoryPage(
        entries=[_entry(model, rec) for _when, model, rec in window],
        number=page,
        has_next=len(rows) > start + per_page,
    )
