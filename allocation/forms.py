"""The shapes of fair allocation's input; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import MakerCategory
from facilities.models import EquipmentKind, SpaceKind

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class WindowForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("lottery", "Title"),
        max_length=120,
        help_text=_("For example: Laser cutter, January Saturdays"),
    )
    target = forms.ChoiceField(label=_("What is allocated"))
    first_day = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    day_start = forms.TimeField(label=_("Slots from"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    day_end = forms.TimeField(label=_("Slots until"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=15, max_value=1440, initial=120)
    opens_at = forms.DateTimeField(
        label=_("Applications open"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        label=_("Applications close and the draw runs"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    choices_per_maker = forms.IntegerField(label=_("Choices per maker"), min_value=1, max_value=10, initial=3)
    wins_per_maker = forms.IntegerField(label=_("Slots won per maker at most"), min_value=1, max_value=10, initial=1)
    recent_win_days = forms.IntegerField(
        label=_("Fewer recent wins first: look back (days, 0 = off)"), min_value=0, max_value=365, initial=0
    )

    def __init__(self, *args: Any, anchor: Any, resources: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = []
        for r in resources:
            key = f"{'space' if r.__class__.__name__ == 'Space' else 'equipment'}:{r.pk}"
            choices.append((key, r.name))
        kinds = sorted({r.kind for r in resources if r.__class__.__name__ == "Space"})
        machine_kinds = {r.kind_id: r.kind for r in resources if r.__class__.__name__ == "Equipment"}
        kind_choices = [(f"space_kind:{k}", _("Every space: %(kind)s") % {"kind": SpaceKind(k).label}) for k in kinds]
        kind_choices += [
            (f"equipment_kind:{pk}", _("Every machine: %(kind)s") % {"kind": kind.name})
            for pk, kind in sorted(machine_kinds.items())
        ]
        self.fields["target"].choices = [(_("One space or machine"), choices), (_("Every one of a kind"), kind_choices)]
        self.resources = {key: r for key, r in zip([c[0] for c in choices], resources, strict=True)}
        for category in MakerCategory:
            if category.value:
                self.fields[f"weight_{category.value}"] = forms.IntegerField(
                    label=_("Weight: %(category)s") % {"category": category.label},
                    min_value=1,
                    max_value=10,
                    initial=1,
                    required=False,
                )

    def clean_target(self) -> Any:
        value = self.cleaned_data["target"]
        if value in self.resources:
            return self.resources[value]
        kind, _sep, rest = value.partition(":")
        if kind == "space_kind":
            return rest
        if kind == "equipment_kind" and rest.isdigit():
            found = EquipmentKind.objects.filter(pk=int(rest)).first()
            if found is not None:
                return found
        raise forms.ValidationError(_("Choose one of the list."))

    def weights(self) -> dict[str, int]:
        return {
            c.value: self.cleaned_data[f"weight_{c.value}"]
            for c in MakerCategory
            if c.value and self.cleaned_data.get(f"weight_{c.value}") not in (None, 1)
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
