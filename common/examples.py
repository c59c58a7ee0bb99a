"""Example data: what the source documents do not give, shipped so that the portal works, and shown as an example
wherever a user meets it until the anchor confirms or replaces it.

One flag per record, `is_example`, drives every marker: the badge on pages (`templates/facilities/_example_badge.html`),
the "(example)" mark in e-mails, calendars, exports and PDFs (`mark`), and the note on a refusal that quotes an
example rule (`refusal`). A record whose values are examples carries the flag even when the record itself is
real (Geumcheon's sample room is real; its capacity and booking rules are not in the sources).

`EXAMPLE_VALUES` are the operating values an anchor confirms in one action (`examples_confirm`, from the admin's
"Example data" page); `EXAMPLE_RECORDS` are whole invented rows (tenants, payments, programmes) that are
replaced or deleted rather than confirmed, so that page lists them with a link and no confirm button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# (app label, model, path from the model to its anchor; None for records of all Seoul)
EXAMPLE_VALUES: list[tuple[str, str, str | None]] = [
    ("facilities", "Space", "anchor"),
    ("facilities", "Equipment", "space__anchor"),
    ("facilities", "OpeningHours", "anchor"),
    ("facilities", "RateTableVersion", "table__anchor"),
    ("facilities", "InventoryItem", "anchor"),
    ("reservations", "BookingPolicy", "anchor"),
    ("reservations", "Quota", "anchor"),
    ("budgets", "LineShare", "anchor"),
    ("facilities", "EquipmentKind", None),
]
EXAMPLE_RECORDS: list[tuple[str, str, str | None]] = [
    ("programs", "Programme", "anchor"),
    ("facilities", "Lease", "space__anchor"),
    ("budgets", "ExecutionRecord", "anchor"),
    ("accounts", "Organisation", None),
    ("budgets", "PlannedExecution", None),
]

EXAMPLE_HELP = gettext_lazy(
    "Example data: the source documents do not give these values; they stand until the anchor confirms or "
    "replaces them."
)


def mark(text: str, is_example: bool) -> str:
    """Plain text with the example mark, for e-mails, calendars, exports and PDFs: "10,000 won (example)"."""
    if not is_example:
        return str(text)
    note = _("(example)")
    return f"{text} {note}"


def refusal(message: str, is_example: bool) -> str:
    """A refusal that quotes an example rule says so: the maker should not take it for the anchor's own rule."""
    if not is_example:
        return message
    note = _("(This is an example rule: the sources give none, and the anchor has not confirmed it.)")
    return f"{message} {note}"


@dataclass
class ExampleCount:
    model: type
    label: str
    count: int
    changelist: str  # the admin list of the model, filtered to the examples


def _model(app_label: str, name: str):
    return apps.get_model(app_label, name)


def _changelist(model, path: str | None, anchor_id: int | None) -> str:
    from django.urls import reverse

    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + "?is_example__exact=1"
    if path and anchor_id:
        url += f"&{path}__id__exact={anchor_id}"
    return url


def examples_by_anchor() -> tuple[list[tuple], list[ExampleCount], list[ExampleCount]]:
    """Per anchor, how many example values and records it still holds (one grouped query per model), and the
    Seoul-wide ones. Returns (rows of (anchor, values, records)), Seoul-wide values, Seoul-wide records)."""
    from anchors.models import Anchor

    anchors = list(Anchor.objects.order_by("sort_order"))
    per_anchor: dict[int, tuple[list, list]] = {a.pk: ([], []) for a in anchors}
    seoul_values, seoul_records = [], []
    for kind, registry in ((0, EXAMPLE_VALUES), (1, EXAMPLE_RECORDS)):
        for app_label, name, path in registry:
            model = _model(app_label, name)
            label = str(model._meta.verbose_name_plural)
            if path is None:
                count = model.objects.filter(is_example=True).count()
                if count:
                    (seoul_values if kind == 0 else seoul_records).append(
                        ExampleCount(model, label, count, _changelist(model, None, None))
                    )
                continue
            counts = dict(
                model.objects.filter(is_example=True)
                .values(f"{path}__id")
                .annotate(n=Count("pk"))
                .values_list(f"{path}__id", "n")
            )
            for anchor_id, n in counts.items():
                if anchor_id in per_anchor and n:
                    per_anchor[anchor_id][kind].append(
                        ExampleCount(model, label, n, _changelist(model, path, anchor_id))
                    )
            if None in counts and counts[None]:
                (seoul_values if kind == 0 else seoul_records).append(
                    ExampleCount(model, label, counts[None], _changelist(model, None, None))
                )
    rows = [(a, *per_anchor[a.pk]) for a in anchors if any(per_anchor[a.pk])]
    return rows, seoul_values, seoul_records


@transaction.atomic
def examples_confirm(*, anchor=None, by, now: datetime) -> int:
    """The anchor confirms its example values as its own (or, with no anchor, the Seoul-wide ones): each row is
    locked, its flag cleared and saved, so the history says who confirmed what and when. Example records
    (tenants, payments, programmes) are not confirmed here: they are replaced or deleted. Returns the number of
    rows confirmed."""
    confirmed = 0
    for app_label, name, path in EXAMPLE_VALUES:
        model = _model(app_label, name)
        if anchor is None:
            if path is not None:
                qs = model.objects.filter(is_example=True, **{f"{path}__isnull": True})
            else:
                qs = model.objects.filter(is_example=True)
        else:
            if path is None:
                continue
            qs = model.objects.filter(Q(is_example=True) & Q(**{path: anchor}))
        for row in qs.select_for_update().order_by("pk"):
            row.is_example = False
            row._change_reason = f"confirmed by {by} at {now.isoformat()}"
            fields = ["is_example"] + (["updated_at"] if hasattr(row, "updated_at") else [])
            row.save(update_fields=fields)
            confirmed += 1
    return confirmed


@transaction.atomic
def examples_confirm_rows(*, queryset, by, now: datetime) -> int:
    """Confirm chosen example rows as the anchor's own (the admin's action on a list): locked, flag cleared, saved
    with history."""
    confirmed = 0
    for row in queryset.filter(is_example=True).select_for_update().order_by("pk"):
        row.is_example = False
        row._change_reason = f"confirmed by {by} at {now.isoformat()}"
        row.save(update_fields=["is_example"] + (["updated_at"] if hasattr(row, "updated_at") else []))
        confirmed += 1
    return confirmed
