"""Load the real sites and figures of ../shared/domain.md; safe to run again (it says when nothing changed).

Each app that has seed data exposes `<app>.seed.load() -> Counter`; they run in dependency order.
"""

from __future__ import annotations

from collections import Counter
from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.utils import timezone

SEED_APPS = [
    "anchors",
    "facilities",
    "tenants",
    "reservations",
    "allocation",
    "billing",
    "programs",
    "budgets",
    "opendata",
]


class Command(BaseCommand):
    help = "Load the anchor sites, figures and milestones from the source documents (idempotent)."

    def handle(self, *args, **options):
        total: Counter = Counter()
        now = timezone.now()  # one clock for the whole load: example leases and programmes are dated from it
        for app in SEED_APPS:
            if find_spec(f"{app}.seed") is None:
                continue
            tally = import_module(f"{app}.seed").load(now=now)
            for key, n in sorted(tally.items()):
                self.stdout.write(f"  {app}: {key}: {n}")
            total.update(tally)
        if total:
            self.stdout.write(self.style.SUCCESS(f"Seed data loaded: {sum(total.values())} rows created or updated."))
        else:
            self.stdout.write(self.style.SUCCESS("Seed data already up to date: nothing changed."))
