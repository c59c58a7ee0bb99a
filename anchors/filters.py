from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Anchor, AnchorKind, AnchorStatus, District, Industry


class AnchorFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        field_name="district",
        to_field_name="slug",
        queryset=District.objects.order_by("name_en"),
        label=_("District"),
        empty_label=_("All districts"),
    )
    industry = django_filters.ChoiceFilter(
        choices=Industry.choices, label=_("Industry"), empty_label=_("All industries")
    )
    status = django_filters.ChoiceFilter(choices=AnchorStatus.choices, label=_("Status"), empty_label=_("All statuses"))
    kind = django_filters.ChoiceFilter(choices=AnchorKind.choices, label=_("Kind"), empty_label=_("All kinds"))

    class Meta:
        model = Anchor
        fields = ["district", "industry", "status", "kind"]
