from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline, confirm_examples

from .models import AllocationPolicy, Appeal, Draw, LotteryWindow, SlotWait, StandingEvent, Strike, Suspension


@admin.register(AllocationPolicy)
class AllocationPolicyAdmin(admin.ModelAdmin):
    """Each anchor's terms: how long a freed slot is offered, what counts as a strike, the threshold, for how long
    and where online booking is suspended."""

    list_display = [
        "anchor",
        "offer_minutes",
        "strikes_enabled",
        "late_cancellation_strikes",
        "strike_days",
        "strike_threshold",
        "suspension_days",
        "suspension_city_wide",
        "is_example",
    ]
    list_filter = ["anchor", "is_example", "suspension_city_wide"]
    search_fields = ["anchor__name_ko", "anchor__name_en"]
    actions = [confirm_examples]


@admin.register(LotteryWindow)
class LotteryWindowAdmin(ReadOnlyAdmin):
    """Read-only: windows are declared and called off on the desk's pages (their services fix the seed and tell
    applicants); the draw is the worker's."""

    list_display = ["title", "anchor", "first_day", "last_day", "opens_at", "closes_at", "state"]
    list_filter = ["state", "anchor"]
    search_fields = ["title"]
    exclude = ["seed"]  # secret until the draw


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ["window", "drawn_at", "algorithm", "applications_digest"]
    search_fields = ["window__title"]


@admin.register(SlotWait)
class SlotWaitAdmin(ReadOnlyAdmin):
    list_display = ["user", "anchor", "space", "equipment", "start_at", "end_at", "status", "offer_expires_at"]
    list_filter = ["status", "anchor"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "anchor", "space", "equipment"]


class AppealInline(ReadOnlyInline):
    model = Appeal
    fields = readonly_fields = ["reason", "submitted_at", "status", "decided_by", "decided_at", "decision_reason"]


@admin.register(Strike)
class StrikeAdmin(ReadOnlyAdmin):
    """Read-only: strikes come from no-shows and late cancellations; an appeal decided on the desk removes one."""

    list_display = ["user", "anchor", "kind", "at", "expires_at", "removed_at"]
    list_filter = ["kind", "anchor"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "anchor"]
    inlines = [AppealInline]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["user", "anchor", "imposed_by", "starts_at", "ends_at", "lifted_at"]
    list_filter = ["imposed_by"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(StandingEvent)
class StandingEventAdmin(ReadOnlyAdmin):
    list_display = ["user", "anchor", "at", "kind", "reason"]
    list_filter = ["kind", "anchor"]
    search_fields = ["user__email"]
