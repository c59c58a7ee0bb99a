"""The budget book of the Smart Anchor programme, as Seoul's budget book page lays it out.

All money is integer won. Budget books print thousand won (summary, settlement) or million won
(multi-year plan); the seed loader multiplies exactly and the pages divide back, with the unit shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anchors.models import Anchor
from common.files import private_storage, random_upload_name
from common.models import TimeStampedModel, localized


class Project(TimeStampedModel):
    """A budget project (사업), e.g. 스마트앵커 운영."""

    code = models.SlugField(_("code"), unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    account_ko = models.CharField(_("account (Korean)"), max_length=50)
    account_en = models.CharField(_("account (English)"), max_length=50)
    recurrence_ko = models.CharField(_("project period (Korean)"), max_length=50, blank=True)
    recurrence_en = models.CharField(_("project period (English)"), max_length=50, blank=True)
    owner_department_ko = models.CharField(_("owner department (Korean)"), max_length=150)
    owner_department_en = models.CharField(_("owner department (English)"), max_length=150)
    legal_basis_ko = models.TextField(_("legal basis (Korean)"))
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    purpose_ko = models.TextField(_("purpose (Korean)"), blank=True)
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    total_cost_won = models.PositiveBigIntegerField(_("total project cost (won)"))
    total_national_won = models.PositiveBigIntegerField(_("of which national (won)"), default=0)
    total_city_won = models.PositiveBigIntegerField(_("of which city (won)"), default=0)
    total_district_won = models.PositiveBigIntegerField(
        _("of which district (won)"), null=True, blank=True, help_text=_("Empty where the book prints nothing.")
    )
    total_other_won = models.PositiveBigIntegerField(_("of which other (won)"), null=True, blank=True)
    year_cost_year = models.PositiveSmallIntegerField(_("year of the year's project cost"), null=True, blank=True)
    year_cost_won = models.PositiveBigIntegerField(_("project cost of the year (won)"), null=True, blank=True)
    year_national_won = models.PositiveBigIntegerField(_("of which national (won)"), null=True, blank=True)
    year_city_won = models.PositiveBigIntegerField(_("of which city (won)"), null=True, blank=True)
    year_district_won = models.PositiveBigIntegerField(_("of which district (won)"), null=True, blank=True)
    year_other_won = models.PositiveBigIntegerField(_("of which other (won)"), null=True, blank=True)
    department_note_ko = models.CharField(_("note on the department (Korean)"), max_length=200, blank=True)
    department_note_en = models.CharField(_("note on the department (English)"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def account(self) -> str:
        return localized(self, "account")

    @property
    def owner_department(self) -> str:
        return localized(self, "owner_department")

    @property
    def legal_basis(self) -> str:
        return localized(self, "legal_basis")

    @property
    def purpose(self) -> str:
        return localized(self, "purpose")

    @property
    def recurrence(self) -> str:
        return localized(self, "recurrence")

    @property
    def department_note(self) -> str:
        return localized(self, "department_note")


class ProjectContact(models.Model):
    """A person the budget book names as responsible for the project (사업 담당자)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contacts")
    role_ko = models.CharField(_("role (Korean)"), max_length=30)
    role_en = models.CharField(_("role (English)"), max_length=60)
    name = models.CharField(_("name"), max_length=30)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("project contact")
        verbose_name_plural = _("project contacts")
        ordering = ["project", "sort_order"]

    def __str__(self) -> str:
        return f"{self.role_ko} {self.name}"

    @property
    def role(self) -> str:
        return localized(self, "role")


class TextSection(models.TextChoices):
    OVERVIEW = "overview", _("Project outline")
    LOCATION = "location", _("Project location")
    PURPOSE = "purpose", _("Purpose")
    DESCRIPTION = "description", _("What the project does")
    ACHIEVEMENTS = "achievements", _("Achievements of the last three years")
    EFFECTS = "effects", _("Expected effects")


