from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DiscountCategory, EquipmentStatus, Space
from .pricing import SEOUL


class QuoteForm(forms.Form):
    """The public fee calculator: a resource, a day, a start and an end time, and a user category."""

    resource = forms.ChoiceField(label=_("Space or equipment"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800}))
    end = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 1800}),
        help_text=_("An end at or before the start means the next day."),
    )
    category = forms.ChoiceField(
        label=_("User category"), required=False, choices=[("", _("None (standard price)")), *DiscountCategory.choices]
    )

    def __init__(self, *args, resources: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = resources

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if day and not 2000 <= day.year <= 2100:
            self.add_error("date", _("Choose a date between 2000 and 2100."))
            return cleaned
        if day and start and end:
            start_dt = datetime.combine(day, start, tzinfo=SEOUL)
            end_dt = datetime.combine(day, end, tzinfo=SEOUL)
            if end_dt <= start_dt:
                end_dt += timedelta(days=1)
            cleaned["start_at"], cleaned["end_at"] = start_dt, end_dt
        return cleaned


class FaultReportForm(forms.Form):
    description = forms.CharField(label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class EquipmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=EquipmentStatus.choices)
    note = forms.CharField(label=_("Why"), max_length=500)


class ClosureForm(forms.Form):
    space = forms.ModelChoiceField(
        label=_("Space"), queryset=Space.objects.none(), required=False, empty_label=_("The whole anchor")
    )
    starts_at = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, anchor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(anchor=anchor).order_by("sort_order", "name_en")

    def clean(self):
        cleaned = super().clean()
        s, e = cleaned.get("starts_at"), cleaned.get("ends_at")
        if s and e and e <= s:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class CertificationGrantForm(forms.Form):
    email = forms.EmailField(label=_("Maker's e-mail address"))
    kind = forms.ModelChoiceField(label=_("Equipment kind"), queryset=None)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("For example the training session the maker passed.")
    )

    def __init__(self, *args, **kwargs):
        from .models import EquipmentKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = EquipmentKind.objects.filter(requires_certification=True).order_by("name_en")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class LoanForm(forms.Form):
    borrower_name = forms.CharField(label=_("Borrower"), max_length=100)
    borrower_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    due_on = forms.DateField(
        label=_("Due back on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=lambda: timezone.localdate() + timedelta(days=7),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TenantApplicationForm(forms.Form):
    """Apply for a start-up space: for a company the maker belongs to, or a new one."""

    anchor = forms.ModelChoiceField(label=_("Anchor"), queryset=None)
    organisation = forms.ModelChoiceField(
        label=_("Your company"), queryset=None, required=False, empty_label=_("A new company (fill in below)")
    )
    name = forms.CharField(label=_("Company name"), max_length=150, required=False)
    business_registration_number = forms.CharField(
        label=_("Business registration number"),
        max_length=12,
        required=False,
        help_text=_("10 digits, like 123-45-67890."),
    )
    representative = forms.CharField(label=_("Representative"), max_length=60, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    business_plan = forms.CharField(label=_("Business plan"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    wanted_from = forms.DateField(label=_("Wanted from"), widget=forms.DateInput(attrs={"type": "date"}))
    wanted_months = forms.IntegerField(label=_("For (months)"), min_value=1, max_value=60, initial=12)
    document = forms.FileField(label=_("Supporting document (PDF, at most 10 MB)"), required=False)

    def __init__(self, *args, user, **kwargs):
        from accounts.models import Organisation
        from anchors.models import Anchor

        super().__init__(*args, **kwargs)
        self.fields["anchor"].queryset = (
            Anchor.objects.filter(status="operating", spaces__kind="startup_space").distinct().order_by("sort_order")
        )
        self.fields["organisation"].queryset = Organisation.objects.filter(memberships__user=user).order_by("name")

    def clean(self):
        from accounts.validators import validate_brn

        cleaned = super().clean()
        if not cleaned.get("organisation"):
            for field in ("name", "business_registration_number", "representative"):
                if not (cleaned.get(field) or "").strip():
                    self.add_error(field, _("Needed for a new company."))
            brn = cleaned.get("business_registration_number")
            if brn:
                try:
                    validate_brn(brn)
                except forms.ValidationError as err:
                    self.add_error("business_registration_number", err)
        return cleaned


class ReviewForm(forms.Form):
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    space = forms.ModelChoiceField(label=_("Start-up space"), queryset=None, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, anchor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(anchor=anchor, kind="startup_space").order_by("sort_order")


class RenewForm(forms.Form):
    months = forms.IntegerField(label=_("Renew for (months)"), min_value=1, max_value=60, initial=12)


class TerminateForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=300)
    graduated = forms.BooleanField(label=_("The company graduates"), required=False)


class KPIForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Company"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    sales_won = forms.IntegerField(label=_("Sales (won)"), min_value=0, max_value=10**15)
    hires = forms.IntegerField(label=_("People hired"), min_value=0, max_value=10_000)
    prototypes = forms.IntegerField(label=_("Prototypes made"), min_value=0, max_value=10_000)
    products_launched = forms.IntegerField(label=_("Products launched"), min_value=0, max_value=10_000)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class EvidenceReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
