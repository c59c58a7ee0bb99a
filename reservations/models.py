from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anchors.models import Anchor
from common.examples import EXAMPLE_HELP
from common.models import TimeStampedModel
from facilities.models import DiscountCategory, Equipment, EquipmentKind, Space, SpaceKind

# The longest a reservation can hold its slot: a booking passes rule_max_duration, and a resource's maximum length
# and buffer are PositiveSmallIntegerField minutes. Range reads bound start_at from below by it, so they scan only
# that window of the (resource or anchor, start_at) index instead of the whole history.
MAX_BLOCKED_SPAN = timedelta(minutes=2 * 32767)


class Status(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")
    NO_SHOW = "no_show", _("No-show")
    EXPIRED = "expired", _("Expired")


# Statuses that hold the slot: only these take part in the no-double-booking guarantee, PostgreSQL's exclusion
# constraints of migration 0002 (spelled out there; tests/test_constraints.py checks they agree with this).
HOLDING = (Status.REQUESTED, Status.CONFIRMED, Status.CHECKED_IN, Status.COMPLETED)

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REQUESTED: frozenset({Status.CONFIRMED, Status.REJECTED, Status.CANCELLED, Status.EXPIRED}),
    Status.CONFIRMED: frozenset({Status.CHECKED_IN, Status.CANCELLED, Status.NO_SHOW}),
    Status.CHECKED_IN: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.NO_SHOW: frozenset(),
    Status.EXPIRED: frozenset(),
}


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 2 * 60]


