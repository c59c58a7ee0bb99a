"""The outbox (every e-mail the portal sends is a row here first) and the in-portal notifications list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anchors.models import Anchor


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Gave up after retries")
    SKIPPED = "skipped", _("No longer needed")


class Outbox(models.Model):
    """One message to one person, made once (the unique key) and claimed once per attempt (a compare-and-swap).

    Delivery is at least once: a worker that dies after the mail server accepted a message but before the
    row is marked leaves the row "sending"; it is taken up again after OUTBOX_STALE_SECONDS and sent again
    with the same Message-ID, so the repeat is recognisable downstream.
    """

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    object_id = models.PositiveBigIntegerField()
    offset_minutes = models.PositiveIntegerField(null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "notifications_outbox"
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="outbox_status_due_idx")]

    def __str__(self) -> str:
        return self.key

    @property
    def family(self) -> str:
        return self.kind.split(":", 1)[0]


class Notification(models.Model):
    """A message in a user's notifications list; made by the outbox when it delivers, at most once per row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    outbox = models.OneToOneField(Outbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification")

    class Meta:
        db_table = "notifications_notification"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read_idx")]

    def __str__(self) -> str:
        return self.title
