"""Participants import/export (XLSX, CSV): by programme id and maker e-mail; one bad row rejects the file.

Each imported row is a registration made by `registration_create`, so places and the waiting list hold as
when makers register themselves: the status is the service's answer, never the file's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields

from accounts.models import User
from facilities.resources import StrictForeignKeyWidget, StrictResource

from . import services
from .models import Programme, Registration, RegistrationStatus


class RegistrationResource(StrictResource):
    programme = fields.Field(
        attribute="programme", column_name="programme", widget=StrictForeignKeyWidget(Programme, "pk")
    )
    user = fields.Field(attribute="user", column_name="email", widget=StrictForeignKeyWidget(User, "email"))
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    created_at = fields.Field(attribute="created_at", column_name="created_at", readonly=True)
    header_aliases = {"프로그램": "programme", "이메일": "email", "상태": "status"}
    unique_in_file = ("email_key",)

    class Meta:
        model = Registration
        import_id_fields = ("programme", "user")
        fields = ("programme", "user", "status", "created_at")
        clean_model_instances = False  # registration_create checks the registration
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        row["email_key"] = f"{row.get('programme')}/{str(row.get('email') or '').lower()}"
        super().before_import_row(row, **kwargs)

    def get_instance(self, instance_loader, row):
        # Only a live registration is "the same": a maker who cancelled may be registered again.
        try:
            programme, user = self.fields["programme"].clean(row), self.fields["user"].clean(row)
        except ValueError:
            return None  # the row's own errors are reported when its fields are imported
        return (
            Registration.objects.filter(
                programme=programme,
                user=user,
                status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED],
            ).first()
            if programme is not None and user is not None
            else None
        )

    def do_instance_save(self, instance, is_create):

        if not is_create:
            raise ValidationError(_("This maker is already registered for this programme."))
        if instance.programme is None or instance.user is None:
            raise ValidationError(_("Give the programme and the maker's e-mail address."))
        reg = services.registration_create(programme=instance.programme, user=instance.user, now=timezone.now())
        instance.pk, instance.status, instance.created_at = reg.pk, reg.status, reg.created_at
