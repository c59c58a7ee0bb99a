from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anchors.demo import create_demo_accounts


class Command(BaseCommand):
    help = "Create one demo account per role (DEBUG only); passwords are printed once, when created."

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true", help="Give every demo account a new password.")

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ENABLED:
            raise CommandError("Demo accounts are only created when DEBUG is on.")
        results = create_demo_accounts(reset_passwords=options["reset_passwords"])
        new = [(spec, pw) for spec, pw in results if pw]
        if not new:
            self.stdout.write(
                "Demo accounts already exist; passwords unchanged "
                "(python manage.py create_demo_accounts --reset-passwords prints new ones)."
            )
            return
        self.stdout.write(self.style.WARNING("Demo accounts (shown once; for local use only):"))
        for spec, pw in new:
            self.stdout.write(f"  {spec.role.label:<20} {spec.email:<40} {pw}")
