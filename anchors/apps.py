from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnchorsConfig(AppConfig):
    name = "anchors"
    verbose_name = _("Anchor facilities")
