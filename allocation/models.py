"""Fair allocation of contested slots (issue 18): lottery windows and their auditable draws, waiting lists for
busy slots, and no-show strikes with their suspensions and appeals. Each anchor chooses its terms
(`AllocationPolicy`); the bookings themselves stay reservations."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anchors.models import Anchor
from common.examples import EXAMPLE_HELP
from common.models import TimeStampedModel
from facilities.models import Equipment, EquipmentKind, Space, SpaceKind
from reservations.models import Reservation


class AllocationPolicy(TimeStampedModel):
    """An anchor's terms for waiting lists and strikes. The defaults are the portal's examples until confirmed."""

    anchor = models.OneToOneField(
        Anchor, on_delete=models.CASCADE, related_name="allocation_policy", verbose_name=_("anchor")
    )
    offer_minutes = models.PositiveSmallIntegerField(
        _("a freed slot is offered for (minutes)"),
        default=720,
        validators=[MinValueValidator(15), MaxValueValidator(10080)],
        help_text=_("How long the first maker waiting has to take a freed slot before it goes to the next."),
    )
    strikes_enabled = models.BooleanField(_("no-shows are strikes"), default=True)
    late_cancellation_strikes = models.BooleanField(
        _("late cancellations are strikes too"),
        default=False,
        help_text=_("A cancellation that costs a charge (after the free cancellation period) counts as a strike."),
    )
    strike_days = models.PositiveSmallIntegerField(
        _("a strike expires after (days)"), default=90, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    strike_threshold = models.PositiveSmallIntegerField(
        _("online booking is suspended at (strikes)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    suspension_days = models.PositiveSmallIntegerField(
        _("suspended for (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    suspension_city_wide = models.BooleanField(
        _("suspension applies at every anchor"),
        default=False,
        help_text=_("Otherwise only online booking at this anchor is suspended."),
    )
    is_example = models.BooleanField(_("example data"), default=True, help_text=EXAMPLE_HELP)

    class Meta:
        verbose_name = _("allocation policy")
        verbose_name_plural = _("allocation policies")

    def __str__(self) -> str:
        return str(self.anchor)


class WindowState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DRAWN = "drawn", _("Drawn")
    CANCELLED = "cancelled", _("Cancelled")


class LotteryWindow(TimeStampedModel):
    """Slots of one resource or kind over a period, allocated by a draw among those who applied in the window
    instead of first come, first served. Until the draw, makers cannot book those slots directly."""

    anchor = models.ForeignKey(
        Anchor, on_delete=models.PROTECT, related_name="lottery_windows", verbose_name=_("anchor")
    )
    title = models.CharField(_("title"), max_length=120)
    space = models.ForeignKey(Space, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("space"))
    equipment = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("equipment")
    )
    space_kind = models.CharField(_("every space of kind"), max_length=30, choices=SpaceKind.choices, blank=True)
    equipment_kind = models.ForeignKey(
        EquipmentKind, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("every machine of kind")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    weekdays = models.JSONField(_("weekdays"), default=list, help_text=_("0 is Monday, 6 is Sunday."))
    day_start = models.TimeField(_("slots from"))
    day_end = models.TimeField(_("slots until"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(1440)]
    )
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close (the draw)"))
    choices_per_maker = models.PositiveSmallIntegerField(
        _("choices per maker"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    wins_per_maker = models.PositiveSmallIntegerField(
        _("slots won per maker at most"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    category_weights = models.JSONField(
        _("weights by verified category"),
        default=dict,
        blank=True,
        help_text=_('For example {"district_resident": 2}: a resident\'s entry counts twice. Others count once.'),
    )
    recent_win_days = models.PositiveSmallIntegerField(
        _("fewer recent wins first (days)"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "0: off. Otherwise an entry's weight is divided by 1 + the maker's lottery wins at this anchor "
            "in so many days before the window opens."
        ),
    )
    # The commitment: the hash of the secret seed is public from the start, the seed itself from the draw.
    seed = models.CharField(max_length=64, editable=False)
    seed_hash = models.CharField(_("seed's SHA-256"), max_length=64, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=WindowState.choices, default=WindowState.SCHEDULED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    cancelled_reason = models.CharField(_("cancelled because"), max_length=300, blank=True)
    # A window the portal ships to show how lotteries work (`allocation/seed.py`), not one an anchor declared.
    is_example = models.BooleanField(_("example data"), default=False, help_text=EXAMPLE_HELP)

    class Meta:
        verbose_name = _("lottery window")
        verbose_name_plural = _("lottery windows")
        ordering = ["-closes_at", "pk"]
        indexes = [models.Index(fields=["anchor", "state", "first_day"]), models.Index(fields=["state", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (
                        Q(space__isnull=False)
                        & Q(equipment__isnull=True)
                        & Q(space_kind="")
                        & Q(equipment_kind__isnull=True)
                    )
                    | (
                        Q(space__isnull=True)
                        & Q(equipment__isnull=False)
                        & Q(space_kind="")
                        & Q(equipment_kind__isnull=True)
                    )
                    | (
                        Q(space__isnull=True)
                        & Q(equipment__isnull=True)
                        & ~Q(space_kind="")
                        & Q(equipment_kind__isnull=True)
                    )
                    | (
                        Q(space__isnull=True)
                        & Q(equipment__isnull=True)
                        & Q(space_kind="")
                        & Q(equipment_kind__isnull=False)
                    )
                ),
                name="lottery_one_target",
                violation_error_message=_("A window is for one space, one machine, or every one of one kind."),
            ),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="lottery_closes_after_opening"),
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="lottery_period_in_order"),
            models.CheckConstraint(condition=Q(day_end__gt=F("day_start")), name="lottery_day_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.anchor}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("allocation:window", kwargs={"pk": self.pk})


class Application(models.Model):
    """One ranked choice of one maker in a window: rank 1 is the slot they want most."""

    window = models.ForeignKey(LotteryWindow, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lottery_applications", verbose_name=_("maker")
    )
    slot_start = models.DateTimeField(_("slot"))
    rank = models.PositiveSmallIntegerField(_("choice"), validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(_("applied at"))

    class Meta:
        verbose_name = _("lottery application")
        verbose_name_plural = _("lottery applications")
        ordering = ["window", "user", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["window", "user", "slot_start"], name="lottery_one_application_per_slot"),
            models.UniqueConstraint(fields=["window", "user", "rank"], name="lottery_one_slot_per_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.window_id}/{self.user_id}#{self.rank}"


class Draw(models.Model):
    """The draw of a window, once: what went in (the anonymised applications, the slots' places, the seed) and what
    came out. Never changed afterwards (on PostgreSQL a trigger refuses any UPDATE or DELETE of the row)."""

    window = models.OneToOneField(LotteryWindow, on_delete=models.PROTECT, related_name="draw")
    drawn_at = models.DateTimeField(_("drawn at"))
    algorithm = models.CharField(_("algorithm"), max_length=30)
    seed = models.CharField(_("seed"), max_length=64)
    seed_hash = models.CharField(_("seed's SHA-256"), max_length=64)
    applications_digest = models.CharField(_("applications' SHA-256"), max_length=64)
    entries = models.JSONField(_("anonymised applications"))
    places = models.JSONField(_("places per slot"))
    refusals = models.JSONField(_("choices the booking rules refused at the draw"))
    result = models.JSONField(_("result"))

    class Meta:
        verbose_name = _("lottery draw")
        verbose_name_plural = _("lottery draws")

    def __str__(self) -> str:
        return f"{self.window} @ {self.drawn_at:%Y-%m-%d %H:%M}"


class WaitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered")
    BOOKED = "booked", _("Booked")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Offer lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ENDED = "ended", _("Slot passed")


LIVE_WAITS = (WaitStatus.WAITING, WaitStatus.OFFERED)


class SlotWait(TimeStampedModel):
    """A maker waiting for one busy slot of one resource. When it frees, the first in line is offered it for a
    while (the slot is held for them), then the next."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="slot_waits", verbose_name=_("maker")
    )
    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="+", verbose_name=_("anchor"))
    space = models.ForeignKey(Space, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    start_at = models.DateTimeField(_("start"))
    end_at = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=WaitStatus.choices, default=WaitStatus.WAITING)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    reservation = models.ForeignKey(Reservation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    window = models.ForeignKey(LotteryWindow, on_delete=models.SET_NULL, null=True, blank=True, related_name="waits")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("slot waiting list entry")
        verbose_name_plural = _("slot waiting list entries")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["space", "status", "start_at"]),
            models.Index(fields=["equipment", "status", "start_at"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(space__isnull=False) & Q(equipment__isnull=True))
                | (Q(space__isnull=True) & Q(equipment__isnull=False)),
                name="wait_space_xor_equipment",
            ),
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="wait_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status=WaitStatus.OFFERED) | Q(offer_expires_at__isnull=False),
                name="wait_offer_has_deadline",
            ),
            # One live wait per maker and slot (one constraint per kind of resource: the other column is NULL).
            models.UniqueConstraint(
                fields=["user", "space", "start_at", "end_at"],
                condition=Q(status__in=LIVE_WAITS, space__isnull=False),
                name="wait_once_per_space_slot",
                violation_error_message=_("You are already waiting for this slot."),
            ),
            models.UniqueConstraint(
                fields=["user", "equipment", "start_at", "end_at"],
                condition=Q(status__in=LIVE_WAITS, equipment__isnull=False),
                name="wait_once_per_equipment_slot",
                violation_error_message=_("You are already waiting for this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ⧗ {self.resource} {self.start_at:%Y-%m-%d %H:%M}"

    @property
    def resource(self) -> Space | Equipment:
        return self.space if self.space_id else self.equipment


class StrikeKind(models.TextChoices):
    NO_SHOW = "no_show", _("No-show")
    LATE_CANCELLATION = "late_cancellation", _("Late cancellation")


class Strike(models.Model):
    """A no-show (or, where the anchor chooses, a late cancellation) counted against a maker until it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="strikes", verbose_name=_("maker")
    )
    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="+", verbose_name=_("anchor"))
    reservation = models.OneToOneField(
        Reservation, on_delete=models.PROTECT, related_name="strike", verbose_name=_("reservation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StrikeKind.choices)
    at = models.DateTimeField(_("at"))
    expires_at = models.DateTimeField(_("expires at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_reason = models.CharField(_("removed because"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("strike")
        verbose_name_plural = _("strikes")
        ordering = ["-at", "pk"]
        indexes = [models.Index(fields=["user", "anchor", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_kind_display()} {self.at:%Y-%m-%d}"


class Suspension(models.Model):
    """A maker's online booking suspended, at one anchor or (anchor empty) at every anchor, until `ends_at`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("maker")
    )
    anchor = models.ForeignKey(
        Anchor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("anchor"),
        help_text=_("Empty: every anchor."),
    )
    imposed_by = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="+", verbose_name=_("imposed by"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    strikes = models.ManyToManyField(Strike, related_name="suspensions", verbose_name=_("strikes"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_reason = models.CharField(_("lifted because"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["user", "ends_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="suspension_in_order")]

    def __str__(self) -> str:
        return f"{self.user_id} ⊘ {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Upheld: the strike is removed")
    DISMISSED = "dismissed", _("Dismissed: the strike stands")


class Appeal(models.Model):
    """A maker's appeal against one strike, and the staff's decision with its reason."""

    strike = models.OneToOneField(Strike, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("strike"))
    reason = models.TextField(_("why the strike should be removed"), max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"))
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("decision's reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.strike} ({self.get_status_display()})"


class StandingEventKind(models.TextChoices):
    STRIKE = "strike", _("Strike recorded")
    SUSPENDED = "suspended", _("Online booking suspended")
    APPEALED = "appealed", _("Appeal submitted")
    UPHELD = "upheld", _("Appeal upheld")
    DISMISSED = "dismissed", _("Appeal dismissed")
    LIFTED = "lifted", _("Suspension lifted")


class StandingEvent(models.Model):
    """Every step of a maker's strikes, suspensions and appeals, as the maker is shown it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("what"), max_length=12, choices=StandingEventKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    strike = models.ForeignKey(Strike, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    suspension = models.ForeignKey(Suspension, on_delete=models.PROTECT, null=True, blank=True, related_name="events")

    class Meta:
        verbose_name = _("standing event")
        verbose_name_plural = _("standing events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
