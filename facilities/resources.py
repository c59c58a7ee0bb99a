"""Import/export of spaces, equipment, inventory and rate rules (XLSX, CSV), with Korean headers accepted.

A file is all or nothing: every row is validated (model `full_clean`, foreign keys, duplicates in the
file), errors are reported by row and column, and one bad row rolls the whole import back.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from anchors.models import Anchor
from common.exports import neutralise

from . import services
from .models import Equipment, EquipmentKind, InventoryItem, RateRule, RateTable, RateTableVersion, Space


def parse_won(value) -> int | None:
    """A whole number of won as a spreadsheet gives it: "18,000", "18,000원", 18000 and 18000.0 are 18000; a blank is
    None; "삼천원" or 1.5 raise ValueError. Every import and every import check reads money through this."""
    if value in (None, ""):
        return None
    text = str(value).replace(",", "").replace("원", "").strip()
    try:
        number = float(text) if not text.lstrip("-").isdigit() else int(text)
    except ValueError as err:
        raise ValueError(_("“%(value)s” is not a whole number of won.") % {"value": value}) from err
    if number != int(number):
        raise ValueError(_("“%(value)s” is not a whole number of won.") % {"value": value})
    return int(number)


class WonWidget(widgets.IntegerWidget):
    """A whole number of won (`parse_won`)."""

    def clean(self, value, row=None, **kwargs):
        return parse_won(value)


class StrictResource(resources.ModelResource):
    """Korean column headers are mapped to field names; validation errors roll back the whole file."""

    header_aliases: dict[str, str] = {}
    unique_in_file: tuple[str, ...] = ()

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.name.endswith("_won"):
            return WonWidget
        return super().widget_from_django_field(f, default)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        aliases = {k.strip(): v for k, v in self.header_aliases.items()}
        if dataset.headers:
            dataset.headers = [
                aliases.get(str(h).strip(), str(h).strip()) if h is not None else h for h in dataset.headers
            ]
        self._seen: dict[str, set] = {name: set() for name in self.unique_in_file}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        errors = {}
        for name in self.unique_in_file:
            value = str(row.get(name) or "").strip()
            if value and value in self._seen[name]:
                errors[name] = _("“%(value)s” appears twice in this file.") % {"value": value}
            self._seen[name].add(value)
        if errors:
            raise ValidationError(errors)

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )


class AnchorSpaceWidget(widgets.ForeignKeyWidget):
    """A space named by its slug within the row's anchor."""

    def __init__(self):
        super().__init__(Space, field="slug")

    def get_queryset(self, value, row, *args, **kwargs):
        return Space.objects.filter(anchor__slug=str(row.get("anchor") or "").strip())

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(str(value).strip(), row=row, **kwargs)
        except Space.DoesNotExist as err:
            raise ValueError(
                _("No space “%(space)s” at anchor “%(anchor)s”.") % {"space": value, "anchor": row.get("anchor")}
            ) from err


class StrictForeignKeyWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(str(value).strip(), row=row, **kwargs)
        except self.model.DoesNotExist as err:
            raise ValueError(
                _("Unknown %(what)s “%(value)s”.") % {"what": self.model._meta.verbose_name, "value": value}
            ) from err


ANCHOR = {"앵커": "anchor", "앵커시설": "anchor", "시설": "anchor"}
COMMON_ALIASES = {
    **ANCHOR,
    "공간": "space",
    "이름(한국어)": "name_ko",
    "이름": "name_ko",
    "이름(영어)": "name_en",
    "예시": "is_example",
    "자산번호": "asset_tag",
    "상태": "status",
}


