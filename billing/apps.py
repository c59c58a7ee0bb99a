from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from . import hooks, messages, permissions  # noqa: F401  registers the listeners, renderers and rules

        hooks.register()
