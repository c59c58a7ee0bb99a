"""The forms of the tenancy pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_brn
from anchors.models import Anchor, AnchorStatus
from facilities.models import Space, SpaceKind

from .models import Organisation


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
        super().__init__(*args, **kwargs)
        self.fields["anchor"].queryset = (
            Anchor.objects.filter(status=AnchorStatus.OPERATING, spaces__kind=SpaceKind.STARTUP_SPACE)
            .distinct()
            .order_by("sort_order")
        )
        self.fields["organisation"].queryset = Organisation.objects.filter(memberships__user=user).order_by("name")

    def clean(self):
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
        self.fields["space"].queryset = Space.objects.filter(anchor=anchor, kind=SpaceKind.STARTUP_SPACE).order_by(
            "sort_order"
        )


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
