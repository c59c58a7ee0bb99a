"""A published month of open data: the rows as they were computed and published, so that a file's address gives
the same content until the month is regenerated (by the monthly job, or from the admin site)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OpenDataMonth(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    rows = models.JSONField(_("rows"), default=list, editable=False)
    generated_at = models.DateTimeField(_("generated at"))
    threshold = models.PositiveSmallIntegerField(
        _("smallest count published"), help_text=_("Counts from 1 to this minus one were suppressed.")
    )

    class Meta:
        verbose_name = _("open-data month")
        verbose_name_plural = _("open-data months")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_open_data_month"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="open_data_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"
