from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "reservations"
    verbose_name = _("Reservations")

    def ready(self) -> None:
        from facilities.impacts import register_closure_impact

        from . import messages, permissions, selectors  # noqa: F401  registers the outbox renderers and the policy rules

        register_closure_impact(selectors.affected_by)
