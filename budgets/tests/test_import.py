"""The budget book importer checks every total and identity; a failed check rejects the file and names the cell."""

from __future__ import annotations

import pytest
import tablib

from budgets import seed
from budgets.models import PlanRow, SettlementRow
from budgets.resources import PlanRowResource, SettlementRowResource

pytestmark = pytest.mark.django_db

HEADERS = ["project", "item", "total_won", "before_won", "year1", "year1_won", "year2_won", "after_won"]
P = "smart-anchor-operation"


@pytest.fixture
def book(seeded):
    seed.load()


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _errors(result):
    found = {}
    for row in result.invalid_rows:
        found[row.number] = {k: " ".join(v) for k, v in row.error_dict.items()}
    return found


def test_a_consistent_plan_imports_after_a_clean_dry_run(book):
    data = tablib.Dataset(
        [P, "", 1_800, 18, 2020, 50, 1_732, 0], [P, "201-01", 1_800, 18, 2020, 50, 1_732, 0], headers=HEADERS
    )
    dry = PlanRowResource().import_data(data, dry_run=True)
    assert not dry.has_validation_errors() and not dry.has_errors()
    PlanRowResource().import_data(data, dry_run=False)
    assert PlanRow.objects.get(item__code="201-01").year2_won == 1_732_000_000


@pytest.mark.parametrize("printed", [47_476, "47476", "47,476", "47476.0", "47,476원", 47476.0])
def test_the_seeds_inconsistent_row_is_caught_naming_the_cell_expected_and_found(book, printed):
    """However a spreadsheet writes the figure, it is read as the number it is, then checked."""
    before = list(PlanRow.objects.values_list("pk", "total_won"))
    data = tablib.Dataset([P, "308-01", printed, 215, 2020, 530, 300, 0], headers=HEADERS)
    result = PlanRowResource().import_data(data, dry_run=False)
    errors = _errors(result)
    assert errors == {1: {"total_won": "Row total: the years add up to 1,045, the file says 47,476."}}
    assert list(PlanRow.objects.values_list("pk", "total_won")) == before


def test_a_total_row_that_is_not_the_sum_of_its_items_rejects_the_whole_file(book):
    data = tablib.Dataset(
        [P, "", 1_000, 100, 2020, 400, 500, 0], [P, "201-01", 900, 100, 2020, 300, 500, 0], headers=HEADERS
    )
    result = PlanRowResource().import_data(data, dry_run=False)
    errors = _errors(result)
    assert "the items add up to 900, the file says 1,000" in errors[1]["total_won"]
    assert "year1_won" in errors[1]
    assert not PlanRow.objects.filter(total_won=900_000_000).exists()


def test_settlement_rows_must_satisfy_both_identities_when_complete(book):
    headers = [
        "project",
        "year",
        "final_won",
        "carried_in_won",
        "change_won",
        "available_won",
        "executed_won",
        "carried_out_won",
        "unexecuted_won",
        "complete",
    ]
    good = tablib.Dataset([P, 2020, 5_036_880, 0, 0, 5_036_880, 4_900_000, 100_000, 36_880, True], headers=headers)
    bad = tablib.Dataset([P, 2020, 5_036_880, 0, 0, 5_036_880, 4_900_000, 100_000, 36_000, True], headers=headers)
    result = SettlementRowResource().import_data(bad, dry_run=False)
    assert "unexecuted_won" in _errors(result)[1] and not SettlementRow.objects.filter(year=2020).exists()
    result = SettlementRowResource().import_data(good, dry_run=False)
    assert not result.has_validation_errors() and SettlementRow.objects.get(year=2020).unexecuted_won == 36_880_000


def test_the_settlement_check_names_each_identity_a_stored_row_breaks(book):
    from budgets import selectors
    from budgets.models import Project

    project = Project.objects.get(code=P)
    figures = dict(final_won=100, carried_in_won=10, change_won=0, available_won=120, carried_out_won=0)
    SettlementRow.objects.create(project=project, year=2030, executed_won=90, unexecuted_won=30, **figures)
    SettlementRow.objects.create(project=project, year=2031, executed_won=80, unexecuted_won=30, **figures)
    SettlementRow.objects.create(
        project=project, year=2032, executed_won=80, unexecuted_won=40, **figures | {"final_won": 110}
    )
    problems = {c.row.year: c.problems for c in selectors.settlement_checks(project) if c.row.year >= 2030}
    assert problems == {
        2030: ["Final + carried in ± change is 110, not the available 120."],
        2031: [
            "Final + carried in ± change is 110, not the available 120.",
            "Executed + carried out + unexecuted is 110, not the available 120.",
        ],
        2032: [],
    }
