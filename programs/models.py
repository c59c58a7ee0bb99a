from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anchors.models import Anchor
from common.models import TimeStampedModel, localized
from facilities.models import EquipmentKind, Space


class ProgrammeKind(models.TextChoices):
    REGIONAL_ACTIVATION = "regional_activation", _("Regional activation")
    EXCHANGE = "exchange", _("Exchange and linkage")
    STARTUP_SUPPORT = "startup_support", _("Start-up support")
    WORKSHOP = "workshop", pgettext_lazy("programme kind", "Workshop")
    OPEN_DAY = "open_day", _("Open day")
    SAFETY_TRAINING = "safety_training", _("Equipment safety training")


class Programme(TimeStampedModel):
    """A programme (프로그램) of an anchor: one or more sessions in its rooms, with registration and outcomes."""

    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("anchor"))
    kind = models.CharField(_("kind"), max_length=25, choices=ProgrammeKind.choices)
    title_ko = models.CharField(_("title (Korean)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    audience_ko = models.CharField(_("audience (Korean)"), max_length=200, blank=True)
    audience_en = models.CharField(_("audience (English)"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1), MaxValueValidator(1000)])
    fee_won = models.PositiveBigIntegerField(_("fee (won)"), default=0)
    certifies = models.ForeignKey(
        EquipmentKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("certifies for"),
        help_text=_("A safety training: passing it grants this certification."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    is_example = models.BooleanField(_("example data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="safety_training") | Q(certifies__isnull=False),
                name="safety_training_certifies_a_kind",
                violation_error_message=_("A safety training must name the equipment kind it certifies."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def audience(self) -> str:
        return localized(self, "audience")

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", kwargs={"pk": self.pk})


class Session(TimeStampedModel):
    """One meeting of a programme; its room is booked through the reservations app, so it never collides."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("programme")
    )
    space = models.ForeignKey(
        Space, on_delete=models.PROTECT, related_name="programme_sessions", verbose_name=_("room")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reservation = models.OneToOneField(
        "reservations.Reservation",
        on_delete=models.PROTECT,
        related_name="programme_session",
        verbose_name=_("room booking"),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.programme} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(TimeStampedModel):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("programme")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("maker")
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    promoted_at = models.DateTimeField(_("moved up from the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"],
                condition=Q(status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]),
                name="one_live_registration_per_maker",
                violation_error_message=_("You are already registered for this programme."),
            ),
        ]
        indexes = [models.Index(fields=["programme", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.programme} ({self.status})"


class AttendanceResult(models.TextChoices):
    NONE = "", _("No result")
    PASS = "pass", _("Passed")
    FAIL = "fail", _("Failed")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(_("attended"), default=False)
    result = models.CharField(_("result"), max_length=4, choices=AttendanceResult.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "registration"], name="attendance_once_per_session")]

    def __str__(self) -> str:
        return f"{self.registration.user} @ {self.session}"


class Outcome(TimeStampedModel):
    """What a programme achieved, entered by staff after it ran."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="outcome")
    participants = models.PositiveIntegerField(_("participants"), default=0)
    matches = models.PositiveIntegerField(_("matches or contracts made"), default=0)
    jobs_created = models.PositiveIntegerField(_("jobs created"), default=0)
    satisfaction = models.DecimalField(
        _("satisfaction (0–5)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.programme}"


class TrainingAlert(models.Model):
    """A maker asked to be told when a safety training for a kind of machine is scheduled (at any anchor). Told
    once: the first published training with a session to come sets `notified_at`, and a new request opens a new
    alert."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_alerts")
    kind = models.ForeignKey(
        EquipmentKind, on_delete=models.CASCADE, related_name="training_alerts", verbose_name=_("equipment kind")
    )
    created_at = models.DateTimeField(_("asked at"))
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("training told of"),
    )

    class Meta:
        verbose_name = _("training alert")
        verbose_name_plural = _("training alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(notified_at__isnull=True),
                name="one_waiting_training_alert_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"
