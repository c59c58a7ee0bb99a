"""Retire every cached page (common/pagecache.py) and the reference data kept by each process (common/catalogue.py):
after a deploy (new templates, translations or static files) and
after any change made outside the portal, such as SQL by hand."""

from django.core.management.base import BaseCommand, CommandError

from common import pagecache


class Command(BaseCommand):
    help = "Retire every cached page: run after a deploy or after changing data outside the portal."

    def handle(self, *args, **options):
        if not pagecache.enabled():
            self.stdout.write("The pages' cache is off (no Redis): nothing to retire.")
            return
        if not pagecache._bump():
            raise CommandError(
                "The pages' cache did not answer: cached pages expire within two minutes and kept reference data "
                "within a minute anyway; run this again when Redis answers."
            )
        self.stdout.write(self.style.SUCCESS("Every cached page is retired."))
