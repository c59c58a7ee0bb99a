from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from config.schedule import RETIRED, SCHEDULE


class Command(BaseCommand):
    help = "Write the periodic schedule declared in config/schedule.py to django-celery-beat (idempotent)."

    def handle(self, *args, **options):
        for name, spec in SCHEDULE.items():
            if "every_minutes" in spec:
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=spec["every_minutes"], period=IntervalSchedule.MINUTES
                )
                defaults = {"task": spec["task"], "interval": interval, "crontab": None}
            else:
                cron = spec["crontab"]
                crontab, _ = CrontabSchedule.objects.get_or_create(
                    minute=cron.get("minute", "*"),
                    hour=cron.get("hour", "*"),
                    day_of_month=cron.get("day_of_month", "*"),
                    month_of_year=cron.get("month_of_year", "*"),
                    day_of_week=cron.get("day_of_week", "*"),
                    timezone=settings.TIME_ZONE,
                )
                defaults = {"task": spec["task"], "crontab": crontab, "interval": None}
            task, created = PeriodicTask.objects.get_or_create(name=name, defaults=defaults)
            if not created and task.task != spec["task"]:
                task.task = spec["task"]
                task.save(update_fields=["task"])
            self.stdout.write(f"{'created' if created else 'kept'}: {name} -> {spec['task']}")
        # Jobs this schedule once declared under another name: beat would otherwise keep calling a task that is gone.
        for task in PeriodicTask.objects.filter(name__in=RETIRED):
            self.stdout.write(f"removed: {task.name} -> {task.task}")
            task.delete()
