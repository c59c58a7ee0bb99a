"""Import of spaces, equipment, inventory and rate rules: a dry run first, one bad row rejects the file."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
import tablib
import time_machine
from django.urls import reverse

from common.time import SEOUL
from facilities import seed
from facilities.models import Equipment, InventoryItem, RateRule, RateTableVersion, Space
from facilities.resources import EquipmentResource, InventoryItemResource, RateRuleResource, SpaceResource
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 11, 21, 10, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def facilities(seeded):
    seed.load(now=SEED_NOW)
    return seeded


def _errors(result) -> dict[int, dict[str, list[str]]]:
    """Row number (1 = first data row) -> {column: messages}, for validation errors and row exceptions."""
    found: dict[int, dict[str, list[str]]] = {}
    for row in result.invalid_rows:
        found.setdefault(row.number, {}).update({k: list(v) for k, v in row.error_dict.items()})
    for number, errors in result.row_errors():
        found.setdefault(number, {})["__all__"] = [str(e.error) for e in errors]
    return found


def _dataset(headers, rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


EQUIPMENT_HEADERS_KO = ["앵커", "공간", "장비종류", "자산번호", "이름(한국어)", "이름(영어)", "제조사", "모델", "상태"]


def test_equipment_with_korean_headers_imports_after_a_clean_dry_run(facilities):
    data = _dataset(
        EQUIPMENT_HEADERS_KO,
        [
            [
                "geumcheon",
                "common-equipment-room",
                "overlock",
                "GC-OVL-09",
                "오버록 9",
                "Overlock 9",
                "테스트",
                "OV-9",
                "in_service",
            ],
            [
                "changsin",
                "pattern-room",
                "pattern-cad-plotter",
                "CS-CAD-09",
                "플로터 2",
                "Plotter 2",
                "",
                "",
                "in_service",
            ],
        ],
    )
    dry = EquipmentResource().import_data(data, dry_run=True)
    assert not dry.has_errors() and not dry.has_validation_errors()
    assert not Equipment.objects.filter(asset_tag="GC-OVL-09").exists()
    EquipmentResource().import_data(data, dry_run=False)
    assert Equipment.objects.get(asset_tag="CS-CAD-09").space.anchor.slug == "changsin"


@pytest.mark.smoke
def test_one_bad_equipment_row_rejects_the_whole_file_and_names_the_row_and_column(facilities):
    before = Equipment.objects.count()
    data = _dataset(
        EQUIPMENT_HEADERS_KO,
        [
            [
                "geumcheon",
                "common-equipment-room",
                "overlock",
                "GC-OVL-10",
                "오버록 10",
                "Overlock 10",
                "",
                "",
                "in_service",
            ],
            [
                "geumcheon",
                "common-equipment-room",
                "time-machine",
                "GC-OVL-11",
                "타임머신",
                "Time machine",
                "",
                "",
                "in_service",
            ],
            [
                "atlantis",
                "common-equipment-room",
                "overlock",
                "GC-OVL-12",
                "오버록 12",
                "Overlock 12",
                "",
                "",
                "in_service",
            ],
            ["geumcheon", "common-equipment-room", "overlock", "GC-OVL-10", "중복", "Duplicate", "", "", "in_service"],
        ],
    )
    result = EquipmentResource().import_data(data, dry_run=False)
    errors = _errors(result)
    assert set(errors) == {2, 3, 4}
    assert "kind" in errors[2] and "time-machine" in " ".join(errors[2]["kind"])
    assert "space" in errors[3]
    assert "asset_tag" in errors[4] and "appears twice" in " ".join(errors[4]["asset_tag"])
    assert Equipment.objects.count() == before


def test_a_duplicate_space_slug_or_an_unknown_anchor_is_reported(facilities):
    data = _dataset(
        ["anchor", "slug", "kind", "name_ko", "name_en"],
        [
            ["geumcheon", "dye-room", "workshop", "염색실", "Dye room"],
            ["geumcheon", "dye-room", "workshop", "염색실 2", "Dye room 2"],
            ["nowhere", "x-room", "workshop", "x", "x"],
        ],
    )
    result = SpaceResource().import_data(data, dry_run=False)
    assert set(_errors(result)) == {2, 3}
    assert not Space.objects.filter(slug="dye-room").exists()


RULE_HEADERS_KO = [
    "앵커",
    "시행일",
    "근거",
    "공간",
    "장비종류",
    "단위",
    "기본요금(원)",
    "야간할증(%)",
    "주말할증(%)",
    "공휴일할증(%)",
    "보증금(원)",
]


def _rules_file(rows) -> tablib.Dataset:
    return _dataset(RULE_HEADERS_KO, rows)


@time_machine.travel(TODAY, tick=False)
def test_a_new_rate_version_is_imported_from_a_korean_spreadsheet(facilities):
    data = _rules_file(
        [
            ["geumcheon", "2027-01-01", "운영규정 개정 제3조", "cutting-room", "", "hour", 18000, 20, 30, 50, 0],
            ["geumcheon", "2027-01-01", "운영규정 개정 제3조", "", "overlock", "hour", 2500, 20, 30, 50, 0],
        ]
    )
    result = RateRuleResource().import_data(data, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors(), _errors(result)
    assert not RateTableVersion.objects.filter(effective_from=date(2027, 1, 1)).exists()
    RateRuleResource().import_data(data, dry_run=False)
    version = RateTableVersion.objects.get(table__anchor__slug="geumcheon", effective_from=date(2027, 1, 1))
    assert version.basis_ko == "운영규정 개정 제3조"
    assert RateRule.objects.get(version=version, space__slug="cutting-room").base_price_won == 18_000


@time_machine.travel(TODAY, tick=False)
def test_negative_or_non_numeric_prices_unknown_spaces_and_a_version_in_effect_reject_the_file(facilities):
    rules_before = RateRule.objects.count()
    data = _rules_file(
        [
            ["geumcheon", "2027-01-01", "개정", "cutting-room", "", "hour", 18000, 0, 0, 0, 0],
            ["geumcheon", "2027-01-01", "개정", "sample-room", "", "hour", -500, 0, 0, 0, 0],
            ["geumcheon", "2027-01-01", "개정", "", "overlock", "hour", "삼천원", 0, 0, 0, 0],
            ["geumcheon", "2027-01-01", "개정", "ballroom", "", "hour", 1000, 0, 0, 0, 0],
            ["geumcheon", "2026-01-01", "현행", "cutting-room", "", "hour", 1, 0, 0, 0, 0],
            ["geumcheon", "2027-01-01", "개정", "cutting-room", "", "hour", 19000, 0, 0, 0, 0],
        ]
    )
    result = RateRuleResource().import_data(data, dry_run=False)
    errors = _errors(result)
    assert set(errors) == {2, 3, 4, 5, 6}, errors
    assert "base_price_won" in errors[2] and "base_price_won" in errors[3]
    assert "ballroom" in " ".join(sum(errors[4].values(), []))  # the space is part of the row's identity
    assert "effective_from" in errors[5] and "cannot be changed" in " ".join(errors[5]["effective_from"])
    assert RateRule.objects.count() == rules_before
    assert not RateTableVersion.objects.filter(effective_from=date(2027, 1, 1)).exists()


def test_the_inventory_exports_and_reimports_unchanged(facilities):
    exported = InventoryItemResource().export(queryset=InventoryItem.objects.filter(anchor__slug="geumcheon"))
    before = list(InventoryItem.objects.order_by("pk").values())
    result = InventoryItemResource().import_data(tablib.Dataset().load(exported.csv, format="csv"), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), _errors(result)
    assert list(InventoryItem.objects.order_by("pk").values()) == before


@time_machine.travel(TODAY, tick=False)
def test_an_admin_uploads_an_xlsx_sees_the_rejected_row_in_the_preview_fixes_it_and_imports(
    client, facilities, city_admin
):
    client.force_login(city_admin)
    url = reverse("admin:facilities_raterule_import")
    formats = dict((label, value) for value, label in client.get(url).context["form"].fields["format"].choices)

    def upload(rows):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(RULE_HEADERS_KO)
        for row in rows:
            sheet.append(row)
        buf = io.BytesIO()
        book.save(buf)
        buf.seek(0)
        buf.name = "rates-2027.xlsx"
        return client.post(url, {"import_file": buf, "format": formats["xlsx"], "resource": 0})

    bad = upload(
        [
            ["geumcheon", "2027-01-01", "개정", "cutting-room", "", "hour", 18000, 20, 30, 50, 0],
            ["geumcheon", "2027-01-01", "개정", "sample-room", "", "hour", -1, 0, 0, 0, 0],
        ]
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and bad.context.get("confirm_form") is None
    assert "base_price_won" in html or "기본요금" in html
    assert not RateTableVersion.objects.filter(effective_from=date(2027, 1, 1)).exists()

    good = upload(
        [
            ["geumcheon", "2027-01-01", "개정", "cutting-room", "", "hour", 18000, 20, 30, 50, 0],
            ["geumcheon", "2027-01-01", "개정", "sample-room", "", "hour", 9000, 0, 0, 0, 0],
        ]
    )
    confirm = good.context["confirm_form"]
    response = client.post(reverse("admin:facilities_raterule_process_import"), confirm.initial)
    assert response.status_code == 302
    version = RateTableVersion.objects.get(table__anchor__slug="geumcheon", effective_from=date(2027, 1, 1))
    assert version.rules.count() == 2
