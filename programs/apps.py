from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from reservations.outbox import register_deliverer

        from . import reminders, rules  # noqa: F401  registers the policy rules

        register_deliverer("session-reminder", reminders.deliver_session_reminder)
