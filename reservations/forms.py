from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.time import SEOUL, year_in_range
from facilities.models import DiscountCategory

from .models import Frequency

REPEAT_CHOICES = [("", _("Does not repeat")), (Frequency.DAILY, _("Every day")), (Frequency.WEEKLY, _("Every week"))]


class BookingForm(forms.Form):
    """The shape of a booking; the rules (hours, clashes, quotas, trainings) are the service's."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "step": 1800})
    )
    end = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "step": 1800})
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    party_size = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=500, required=False)
    notes = forms.CharField(
        label=_("Notes for the staff"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False
    )
    repeat = forms.ChoiceField(label=_("Repeat"), choices=REPEAT_CHOICES, required=False)
    count = forms.IntegerField(label=_("Number of occurrences"), min_value=2, max_value=52, required=False, initial=8)
    # staff only
    maker_email = forms.EmailField(label=_("Maker's e-mail (if the guest has an account)"), required=False)
    guest_name = forms.CharField(label=_("Guest name"), max_length=100, required=False)
    guest_phone = forms.CharField(label=_("Guest phone"), max_length=30, required=False)
    guest_organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    discount_category = forms.ChoiceField(
        label=_("Fee category"), required=False, choices=[("", _("Standard price")), *DiscountCategory.choices]
    )

    STAFF_FIELDS = ("maker_email", "guest_name", "guest_phone", "guest_organisation", "discount_category")

    def __init__(self, *args, staff: bool = False, is_space: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        if not staff:
            for name in self.STAFF_FIELDS:
                del self.fields[name]
        if not is_space:
            del self.fields["party_size"]

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if day and not year_in_range(day.year):
            self.add_error("date", _("Choose a date between 2000 and 2100."))
            return cleaned
        if day and start and end:
            cleaned["start_at"] = datetime.combine(day, start, tzinfo=SEOUL)
            end_at = datetime.combine(day, end, tzinfo=SEOUL)
            if end.hour == 0 and end.minute == 0 and start != end:
                end_at += timedelta(days=1)  # "until 00:00" is the end of the day
            cleaned["end_at"] = end_at
            if end_at <= cleaned["start_at"]:
                self.add_error("end", _("The end must be after the start."))
        if cleaned.get("repeat") and not cleaned.get("count"):
            self.add_error("count", _("How many times should it repeat?"))
        if self.staff:
            email = (cleaned.get("maker_email") or "").strip()
            cleaned["maker"] = None
            if email:
                cleaned["maker"] = User.objects.filter(email__iexact=email, is_active=True).first()
                if cleaned["maker"] is None:
                    self.add_error("maker_email", _("No active account has this e-mail address."))
            elif not (cleaned.get("guest_name") or "").strip():
                self.add_error("guest_name", _("Give the guest's name, or a maker's e-mail address."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)
