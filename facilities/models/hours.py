"""Opening hours, dated exceptions and closures of an anchor or a space."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anchors.models import Anchor
from common.examples import EXAMPLE_HELP
from common.models import TimeStampedModel

from .spaces import Space


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(TimeStampedModel):
    """Regular hours of an anchor on one weekday; a weekday without a row is closed."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("anchor"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"), default=time(9, 0))
    closes = models.TimeField(_("closes"), default=time(18, 0))
    is_example = models.BooleanField(_("example data"), default=False, help_text=EXAMPLE_HELP)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["anchor", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "weekday"], name="opening_hours_one_per_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"),
        ]

    def __str__(self) -> str:
        return f"{self.anchor} {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningHoursException(TimeStampedModel):
    """A dated change to the regular hours: closed (no times) or open at other times, even on a holiday."""

    anchor = models.ForeignKey(
        Anchor, on_delete=models.CASCADE, related_name="hours_exceptions", verbose_name=_("anchor")
    )
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("opening hours exception")
        verbose_name_plural = _("opening hours exceptions")
        ordering = ["anchor", "date"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "date"], name="hours_exception_one_per_date"),
            models.CheckConstraint(
                condition=(Q(opens__isnull=True) & Q(closes__isnull=True))
                | (Q(opens__isnull=False) & Q(closes__isnull=False) & Q(closes__gt=F("opens"))),
                name="hours_exception_closed_or_valid_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anchor} {self.date}"

    @property
    def is_closed(self) -> bool:
        return self.opens is None


class Closure(TimeStampedModel):
    """An ad-hoc closure of a whole anchor or of one space, with a reason."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="closures", verbose_name=_("anchor"))
    space = models.ForeignKey(
        Space,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("space"),
        help_text=_("Empty closes the whole anchor."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="closure_ends_after_start")]
        indexes = [models.Index(fields=["anchor", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.space or self.anchor}: {self.reason}"
