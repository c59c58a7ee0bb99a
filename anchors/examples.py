"""Example data per anchor: which models hold values the sources do not give (`EXAMPLE_VALUES`, confirmed by the
anchor in one action) or whole invented rows (`EXAMPLE_RECORDS`, replaced or deleted), how many each anchor still
holds, and the one action that confirms an anchor's values. The markers themselves are `common.examples`.

The registry names models of later apps by label (looked up at run time), as the admin does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Model, Q
from django.urls import reverse

from common.examples import examples_confirm_rows

from .models import Anchor

# (app label, model, path from the model to its anchor; None for records of all Seoul)
EXAMPLE_VALUES: list[tuple[str, str, str | None]] = [
    ("facilities", "Space", "anchor"),
    ("facilities", "Equipment", "space__anchor"),
    ("facilities", "OpeningHours", "anchor"),
    ("facilities", "RateTableVersion", "table__anchor"),
    ("facilities", "InventoryItem", "anchor"),
    ("reservations", "BookingPolicy", "anchor"),
    ("reservations", "Quota", "anchor"),
    ("allocation", "AllocationPolicy", "anchor"),
    ("billing", "BillingPolicy", "anchor"),
    ("budgets", "LineShare", "anchor"),
    ("facilities", "EquipmentKind", None),
]
EXAMPLE_RECORDS: list[tuple[str, str, str | None]] = [
    ("programs", "Programme", "anchor"),
    ("tenants", "Lease", "space__anchor"),
    ("budgets", "ExecutionRecord", "anchor"),
    ("tenants", "Organisation", None),
    ("budgets", "PlannedExecution", None),
]


@dataclass
class ExampleCount:
    model: type
    label: str
    count: int
    changelist: str  # the admin list of the model, filtered to the examples


def _model(app_label: str, name: str) -> type[Any]:
    return apps.get_model(app_label, name)


def _changelist(model: type[Model], path: str | None, anchor_id: int | None) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + "?is_example__exact=1"
    if path and anchor_id:
        url += f"&{path}__id__exact={anchor_id}"
    return url


def examples_by_anchor() -> tuple[
    list[tuple[Anchor, list[ExampleCount], list[ExampleCount]]], list[ExampleCount], list[ExampleCount]
]:
    """Per anchor, how many example values and records it still holds (one grouped query per model), and the
    Seoul-wide ones. Returns (rows of (anchor, values, records)), Seoul-wide values, Seoul-wide records)."""
    anchors = list(Anchor.objects.order_by("sort_order"))
    per_anchor: dict[int, tuple[list[ExampleCount], list[ExampleCount]]] = {a.pk: ([], []) for a in anchors}
    seoul_values: list[ExampleCount] = []
    seoul_records: list[ExampleCount] = []
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
def examples_confirm(*, anchor: Anchor | None = None, by: AbstractBaseUser, now: datetime) -> int:
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
        confirmed += examples_confirm_rows(queryset=qs, by=by, now=now)
    return confirmed
