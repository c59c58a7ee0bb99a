"""Companies and leases in and out of the admin (XLSX, CSV): the shared strictness of facilities.resources, leases
made by tenants.services.lease_create, never from the file's own figures."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from accounts.validators import normalise_brn
from facilities.resources import (
    COMMON_ALIASES,
    AnchorSpaceWidget,
    StrictForeignKeyWidget,
    StrictResource,
    example_cell,
)

from . import services
from .models import Lease, Organisation


class OrganisationResource(StrictResource):
    """Tenant companies; the registration number is checked with its check digit on every row."""

    header_aliases = {
        "회사명": "name",
        "사업자등록번호": "business_registration_number",
        "대표자": "representative",
        "업종": "industry",
        "전화": "phone",
        "이메일": "email",
        "주소": "address",
        "상태": "status",
    }
    unique_in_file = ("business_registration_number",)
    # Applicant → tenant → graduated or exited follows the company's leases; a file only reports it.
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    example = fields.Field(column_name="example", dehydrate_method="dehydrate_example", readonly=True)

    class Meta:
        model = Organisation
        import_id_fields = ("business_registration_number",)
        fields = (
            "name",
            "business_registration_number",
            "representative",
            "industry",
            "phone",
            "email",
            "address",
            "status",
            "example",
        )
        clean_model_instances = True
        skip_unchanged = True

    def dehydrate_example(self, obj) -> str:
        return example_cell(obj.is_example)

    def before_import_row(self, row, **kwargs):
        if row.get("business_registration_number"):
            row["business_registration_number"] = normalise_brn(str(row["business_registration_number"]))
        super().before_import_row(row, **kwargs)


class LeaseResource(StrictResource):
    """Leases by anchor, start-up space slug and company registration number, made by `lease_create`.

    The service decides what the file cannot: the monthly fee and deposit come from the rate table's monthly
    rule, the lease starts as applied (staff start it on the tenant board), and it may not overlap another lease
    of the space (those already in the database and those earlier in the same file alike). A lease that exists
    already is never changed by a file.
    """

    anchor = fields.Field(column_name="anchor", dehydrate_method="dehydrate_anchor")
    space = fields.Field(attribute="space", column_name="space", widget=AnchorSpaceWidget())
    monthly_fee_won = fields.Field(attribute="monthly_fee_won", column_name="monthly_fee_won", readonly=True)
    deposit_won = fields.Field(attribute="deposit_won", column_name="deposit_won", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    example = fields.Field(column_name="example", dehydrate_method="dehydrate_example", readonly=True)
    header_aliases = {
        **COMMON_ALIASES,
        "사업자등록번호": "organisation",
        "시작일": "starts_on",
        "종료일": "ends_on",
        "월 사용료(원)": "monthly_fee_won",
        "보증금(원)": "deposit_won",
        "상태": "status",
    }

    class Meta:
        model = Lease
        import_id_fields = ("space", "organisation", "starts_on")
        fields = (
            "anchor",
            "space",
            "organisation",
            "starts_on",
            "ends_on",
            "monthly_fee_won",
            "deposit_won",
            "status",
            "example",
        )
        clean_model_instances = False  # lease_create checks the whole lease
        skip_unchanged = True

    organisation = fields.Field(attribute="organisation", column_name="organisation", widget=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget = StrictForeignKeyWidget(Organisation, "business_registration_number")

    def dehydrate_example(self, obj) -> str:
        return example_cell(obj.is_example or (obj.rate_version_id is not None and obj.rate_version.is_example))

    def dehydrate_anchor(self, obj) -> str:
        return obj.space.anchor.slug

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        row["organisation"] = normalise_brn(str(row.get("organisation") or ""))
        self._row = row

    def do_instance_save(self, instance, is_create):
        if not is_create:
            raise ValidationError(_("This lease exists already; renew or end it on the tenant board, not by import."))
        if instance.space is None or instance.organisation is None or not instance.starts_on or not instance.ends_on:
            raise ValidationError(_("Give the anchor, the space, the company, the start and the end."))
        delta = relativedelta(instance.ends_on + timedelta(days=1), instance.starts_on)
        months = delta.years * 12 + delta.months
        if delta.days or months < 1:
            raise ValidationError(
                {
                    "ends_on": _(
                        "A lease runs whole months: a lease from %(start)s ends the day before a later %(day)s."
                    )
                    % {"start": instance.starts_on.isoformat(), "day": instance.starts_on.strftime("%d")}
                }
            )
        lease = services.lease_create(
            space=instance.space, organisation=instance.organisation, starts_on=instance.starts_on, months=months
        )
        for column, figure in (("monthly_fee_won", lease.monthly_fee_won), ("deposit_won", lease.deposit_won)):
            given = str(self._row.get(column) or "").replace(",", "").replace("원", "").strip()
            if given and given != str(figure):
                raise ValidationError(
                    {
                        column: _("The rate table says %(won)s won for this space; the file says %(given)s.")
                        % {"won": f"{figure:,}", "given": given}
                    }
                )
        instance.pk, instance.status = lease.pk, lease.status
        instance.monthly_fee_won, instance.deposit_won = lease.monthly_fee_won, lease.deposit_won
