from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline, confirm_examples

from .models import BookingPolicy, CalendarFeed, Quota, Reservation, ReservationEvent, Series


class ReservationEventInline(ReadOnlyInline):
    model = ReservationEvent
    fields = readonly_fields = ["at", "by", "from_status", "to_status", "reason", "detail"]


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    """Read-only: bookings change through the desk and the maker's pages, whose services keep the rules and the log."""

    list_display = [
        "pk",
        "anchor",
        "space",
        "equipment",
        "start_at",
        "end_at",
        "status",
        "user",
        "guest_name",
        "fee_won",
    ]
    list_filter = ["status", "anchor"]
    search_fields = ["user__email", "user__full_name", "guest_name", "guest_organisation", "purpose", "checkin_code"]
    date_hierarchy = "start_at"
    list_select_related = ["anchor", "space", "equipment", "user"]
    inlines = [ReservationEventInline]


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "anchor",
        "lead_time_minutes",
        "maker_days_ahead",
        "approval_hold_hours",
        "free_cancellation_hours",
        "late_cancellation_pct",
        "no_show_pct",
        "is_example",
    ]
    search_fields = ["anchor__name_ko", "anchor__name_en"]
    list_filter = ["anchor", "is_example"]
    actions = [confirm_examples]


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["anchor", "space_kind", "equipment_kind", "hours_per_week", "is_example"]
    list_filter = ["anchor", "space_kind", "equipment_kind", "is_example"]
    actions = [confirm_examples]
    search_fields = ["anchor__name_ko", "anchor__name_en"]


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ["pk", "frequency", "count", "created_by", "created_at"]
    list_filter = ["frequency"]
    search_fields = ["created_by__email"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "updated_at"]
    search_fields = ["user__email"]
    exclude = ["token"]
