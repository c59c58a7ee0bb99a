from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save, pre_save

        from . import schema  # noqa: F401  (registers the token's security scheme with drf-spectacular)
        from .signals import note_password_change, revoke_tokens_after_password_change

        pre_save.connect(note_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="api-password-pre")
        post_save.connect(
            revoke_tokens_after_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="api-password-post"
        )
