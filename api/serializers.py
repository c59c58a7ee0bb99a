"""What the API says about anchors, spaces, machines, their week and a quote: the pages' figures, read through the
same selectors, blanks as null (never a made-up value), example data flagged (`is_example`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anchors.models import Anchor
from common.models import localized
from common.time import year_in_range
from facilities.models import Equipment, Space
from reservations import selectors as reservation_selectors
from reservations.forms import BookingForm, ReasonForm


class AnchorSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name_ko", help_text="The district, in Korean.")
    district_en = serializers.CharField(source="district.name_en")
    name = serializers.CharField(help_text="In the request's language.")
    url = serializers.SerializerMethodField(help_text="The anchor's page on the portal.")

    class Meta:
        model = Anchor
        fields = [
            "slug",
            "name",
            "name_ko",
            "name_en",
            "official_name_ko",
            "official_name_en",
            "kind",
            "status",
            "district",
            "district_en",
            "industry",
            "address_ko",
            "address_en",
            "floor_area_m2",
            "site_area_m2",
            "floors_above",
            "floors_below",
            "cost_won",
            "lease_deposit_won",
            "opened_on",
            "phone",
            "email",
            "website",
            "url",
        ]

    def get_url(self, obj: Anchor) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class ResourceSerializer(serializers.Serializer):
    """A bookable space or machine."""

    key = serializers.SerializerMethodField(help_text='"space:<id>" or "equipment:<id>": the key of its week.')
    type = serializers.SerializerMethodField()
    name = serializers.CharField(help_text="In the request's language.")
    name_ko = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.SerializerMethodField(help_text="A space's kind, or a machine's kind in the request's language.")
    space = serializers.SerializerMethodField(help_text="A machine's room (its key); null for a space.")
    capacity = serializers.SerializerMethodField(help_text="People, for a space; null when not known.")
    status = serializers.SerializerMethodField(help_text="A machine's status; null for a space.")
    requires_training = serializers.SerializerMethodField()
    requires_approval = serializers.BooleanField()
    booking_unit_minutes = serializers.IntegerField()
    min_duration_minutes = serializers.IntegerField()
    max_duration_minutes = serializers.IntegerField()
    buffer_minutes = serializers.IntegerField()
    is_example = serializers.BooleanField(help_text="True for example data the source documents do not give.")

    def get_key(self, obj: Any) -> str:
        return reservation_selectors.resource_key(obj)

    def get_type(self, obj: Any) -> str:
        return "space" if isinstance(obj, Space) else "equipment"

    def get_kind(self, obj: Any) -> str:
        return obj.kind if isinstance(obj, Space) else str(obj.kind)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_space(self, obj: Any) -> str | None:
        return reservation_selectors.resource_key(obj.space) if isinstance(obj, Equipment) else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_capacity(self, obj: Any) -> int | None:
        return obj.capacity if isinstance(obj, Space) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_status(self, obj: Any) -> str | None:
        return obj.status if isinstance(obj, Equipment) else None

    def get_requires_training(self, obj: Any) -> bool:
        return isinstance(obj, Equipment) and obj.kind.requires_certification


class WeekCellSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(help_text="For a free cell, the end of the shortest booking it offers.")
    state = serializers.ChoiceField(
        choices=list(reservation_selectors.GRID_STATES),
        help_text="free: bookable by the one asking; the other states say which rule stops a booking there.",
    )
    label = serializers.SerializerMethodField(help_text="The state as the page says it, in the request's language.")
    fee_won = serializers.IntegerField(allow_null=True, help_text="For a free cell: the fee of that booking, in won.")
    fee_is_example = serializers.BooleanField(help_text="The fee comes from example prices.")

    def get_label(self, obj: Any) -> str:
        return str(reservation_selectors.GRID_STATES[obj.state])


class WeekSerializer(serializers.Serializer):
    resource = ResourceSerializer()
    days = serializers.ListField(child=serializers.DateField())
    length_minutes = serializers.IntegerField()
    cells = WeekCellSerializer(many=True, help_text="Day by day, then by time of day.")


class QuoteLineSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    unit = serializers.CharField(help_text='"hour", "half_day", "day" or "month".')
    unit_price_won = serializers.IntegerField()
    surcharge_pct = serializers.IntegerField()
    gross_won = serializers.IntegerField(help_text="The price with surcharges, before the discount.")
    discount_pct = serializers.IntegerField()
    discount_won = serializers.IntegerField()
    vat_won = serializers.IntegerField(help_text="VAT added when the rate table's prices exclude it, else 0.")
    amount_won = serializers.IntegerField()


class QuoteSerializer(serializers.Serializer):
    total_won = serializers.IntegerField()
    deposit_won = serializers.IntegerField()
    is_example = serializers.BooleanField(help_text="Computed from example prices (not yet confirmed by the anchor).")
    lines = QuoteLineSerializer(many=True)


class PortalDateTimeField(serializers.DateTimeField):
    """A date and time between the years 2000 and 2100, as the booking form takes (DRF's own field fails with an
    OverflowError, a 500, on a time near year 1 or 9999 when it checks the time zone)."""

    default_error_messages = {"out_of_range": gettext_lazy("Choose a date between 2000 and 2100.")}

    def to_internal_value(self, value: Any) -> Any:
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            self.fail("out_of_range")
        if not year_in_range(parsed.year):
            self.fail("out_of_range")
        return parsed


class QuoteQuerySerializer(serializers.Serializer):
    start = PortalDateTimeField(help_text="ISO 8601 with an offset, e.g. 2027-01-05T10:00:00+09:00.")
    end = PortalDateTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end must be after the start.")]})
        if attrs["end"] - attrs["start"] > timedelta(days=31):
            raise serializers.ValidationError({"end": [_("A quote covers at most 31 days.")]})
        return attrs


class StrictSerializer(serializers.Serializer):
    """A request body: a JSON object with only the fields named here (an unknown field is refused, not ignored:
    a misspelt `accepted_charge_won` must not silently mean 0)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(self.initial_data) - set(self.fields)) if isinstance(self.initial_data, dict) else []
        if unknown:  # named back as sent, with anything JSON cannot carry (a lone surrogate) escaped
            raise serializers.ValidationError(
                {name.encode("utf-8", "backslashreplace").decode(): [_("This field is not known.")] for name in unknown}
            )
        return super().validate(attrs)


