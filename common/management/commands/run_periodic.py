from __future__ import annotations

import time

from celery import current_app
from django.core.management.base import BaseCommand

from config.schedule import SCHEDULE


class Command(BaseCommand):
    help = "Run the periodic jobs in-process, as beat would (for the embedded default without Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: once).")
        parser.add_argument("--only", default="", help="Run only the job whose task name contains this text.")

    def handle(self, *args, **options):
        while True:
            for name, spec in SCHEDULE.items():
                if options["only"] and options["only"] not in spec["task"]:
                    continue
                result = current_app.tasks[spec["task"]].apply()
                self.stdout.write(f"{name}: {result.result!r}")
            if not options["every"]:
                return
            time.sleep(options["every"])
