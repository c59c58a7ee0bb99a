"""Idempotent loader of the anchors' seed data: a second run changes nothing and says so."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from . import seed_data
from .models import Anchor, AnchorContact, District, ManagementContract, Milestone


def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], tally: Counter) -> models.Model:
    """Create, update or leave alone one row; saves (and so writes history) only when a value differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        tally[f"{model.__name__} created"] += 1
        return obj
    changed = [f for f, v in values.items() if getattr(obj, f) != v]
    if changed:
        for f in changed:
            setattr(obj, f, values[f])
        obj.full_clean()
        obj.save()
        tally[f"{model.__name__} updated"] += 1
    return obj


def upsert_example(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], tally: Counter
) -> models.Model:
    """`upsert` for example data: a row the anchor has confirmed (its flag cleared) is its own now, and a later
    run of the seed leaves it as it is rather than turning it back into the example."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None and not obj.is_example:
        return obj
    return upsert(model, lookup, {**values, "is_example": True}, tally)


def _milestone_values(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "precision": m.get("precision", "day"),
        "title_en": m["title_en"],
        "detail_ko": m.get("detail_ko", ""),
        "detail_en": m.get("detail_en", ""),
        "attendees": m.get("attendees"),
        "amount_won": m.get("amount_won"),
        "source": m.get("source", ""),
    }


@transaction.atomic
def load(*, now=None) -> Counter:
    """`now` is accepted for a uniform call from load_seed_data; these seeds do not depend on the date."""
    tally: Counter = Counter()
    districts = {}
    for d in seed_data.DISTRICTS:
        districts[d["slug"]] = upsert(District, {"slug": d["slug"]}, {k: v for k, v in d.items() if k != "slug"}, tally)

    for raw in seed_data.ANCHORS:
        data = dict(raw)
        contacts = data.pop("contacts", [])
        contracts = data.pop("contracts", [])
        milestones = data.pop("milestones", [])
        slug = data.pop("slug")
        data["district"] = districts[data["district"]]
        for area in ("floor_area_m2", "site_area_m2"):
            if area in data:
                data[area] = Decimal(data[area])
        anchor = upsert(Anchor, {"slug": slug}, data, tally)
        for c in contacts:
            c = dict(c)
            lookup = {"anchor": anchor, "organisation_ko": c.pop("organisation_ko"), "role_ko": c.pop("role_ko")}
            upsert(AnchorContact, lookup, c, tally)
        for c in contracts:
            c = dict(c)
            upsert(ManagementContract, {"anchor": anchor, "year": c.pop("year")}, c, tally)
        for m in milestones:
            upsert(
                Milestone, {"anchor": anchor, "date": m["date"], "title_ko": m["title_ko"]}, _milestone_values(m), tally
            )

    for m in seed_data.PROGRAMME_MILESTONES:
        upsert(Milestone, {"anchor": None, "date": m["date"], "title_ko": m["title_ko"]}, _milestone_values(m), tally)
    return tally