_FORM = BookingForm.base_fields
_REASON = ReasonForm.base_fields["reason"]


class BookingRequestSerializer(StrictSerializer):
    resource = serializers.CharField(max_length=40, help_text='The key of a space or machine, e.g. "equipment:3".')
    start = PortalDateTimeField(help_text="ISO 8601 with an offset, e.g. 2027-01-05T10:00:00+09:00.")
    end = PortalDateTimeField()
    # The booking form's own limits (one place for both).
    purpose = serializers.CharField(
        max_length=_FORM["purpose"].max_length, required=False, allow_blank=True, default=""
    )
    party_size = serializers.IntegerField(
        min_value=_FORM["party_size"].min_value,
        max_value=_FORM["party_size"].max_value,
        required=False,
        allow_null=True,
        default=None,
    )
    notes = serializers.CharField(max_length=_FORM["notes"].max_length, required=False, allow_blank=True, default="")
    fee_shown_won = serializers.IntegerField(
        min_value=0,
        max_value=10**12,
        required=False,
        allow_null=True,
        default=None,
        help_text="The fee the maker was shown (the quote's total): if it is different now, nothing is booked and "
        "the problem `fee_changed` says the new fee.",
    )


class MoveRequestSerializer(StrictSerializer):
    start = PortalDateTimeField()
    end = PortalDateTimeField()


class CancelRequestSerializer(StrictSerializer):
    accepted_charge_won = serializers.IntegerField(
        min_value=0,
        max_value=10**12,
        default=0,
        help_text="The charge the maker accepts (the reservation's `cancellation_charge_won`): if cancelling costs "
        "more now, nothing is cancelled and the problem `charge_changed` says the charge.",
    )
    reason = serializers.CharField(max_length=_REASON.max_length, required=False, allow_blank=True, default="")


class ReasonRequestSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=_REASON.max_length, help_text="Told to the maker.")


class EmptyRequestSerializer(StrictSerializer):
    pass


class ReservationSerializer(serializers.Serializer):
    """A reservation as its maker and its anchor's desk see it on its page."""

    id = serializers.IntegerField(source="pk")
    anchor = serializers.CharField(source="anchor.slug")
    resource = serializers.SerializerMethodField(help_text="The key of the space or machine.")
    resource_name = serializers.SerializerMethodField(help_text="In the request's language.")
    start = serializers.DateTimeField(source="start_at")
    end = serializers.DateTimeField(source="end_at")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display", help_text="In the request's language.")
    hold_expires_at = serializers.DateTimeField(allow_null=True, help_text="A request waits for the desk until then.")
    holder_name = serializers.CharField(help_text="The maker, or the guest the desk booked for.")
    purpose = serializers.CharField()
    party_size = serializers.IntegerField(allow_null=True)
    fee_won = serializers.IntegerField()
    deposit_won = serializers.IntegerField()
    fee_is_example = serializers.BooleanField(help_text="The fee comes from example prices.")
    charge_won = serializers.IntegerField(help_text="A cancellation or no-show charge owed, else 0.")
    charge_is_example = serializers.BooleanField()
    page = serializers.SerializerMethodField(help_text="The reservation's page on the portal.")

    def get_resource(self, obj: Any) -> str:
        return reservation_selectors.resource_key(obj.resource)

    def get_resource_name(self, obj: Any) -> str:
        return str(obj.resource.name)

    def get_page(self, obj: Any) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class ReservationDetailSerializer(ReservationSerializer):
    actions = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="What the one asking may do now (the page's buttons): cancel, move, approve, reject, check_in, "
        "no_show, complete, waive, cancel_series.",
    )
    cancellation_charge_won = serializers.IntegerField(
        allow_null=True,
        help_text="What cancelling now costs (send it as `accepted_charge_won`); null when it cannot be cancelled.",
    )
    ics = serializers.CharField(help_text="The reservation as an iCalendar file (the same authentication).")


class RateRuleSerializer(serializers.Serializer):
    resource = serializers.SerializerMethodField(
        help_text='"space:<id>" for a room, "equipment_kind:<slug>" for a machine kind.'
    )
    name = serializers.SerializerMethodField(help_text="In the request's language.")
    unit = serializers.CharField(help_text='"hour", "half_day", "day" or "month".')
    base_price_won = serializers.IntegerField()
    evening_surcharge_pct = serializers.IntegerField()
    weekend_surcharge_pct = serializers.IntegerField()
    holiday_surcharge_pct = serializers.IntegerField()
    deposit_won = serializers.IntegerField()
    note = serializers.SerializerMethodField()

    def get_resource(self, obj: Any) -> str:
        return f"space:{obj.space_id}" if obj.space_id else f"equipment_kind:{obj.equipment_kind.slug}"

    def get_name(self, obj: Any) -> str:
        return str(obj.space.name if obj.space_id else obj.equipment_kind.name)

    def get_note(self, obj: Any) -> str:
        return localized(obj, "note")


class CategoryDiscountSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField(source="get_category_display", help_text="In the request's language.")
    percent = serializers.IntegerField()


class RateVersionSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    basis = serializers.SerializerMethodField()
    evening_starts = serializers.TimeField()
    discount_rule = serializers.CharField()
    rounding_won = serializers.IntegerField()
    vat_included = serializers.BooleanField()
    is_example = serializers.BooleanField(
        help_text="Example prices the sources do not give; the anchor has not confirmed them."
    )
    rules = RateRuleSerializer(many=True, source="rules.all")
    discounts = CategoryDiscountSerializer(many=True, source="discounts.all")

    def get_basis(self, obj: Any) -> str:
        return localized(obj, "basis")


class RatesSerializer(serializers.Serializer):
    current = RateVersionSerializer(allow_null=True)
    next = RateVersionSerializer(allow_null=True, help_text="A published version that takes effect later, if any.")