class BookingPolicy(TimeStampedModel):
    """An anchor's booking rules: notice, window, approval hold, cancellation and no-show terms."""

    anchor = models.OneToOneField(
        Anchor, on_delete=models.CASCADE, related_name="booking_policy", verbose_name=_("anchor")
    )
    lead_time_minutes = models.PositiveIntegerField(_("minimum notice for makers (minutes)"), default=60)
    maker_days_ahead = models.PositiveSmallIntegerField(
        _("makers may book up to (days ahead)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    staff_days_ahead = models.PositiveSmallIntegerField(
        _("staff may book up to (days ahead)"), default=365, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    approval_hold_hours = models.PositiveSmallIntegerField(
        _("a request is held for (hours)"),
        default=48,
        help_text=_("Unapproved requests expire after this, or at their start."),
    )
    free_cancellation_hours = models.PositiveSmallIntegerField(_("free cancellation until (hours before)"), default=24)
    late_cancellation_pct = models.PositiveSmallIntegerField(
        _("late cancellation charge (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    no_show_pct = models.PositiveSmallIntegerField(
        _("no-show charge (%)"), default=100, validators=[MaxValueValidator(100)]
    )
    no_show_grace_minutes = models.PositiveSmallIntegerField(_("no-show after (minutes late)"), default=15)
    reminder_offsets = models.JSONField(
        _("reminders (minutes before the start)"),
        default=default_reminder_offsets,
        help_text=_("For example [1440, 120]: a day and two hours before."),
    )
    # The defaults above are the portal's, not an anchor's: a policy is an example until the anchor confirms it.
    is_example = models.BooleanField(_("example data"), default=True, help_text=EXAMPLE_HELP)

    class Meta:
        verbose_name = _("booking policy")
        verbose_name_plural = _("booking policies")

    def __str__(self) -> str:
        return str(self.anchor)


class Quota(TimeStampedModel):
    """At most so many hours a week per maker for one kind of space or equipment at an anchor."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("anchor"))
    space_kind = models.CharField(_("space kind"), max_length=30, choices=SpaceKind.choices, blank=True)
    equipment_kind = models.ForeignKey(
        EquipmentKind, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("equipment kind")
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), validators=[MinValueValidator(1)])
    is_example = models.BooleanField(_("example data"), default=False, help_text=EXAMPLE_HELP)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(space_kind="") & Q(equipment_kind__isnull=True))
                | (Q(space_kind="") & Q(equipment_kind__isnull=False)),
                name="quota_space_kind_xor_equipment_kind",
                violation_error_message=_("A quota is for either a kind of space or a kind of equipment."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anchor}: {self.get_space_kind_display() or self.equipment_kind} ≤ {self.hours_per_week} h/week"


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Series(TimeStampedModel):
    """A recurring reservation (a class every Tuesday 10:00–12:00 for 8 weeks), created at once."""

    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    count = models.PositiveSmallIntegerField(_("occurrences"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    skipped = models.JSONField(_("skipped occurrences"), default=list, blank=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} × {self.count}"


def new_checkin_code() -> str:
    return secrets.token_urlsafe(12)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Reservation(TimeStampedModel):
    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("anchor"))
    space = models.ForeignKey(
        Space, on_delete=models.PROTECT, null=True, blank=True, related_name="reservations", verbose_name=_("space")
    )
    equipment = models.ForeignKey(
        Equipment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reservations",
        verbose_name=_("equipment"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reservations",
        verbose_name=_("maker"),
        help_text=_("Empty for an outside guest booked by staff."),
    )
    guest_name = models.CharField(_("guest name"), max_length=100, blank=True)
    guest_phone = models.CharField(_("guest phone"), max_length=30, blank=True)
    guest_organisation = models.CharField(_("guest organisation"), max_length=100, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    start_at = models.DateTimeField(_("start"))
    end_at = models.DateTimeField(_("end"))
    blocked_until = models.DateTimeField(_("blocked until"), help_text=_("The end plus the resource's buffer time."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    hold_expires_at = models.DateTimeField(_("request held until"), null=True, blank=True)
    awaiting_payment = models.BooleanField(
        _("held until paid"),
        default=False,
        help_text=_("A request held until it is paid (the anchor's billing terms), not until the staff approve it."),
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    party_size = models.PositiveSmallIntegerField(_("party size"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    series = models.ForeignKey(Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="reservations")
    # The fee, frozen when booked: later rate-table versions never change it.
    fee_won = models.PositiveBigIntegerField(_("fee (won)"), default=0)
    fee_lines = models.JSONField(_("fee lines"), default=list, blank=True)
    rate_version_ids = models.JSONField(_("rate table versions"), default=list, blank=True)
    discount_category = models.CharField(
        _("discount category"), max_length=30, choices=DiscountCategory.choices, blank=True
    )
    deposit_won = models.PositiveBigIntegerField(_("deposit (won)"), default=0)
    discount_won = models.PositiveBigIntegerField(_("discount given (won)"), default=0)
    charge_won = models.PositiveBigIntegerField(
        _("cancellation or no-show charge (won)"),
        default=0,
        help_text=_("What is owed after a late cancellation or a no-show."),
    )
    charge_waived_reason = models.CharField(_("charge waived because"), max_length=300, blank=True)
    fee_exempt = models.BooleanField(
        _("fee-exempt hold"),
        default=False,
        help_text=_("A hold that is not a rental, such as a programme's room: no fee, every other booking rule."),
    )
    checkin_code = models.CharField(_("check-in code"), max_length=32, unique=True, default=new_checkin_code)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["start_at", "pk"]
        indexes = [
            models.Index(fields=["anchor", "start_at"]),
            models.Index(fields=["space", "start_at"]),
            models.Index(fields=["equipment", "start_at"]),
            models.Index(fields=["user", "start_at"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(space__isnull=False) & Q(equipment__isnull=True))
                | (Q(space__isnull=True) & Q(equipment__isnull=False)),
                name="reservation_space_xor_equipment",
            ),
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="reservation_ends_after_start"),
            models.CheckConstraint(condition=Q(blocked_until__gte=F("end_at")), name="reservation_block_covers_end"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_name=""), name="reservation_for_maker_or_guest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {timezone.localtime(self.start_at):%Y-%m-%d %H:%M}"

    @property
    def resource(self) -> Space | Equipment:
        return self.space if self.space_id else self.equipment

    @property
    def holder_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name()
        return f"{self.guest_name} ({self.guest_organisation})" if self.guest_organisation else self.guest_name

    @property
    def holds_slot(self) -> bool:
        return self.status in HOLDING

    @property
    def fee_is_example(self) -> bool:
        """The fee was computed from an example rate table (`reservations.examples`, cached on the instance)."""
        from .examples import annotate_examples  # here, not at the top: reservations.examples reads these models

        if not hasattr(self, "_fee_is_example"):
            annotate_examples([self])
        return self._fee_is_example

    @property
    def charge_is_example(self) -> bool:
        """A cancellation or no-show charge rests on example data: the fee it is a share of, or the terms."""
        return self.terms_are_example or self.fee_is_example

    @property
    def terms_are_example(self) -> bool:
        """The anchor's cancellation, no-show and hold terms are example data (its booking policy's flag)."""
        from .examples import annotate_examples  # here, not at the top: reservations.examples reads these models

        if not hasattr(self, "_terms_are_example"):
            annotate_examples([self])
        return self._terms_are_example

    def get_absolute_url(self) -> str:
        return reverse("reservations:detail", kwargs={"pk": self.pk})


class ReservationEvent(models.Model):
    """One transition of a reservation's status: who, when, why."""

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("reservation event")
        verbose_name_plural = _("reservation events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class CalendarFeed(TimeStampedModel):
    """A user's private iCal feed; the secret token is the only credential and can be replaced."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"
