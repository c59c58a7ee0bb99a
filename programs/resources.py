"""Participants import/export (XLSX, CSV): by programme id and maker e-mail; one bad row rejects the file."""

from __future__ import annotations

from import_export import fields

from accounts.models import User
from facilities.resources import StrictForeignKeyWidget, StrictResource

from .models import Programme, Registration


class RegistrationResource(StrictResource):
    programme = fields.Field(
        attribute="programme", column_name="programme", widget=StrictForeignKeyWidget(Programme, "pk")
    )
    user = fields.Field(attribute="user", column_name="email", widget=StrictForeignKeyWidget(User, "email"))
    header_aliases = {"프로그램": "programme", "이메일": "email", "상태": "status"}
    unique_in_file = ("email_key",)

    class Meta:
        model = Registration
        import_id_fields = ("programme", "user")
        fields = ("programme", "user", "status", "created_at")
        clean_model_instances = True
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        row["email_key"] = f"{row.get('programme')}/{str(row.get('email') or '').lower()}"
        super().before_import_row(row, **kwargs)
