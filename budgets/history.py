"""The history of the budget figures, page by page: who changed what, when, old → new.

Four models keep history (simple-history); their changes are merged newest first. A page needs at most
`page × per page + 1` rows of each model, so a page is read without loading the whole history, and only its own
rows get their diff computed: the record before each row comes from one window query per model (`_previous`),
and the names' related rows are loaded once per page, so a page takes the same few queries however long the
history is (`budgets/tests/test_pages.py` counts them). Payments follow their own rule (`budgets.view_record`): a district officer sees the
changes of the payments of their district's anchors only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import Lag

from anchors.models import Anchor
from anchors.policy import may

from .models import BudgetLine, ExecutionRecord, ExpenseItem, PlanRow, Project, SettlementRow

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


def _previous(model: Any, recs: list[Any]) -> dict[int, Any]:
    """For each history record of `recs`, the record just before it of the same object (2 queries, whatever the
    number of records or the length of each object's history)."""
    if not recs:
        return {}
    order = [F("history_date").asc(), F("history_id").asc()]
    wanted = {r.history_id for r in recs}
    # The window runs over the objects' whole histories (two integers a row); filtering the rows in SQL would
    # run it over the page's rows only and lose the record before the oldest one shown.
    pairs = {
        h: b
        for h, b in model.history.filter(id__in={r.id for r in recs})
        .annotate(before=Window(Lag("history_id"), partition_by=[F("id")], order_by=order))
        .values_list("history_id", "before")
        if h in wanted
    }
    earlier = model.history.in_bulk([b for b in pairs.values() if b is not None])
    return {h: earlier[b] for h, b in pairs.items() if b is not None and b in earlier}


# The related rows a record's name reads (`BudgetLine` and `PlanRow` name their item, `SettlementRow` its
# project), loaded once per page rather than once per row.
_NAMED_BY: dict[Any, tuple[str, Any]] = {
    BudgetLine: ("item", ExpenseItem),
    PlanRow: ("item", ExpenseItem),
    SettlementRow: ("project", Project),
}


def _entries(window: list[tuple[datetime, Any, Any]]) -> list[dict[str, Any]]:
    by_model: dict[Any, list[Any]] = {}
    for _when, model, rec in window:
        by_model.setdefault(model, []).append(rec)
    previous = {model: _previous(model, recs) for model, recs in by_model.items()}
    related: dict[Any, dict[int, Any]] = {}
    for model, (field, target) in _NAMED_BY.items():
        ids = {getattr(r, f"{field}_id") for r in by_model.get(model, [])} - {None}
        related[model] = target.objects.in_bulk(ids) if ids else {}
    entries = []
    for _when, model, rec in window:
        instance = rec.instance
        if model in _NAMED_BY:
            field = _NAMED_BY[model][0]
            setattr(instance, field, related[model].get(getattr(rec, f"{field}_id")))
        prev = previous[model].get(rec.history_id)
        changes = rec.diff_against(prev).changes if prev is not None and rec.history_type == "~" else []
        entries.append(
            {
                "when": rec.history_date,
                "who": rec.history_user,
                "what": str(instance),
                "type": rec.get_history_type_display(),
                "model": model._meta.verbose_name,
                "changes": [(model._meta.get_field(c.field).verbose_name, c.old, c.new) for c in changes],
            }
        )
    return entries


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
        entries=_entries(window),
        number=page,
        has_next=len(rows) > start + per_page,
    )
