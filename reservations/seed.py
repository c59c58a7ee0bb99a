"""Example booking policies for the operating anchors (the seeds give none) and example quotas."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from anchors.models import Anchor
from anchors.seed import upsert_example
from facilities.models import EquipmentKind

from .models import BookingPolicy, Quota

QUOTAS = [("gaebong", "laser-cutter", 6), ("geumcheon", "automatic-cutter", 8)]


@transaction.atomic
def load(*, now=None) -> Counter:
    """`now` is accepted for a uniform call from load_seed_data; these seeds do not depend on the date."""
    tally: Counter = Counter()
    for anchor in Anchor.objects.filter(status="operating"):
        upsert_example(BookingPolicy, {"anchor": anchor}, {}, tally)
    for slug, kind_slug, hours in QUOTAS:
        anchor = Anchor.objects.filter(slug=slug).first()
        kind = EquipmentKind.objects.filter(slug=kind_slug).first()
        if anchor and kind:
            upsert_example(Quota, {"anchor": anchor, "equipment_kind": kind}, {"hours_per_week": hours}, tally)
    return tally