class ProjectText(models.Model):
    """A passage of the budget book's description of the project, as printed (e.g. 사업목적, 사업내용)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="texts")
    section = models.CharField(_("section"), max_length=20, choices=TextSection.choices)
    label_ko = models.CharField(_("label (Korean)"), max_length=60, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    body_ko = models.TextField(_("text (Korean)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    source_note_ko = models.CharField(_("note on the source (Korean)"), max_length=200, blank=True)
    source_note_en = models.CharField(_("note on the source (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("project text")
        verbose_name_plural = _("project texts")
        ordering = ["project", "sort_order"]

    def __str__(self) -> str:
        return f"{self.get_section_display()} {self.label_ko}".strip()

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def body(self) -> str:
        return localized(self, "body")

    @property
    def source_note(self) -> str:
        return localized(self, "source_note")


class ExpenseItem(models.Model):
    """A statutory expense item (목) of the local-government budget structure."""

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("The portal's own code: the budget book names the items but prints no codes."),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order in the budget book"), default=100)
    is_capital = models.BooleanField(
        _("capital expenditure"),
        default=False,
        help_text=_("Construction, supervision, capital subsidies and purchases: left out of running costs per hour."),
    )

    class Meta:
        verbose_name = _("expense item")
        verbose_name_plural = _("expense items")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class BudgetLine(TimeStampedModel):
    """A line of a year's budget under one item: amount, funding split, calculation basis, what it funds."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="lines", verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    item = models.ForeignKey(
        ExpenseItem, on_delete=models.PROTECT, related_name="lines", verbose_name=_("expense item")
    )
    amount_won = models.PositiveBigIntegerField(_("amount (won)"))
    national_won = models.PositiveBigIntegerField(_("national funds (won)"), default=0)
    city_won = models.PositiveBigIntegerField(_("city funds (won)"), default=0)
    district_won = models.PositiveBigIntegerField(_("district funds (won)"), default=0)
    other_won = models.PositiveBigIntegerField(_("other funds (won)"), default=0)
    basis_ko = models.CharField(_("calculation basis (Korean)"), max_length=300, blank=True)
    basis_en = models.CharField(_("calculation basis (English)"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "item__sort_order", "sort_order", "pk"]
        indexes = [models.Index(fields=["project", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    amount_won=models.F("national_won")
                    + models.F("city_won")
                    + models.F("district_won")
                    + models.F("other_won")
                ),
                name="budget_line_funding_adds_up",
                violation_error_message=_("National, city, district and other funds must add up to the amount."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.item.name_ko} {self.basis}"

    @property
    def basis(self) -> str:
        return localized(self, "basis")

    def get_absolute_url(self) -> str:
        return reverse("budgets:line", kwargs={"pk": self.pk})


class LineShare(TimeStampedModel):
    """The part of a budget line that funds one anchor, with the basis of the split.

    A line funds one anchor (one share of the whole amount), several (shares that add up to at most the amount;
    the rest is spent city-wide), or none. `budgets.services` writes shares; every per-anchor budget figure reads
    them (`budgets.selectors.delivery_by_anchor`)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="shares", verbose_name=_("budget line"))
    anchor = models.ForeignKey(
        Anchor, on_delete=models.PROTECT, related_name="budget_shares", verbose_name=_("anchor funded")
    )
    amount_won = models.PositiveBigIntegerField(_("amount (won)"))
    basis_ko = models.CharField(_("basis of the split (Korean)"), max_length=300)
    basis_en = models.CharField(_("basis of the split (English)"), max_length=300, blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("An allocation the sources do not give, shipped as an example until the city confirms it."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("share of a budget line")
        verbose_name_plural = _("shares of budget lines")
        ordering = ["line", "anchor__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["line", "anchor"], name="line_share_once_per_anchor"),
            models.CheckConstraint(condition=Q(amount_won__gt=0), name="line_share_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line} → {self.anchor}"

    @property
    def basis(self) -> str:
        return localized(self, "basis")


class ScheduleEntry(TimeStampedModel):
    """The year's execution schedule by activity (추진일정)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="schedule")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    activity_ko = models.CharField(_("activity (Korean)"), max_length=200)
    activity_en = models.CharField(_("activity (English)"), max_length=200)
    period = models.CharField(_("period"), max_length=50)
    amount_won = models.PositiveBigIntegerField(_("amount (won)"))
    detail_ko = models.CharField(_("detail (Korean)"), max_length=300, blank=True)
    detail_en = models.CharField(_("detail (English)"), max_length=300, blank=True)
    anchor = models.ForeignKey(Anchor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sort_order = models.PositiveSmallIntegerField(default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("schedule entry")
        verbose_name_plural = _("execution schedule")
        ordering = ["year", "sort_order"]

    def __str__(self) -> str:
        return self.activity

    @property
    def activity(self) -> str:
        return localized(self, "activity")

    @property
    def detail(self) -> str:
        return localized(self, "detail")


class PlanRow(TimeStampedModel):
    """A row of the multi-year investment plan (million won in the book), as printed.

    A cell the book leaves blank is empty (None), not 0. Each figure has its national share as the book prints
    it above the figure: None where nothing is printed, 0 for "(x-)". `total_won` is the printed total; the page
    and the importer check it against the sum of the years.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_rows")
    item = models.ForeignKey(
        ExpenseItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the total row."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order in the plan table"), default=100)
    total_won = models.BigIntegerField(_("total (won)"))
    total_national_won = models.BigIntegerField(_("total, national (won)"), null=True, blank=True)
    before_won = models.BigIntegerField(_("invested before (won)"), null=True, blank=True)
    before_national_won = models.BigIntegerField(_("invested before, national (won)"), null=True, blank=True)
    before_label = models.CharField(_("'before' column"), max_length=20, default="~2019")
    year1 = models.PositiveSmallIntegerField(_("first year"))
    year1_won = models.BigIntegerField(_("first year (won)"), null=True, blank=True)
    year1_national_won = models.BigIntegerField(_("first year, national (won)"), null=True, blank=True)
    year2_won = models.BigIntegerField(_("second year (won)"), null=True, blank=True)
    year2_national_won = models.BigIntegerField(_("second year, national (won)"), null=True, blank=True)
    after_won = models.BigIntegerField(_("later years (won)"), null=True, blank=True)
    after_national_won = models.BigIntegerField(_("later years, national (won)"), null=True, blank=True)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)

    history = HistoricalRecords()

    # The five figures of a row, in the order of the book's columns.
    FIGURES = ("total_won", "before_won", "year1_won", "year2_won", "after_won")
    YEARS = FIGURES[1:]

    class Meta:
        verbose_name = _("multi-year plan row")
        verbose_name_plural = _("multi-year plan")
        ordering = ["project", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "item"], name="plan_row_one_per_item"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(item__isnull=True), name="plan_one_total_row_per_project"
            ),
        ]

    def __str__(self) -> str:
        return str(self.item or _("Total"))

    @property
    def years_sum_won(self) -> int:
        """The sum of the year columns; a blank cell adds nothing."""
        return sum(getattr(self, f) or 0 for f in self.YEARS)


class SettlementRow(TimeStampedModel):
    """A year's settlement (결산); fields the source leaves out stay empty rather than invented."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="settlements")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    final_won = models.BigIntegerField(_("final budget (won)"), null=True, blank=True)
    final_national_won = models.BigIntegerField(_("final budget, national (won)"), null=True, blank=True)
    carried_in_won = models.BigIntegerField(_("carried over from last year (won)"), null=True, blank=True)
    carried_in_national_won = models.BigIntegerField(_("carried in, national (won)"), null=True, blank=True)
    change_won = models.BigIntegerField(_("budget change (won)"), null=True, blank=True)
    change_national_won = models.BigIntegerField(_("budget change, national (won)"), null=True, blank=True)
    available_won = models.BigIntegerField(_("budget available (won)"), null=True, blank=True)
    available_national_won = models.BigIntegerField(_("available, national (won)"), null=True, blank=True)
    executed_won = models.BigIntegerField(_("executed (won)"), null=True, blank=True)
    executed_national_won = models.BigIntegerField(_("executed, national (won)"), null=True, blank=True)
    carried_out_won = models.BigIntegerField(_("carried over to next year (won)"), null=True, blank=True)
    carried_out_national_won = models.BigIntegerField(_("carried out, national (won)"), null=True, blank=True)
    unexecuted_won = models.BigIntegerField(_("unexecuted balance (won)"), null=True, blank=True)
    unexecuted_national_won = models.BigIntegerField(_("unexecuted, national (won)"), null=True, blank=True)
    complete = models.BooleanField(
        _("complete in the source"),
        default=True,
        help_text=_("Untick when the source leaves figures out; blanks then mean unknown, not nil."),
    )
    source_note = models.CharField(_("source note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("settlement row")
        verbose_name_plural = _("settlement")
        ordering = ["project", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="settlement_one_per_year")]

    # The seven figures of a settlement line, in the order of the source table.
    FIGURES = (
        "final_won",
        "carried_in_won",
        "change_won",
        "available_won",
        "executed_won",
        "carried_out_won",
        "unexecuted_won",
    )

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    @staticmethod
    def national_of(figure: str) -> str:
        """The field holding a figure's national share: final_won -> final_national_won."""
        return figure.removesuffix("_won") + "_national_won"

    def identity_sums(self) -> tuple[int, int, int]:
        """(final + carried in ± change, available, executed + carried out + unexecuted); a blank counts as 0.

        A settlement adds up when both sums equal the available figure.
        """
        v = {f: getattr(self, f) or 0 for f in self.FIGURES}
        return (
            v["final_won"] + v["carried_in_won"] + v["change_won"],
            v["available_won"],
            v["executed_won"] + v["carried_out_won"] + v["unexecuted_won"],
        )


class ChangeKind(models.TextChoices):
    SUPPLEMENTARY = "supplementary", _("Supplementary budget")
    TRANSFER = "transfer", _("Transfer")
    CARRY_OVER = "carry_over", _("Carried over from last year")


class BudgetChange(TimeStampedModel):
    """A supplementary budget, transfer or carry-over that changes a line's amount during the year."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="changes", verbose_name=_("budget line")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=ChangeKind.choices)
    amount_won = models.BigIntegerField(_("amount (won, negative to reduce)"))
    decided_on = models.DateField(_("decided on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget change")
        verbose_name_plural = _("budget changes")
        ordering = ["decided_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_won:+,}"


def evidence_path(instance, filename: str) -> str:
    return random_upload_name("budget-evidence", filename)


class ExecutionRecord(TimeStampedModel):
    """A payment against a budget line: date, amount, payee, description and its evidence."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="records", verbose_name=_("budget line")
    )
    anchor = models.ForeignKey(
        Anchor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("anchor"),
        help_text=_("The anchor the payment was for: one of the line's shares; empty for a city-wide payment."),
    )
    date = models.DateField(_("date"))
    amount_won = models.BigIntegerField(_("amount (won)"))
    payee = models.CharField(_("payee"), max_length=150)
    description = models.CharField(_("description"), max_length=300)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, storage=private_storage, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("execution record")
        verbose_name_plural = _("execution records")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["line", "date"]), models.Index(fields=["anchor", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.amount_won:,} {self.payee}"


class PlannedExecution(models.Model):
    """The planned cumulative share of a year's budget executed by the end of each month (for the curve)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="planned_curve")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.PositiveSmallIntegerField(_("month"))
    cumulative_won = models.PositiveBigIntegerField(_("planned cumulative execution (won)"))
    is_example = models.BooleanField(_("example data"), default=False)

    class Meta:
        verbose_name = _("planned execution")
        verbose_name_plural = _("planned execution curve")
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="planned_once_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="planned_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


def report_path(instance, filename: str) -> str:
    return random_upload_name("reports", filename)


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be prepared")


# A report in these statuses is being made: a second request waits for it rather than starting another.
IN_PROGRESS = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class MonthlyReport(models.Model):
    """The monthly report of an operating anchor, or city-wide (no anchor); regeneration replaces the files."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, null=True, blank=True, related_name="monthly_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    xlsx = models.FileField(_("spreadsheet"), upload_to=report_path, storage=private_storage, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_path, storage=private_storage, blank=True)
    has_data = models.BooleanField(_("has data"), default=False)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    emailed_to = models.PositiveSmallIntegerField(_("e-mailed to (people)"), default=0)
    mailed_at = models.DateTimeField(
        _("mailed at"), null=True, blank=True, help_text=_("Set once, when the monthly job queues the e-mails.")
    )
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-year", "-month", "anchor__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "year", "month"], name="one_report_per_anchor_month"),
            models.UniqueConstraint(
                fields=["year", "month"], condition=Q(anchor__isnull=True), name="one_city_report_per_month"
            ),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="report_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.anchor or 'Seoul'} {self.year}-{self.month:02d}"
