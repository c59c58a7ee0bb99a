from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Notification, Outbox


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    """Read-only: messages are queued and sent by notifications.services, never edited by hand."""

    list_display = ["key", "kind", "user", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "anchor"]
    search_fields = ["key", "user__email"]
    list_select_related = ["user"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "user__email"]
    list_select_related = ["user"]
