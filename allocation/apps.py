from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Fair allocation")

    def ready(self) -> None:
        from . import hooks, messages, permissions  # noqa: F401  registers the policy rules and the outbox renderers

        hooks.register()
