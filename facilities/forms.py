from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.time import SEOUL, year_in_range

from .models import DiscountCategory, EquipmentKind, EquipmentStatus, Space


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
        if day and not year_in_range(day.year):
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