class SpaceResource(StrictResource):
    anchor = fields.Field(attribute="anchor", column_name="anchor", widget=StrictForeignKeyWidget(Anchor, "slug"))
    header_aliases = {
        **COMMON_ALIASES,
        "식별자": "slug",
        "유형": "kind",
        "층": "floor",
        "면적": "area_m2",
        "면적(㎡)": "area_m2",
        "수용인원": "capacity",
        "예약가능": "bookable",
        "예약단위(분)": "booking_unit_minutes",
        "최소시간(분)": "min_duration_minutes",
        "최대시간(분)": "max_duration_minutes",
        "정리시간(분)": "buffer_minutes",
        "승인필요": "requires_approval",
        "소개(한국어)": "description_ko",
        "소개(영어)": "description_en",
    }
    unique_in_file = ("slug_key",)

    class Meta:
        model = Space
        import_id_fields = ("anchor", "slug")
        fields = (
            "anchor",
            "slug",
            "kind",
            "name_ko",
            "name_en",
            "floor",
            "area_m2",
            "capacity",
            "bookable",
            "booking_unit_minutes",
            "min_duration_minutes",
            "max_duration_minutes",
            "buffer_minutes",
            "requires_approval",
            "description_ko",
            "description_en",
            "is_example",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def before_import_row(self, row, **kwargs):
        row["slug_key"] = f"{row.get('anchor')}/{row.get('slug')}"
        super().before_import_row(row, **kwargs)


class EquipmentResource(StrictResource):
    anchor = fields.Field(column_name="anchor", dehydrate_method="dehydrate_anchor")
    space = fields.Field(attribute="space", column_name="space", widget=AnchorSpaceWidget())
    kind = fields.Field(attribute="kind", column_name="kind", widget=StrictForeignKeyWidget(EquipmentKind, "slug"))
    header_aliases = {
        **COMMON_ALIASES,
        "장비종류": "kind",
        "종류": "kind",
        "제조사": "make",
        "모델": "model_name",
        "사양(한국어)": "specs_ko",
        "사양(영어)": "specs_en",
    }
    unique_in_file = ("asset_tag",)

    class Meta:
        model = Equipment
        import_id_fields = ("asset_tag",)
        fields = (
            "anchor",
            "space",
            "kind",
            "asset_tag",
            "name_ko",
            "name_en",
            "make",
            "model_name",
            "status",
            "specs_ko",
            "specs_en",
            "is_example",
        )
        clean_model_instances = True
        skip_unchanged = True

    def dehydrate_anchor(self, obj: Equipment) -> str:
        return obj.space.anchor.slug

    def get_queryset(self):
        return super().get_queryset().select_related("space__anchor", "kind")


class InventoryItemResource(StrictResource):
    anchor = fields.Field(attribute="anchor", column_name="anchor", widget=StrictForeignKeyWidget(Anchor, "slug"))
    space = fields.Field(attribute="space", column_name="space", widget=AnchorSpaceWidget())
    on_loan_to = fields.Field(column_name="on_loan_to", dehydrate_method="dehydrate_on_loan_to", readonly=True)
    header_aliases = {
        **COMMON_ALIASES,
        "위치": "location_note",
        "수량": "quantity",
        "취득일": "acquired_on",
        "취득가액": "acquisition_cost_won",
        "취득가액(원)": "acquisition_cost_won",
        "예산과목": "budget_reference",
        "상태": "condition",
        "불용일": "disposed_on",
        "불용사유": "disposal_reason",
    }
    unique_in_file = ("asset_tag",)

    class Meta:
        model = InventoryItem
        import_id_fields = ("asset_tag",)
        fields = (
            "anchor",
            "asset_tag",
            "name_ko",
            "name_en",
            "space",
            "location_note",
            "quantity",
            "acquired_on",
            "acquisition_cost_won",
            "budget_reference",
            "condition",
            "disposed_on",
            "disposal_reason",
            "is_example",
            "on_loan_to",
        )
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return super().get_queryset().select_related("anchor", "space").prefetch_related("loans")

    def dehydrate_on_loan_to(self, obj: InventoryItem) -> str:
        open_loans = [loan for loan in obj.loans.all() if loan.returned_at is None]
        return f"{open_loans[0].borrower_name} (~{open_loans[0].due_on:%Y-%m-%d})" if open_loans else ""


def example_cell(flag: bool) -> str:
    """The example mark in an export's "example" column: the word where the row is example data, blank where not."""

    return gettext("example") if flag else ""


class RateRuleResource(StrictResource):
    """One row per rule: anchor, the version's effective date and basis, a space slug or an equipment kind slug."""

    anchor = fields.Field(column_name="anchor", dehydrate_method="dehydrate_anchor")
    effective_from = fields.Field(column_name="effective_from", dehydrate_method="dehydrate_effective_from")
    basis_ko = fields.Field(column_name="basis_ko", dehydrate_method="dehydrate_basis_ko")
    space = fields.Field(attribute="space", column_name="space", widget=AnchorSpaceWidget())
    equipment_kind = fields.Field(
        attribute="equipment_kind", column_name="equipment_kind", widget=StrictForeignKeyWidget(EquipmentKind, "slug")
    )
    example = fields.Field(column_name="example", dehydrate_method="dehydrate_example", readonly=True)
    header_aliases = {
        **COMMON_ALIASES,
        "시행일": "effective_from",
        "근거": "basis_ko",
        "장비종류": "equipment_kind",
        "단위": "unit",
        "기본요금": "base_price_won",
        "기본요금(원)": "base_price_won",
        "야간할증(%)": "evening_surcharge_pct",
        "주말할증(%)": "weekend_surcharge_pct",
        "공휴일할증(%)": "holiday_surcharge_pct",
        "보증금": "deposit_won",
        "보증금(원)": "deposit_won",
        "비고": "note_ko",
    }
    unique_in_file = ("target_key",)

    class Meta:
        model = RateRule
        import_id_fields = ("version", "space", "equipment_kind")
        fields = (
            "anchor",
            "effective_from",
            "basis_ko",
            "version",
            "space",
            "equipment_kind",
            "unit",
            "base_price_won",
            "evening_surcharge_pct",
            "weekend_surcharge_pct",
            "holiday_surcharge_pct",
            "deposit_won",
            "example",
            "note_ko",
            "note_en",
        )
        clean_model_instances = True
        skip_unchanged = True

    version = fields.Field(
        attribute="version", column_name="version", widget=widgets.ForeignKeyWidget(RateTableVersion)
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if dataset.headers and "version" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="version")  # filled per row from anchor + date

    def get_export_fields(self, selected_fields=None):
        return [f for f in super().get_export_fields(selected_fields) if f.column_name != "version"]

    def get_queryset(self):
        return super().get_queryset().select_related("version__table__anchor", "space", "equipment_kind")

    def dehydrate_anchor(self, obj: RateRule) -> str:
        return obj.version.table.anchor.slug

    def dehydrate_effective_from(self, obj: RateRule) -> str:
        return obj.version.effective_from.isoformat()

    def dehydrate_example(self, obj: RateRule) -> str:
        return example_cell(obj.version.is_example)

    def dehydrate_basis_ko(self, obj: RateRule) -> str:
        return obj.version.basis_ko

    def before_import_row(self, row, **kwargs):
        row["target_key"] = (
            f"{row.get('anchor')}/{row.get('effective_from')}/{row.get('space') or ''}/{row.get('equipment_kind') or ''}"
        )
        super().before_import_row(row, **kwargs)
        row["version"] = self._version_for(row)

    def _version_for(self, row) -> int:
        anchor_slug = str(row.get("anchor") or "").strip()
        anchor = Anchor.objects.filter(slug=anchor_slug).first()
        if anchor is None:
            raise ValidationError({"anchor": _("Unknown anchor “%(value)s”.") % {"value": anchor_slug}})
        raw = row.get("effective_from")
        try:
            effective_from = raw if isinstance(raw, date) else date.fromisoformat(str(raw).strip()[:10])
        except ValueError as err:
            raise ValidationError({"effective_from": _("Write the date as YYYY-MM-DD.")}) from err

        today = self.today or timezone.localdate()
        table, _created = RateTable.objects.get_or_create(anchor=anchor)
        version = RateTableVersion.objects.filter(table=table, effective_from=effective_from).first()
        if version is None:
            version = services.rate_version_create(
                table=table, effective_from=effective_from, basis_ko=str(row.get("basis_ko") or ""), today=today
            )
        else:
            services.rate_version_refuse_if_locked(version, today=today)
        return version.pk
