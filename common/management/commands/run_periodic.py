from __future__ import annotations

import time
from importlib import import_module

from celery.schedules import crontab, schedule
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from config.schedule import SCHEDULE


def _schedule(spec: dict):
    if "every_minutes" in spec:
        return schedule(run_every=spec["every_minutes"] * 60)
    cron = crontab(**spec["crontab"])
    cron.tz = settings.TIME_ZONE
    return cron


class Command(BaseCommand):
    help = (
        "Run the periodic jobs in-process, as beat would (for the embedded default without Redis): the jobs every "
        "few minutes at once, the daily and monthly ones when their time comes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Keep going, looking every N seconds (0: once).")
        parser.add_argument("--only", default="", help="Run only the job whose task name contains this text, now.")

    def handle(self, *args, **options):
        started = timezone.now()
        # A daily or monthly job counts as run when this command starts: it runs at its next time, not now.
        last_run = {name: None if "every_minutes" in spec else started for name, spec in SCHEDULE.items()}
        while True:
            for name, spec in SCHEDULE.items():
                if options["only"]:
                    if options["only"] not in spec["task"]:
                        continue
                elif last_run[name] is not None and not _schedule(spec).is_due(last_run[name]).is_due:
                    continue
                last_run[name] = timezone.now()
                module, attr = spec["task"].rsplit(".", 1)
                result = getattr(import_module(module), attr).apply()
                self.stdout.write(f"{name}: {result.result!r}")
            if not options["every"] or options["only"]:
                return
            time.sleep(options["every"])
