from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from common.time import SEOUL
from facilities.models import EquipmentKind, Space, SpaceKind

from .models import Programme, ProgrammeKind


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "kind",
            "title_ko",
            "title_en",
            "description_ko",
            "description_en",
            "audience_ko",
            "audience_en",
            "capacity",
            "fee_won",
            "certifies",
        ]
        widgets = {
            "description_ko": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certifies"].queryset = EquipmentKind.objects.filter(requires_certification=True).order_by(
            "name_en"
        )
        self.fields["kind"].initial = ProgrammeKind.WORKSHOP


class SessionForm(forms.Form):
    space = forms.ModelChoiceField(label=_("Room"), queryset=Space.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800}))

    def __init__(self, *args, anchor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = (
            Space.objects.filter(anchor=anchor, bookable=True)
            .exclude(kind=SpaceKind.STARTUP_SPACE)
            .order_by("sort_order")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("start") and cleaned.get("end"):
            cleaned["start_at"] = datetime.combine(cleaned["date"], cleaned["start"], tzinfo=SEOUL)
            cleaned["end_at"] = datetime.combine(cleaned["date"], cleaned["end"], tzinfo=SEOUL)
            if cleaned["end_at"] <= cleaned["start_at"]:
                self.add_error("end", _("The end must be after the start."))
        return cleaned


class OutcomeForm(forms.Form):
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=0,
        required=False,
        help_text=_("Leave empty to count the people marked as attending."),
    )
    matches = forms.IntegerField(label=_("Matches or contracts made"), min_value=0, initial=0)
    jobs_created = forms.IntegerField(label=_("Jobs created"), min_value=0, initial=0)
    satisfaction = forms.DecimalField(
        label=_("Satisfaction (0–5)"), min_value=0, max_value=5, decimal_places=1, required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
