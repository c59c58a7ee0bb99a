from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    # A default rather than auto_now_add, so that a service can stamp a row with the `now` it was given.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def localized(obj: object, field: str) -> str:
    """The `<field>_ko` or `<field>_en` value for the active language, falling back to Korean."""
    lang = (get_language() or "ko")[:2]
    value = getattr(obj, f"{field}_{lang}", "") if lang in ("ko", "en") else ""
    return value or getattr(obj, f"{field}_ko", "")
