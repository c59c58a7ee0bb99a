"""A budget line split across anchors: the shares' rules, the payments' anchors, and the unit costs they give."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from budgets import seed, services
from budgets.models import BudgetLine, ExecutionRecord, LineShare

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(seeded):
    seed.load()


def _line(code: str, year: int = 2021, basis: str | None = None) -> BudgetLine:
    lines = BudgetLine.objects.filter(year=year, item__code=code)
    return lines.get(basis_ko=basis) if basis else lines.get()


def test_the_shared_operating_line_is_split_by_floor_area_as_an_example_with_its_basis(book, seeded):
    line = _line("201-01")
    shares = {s.anchor.slug: s for s in line.shares.select_related("anchor")}
    # 1,691,987 thousand won by 1,247 / 275 / 1,294 m² (2,816 m²), in whole thousand won that add up exactly.
    assert {k: s.amount_won // 1000 for k, s in shares.items()} == {
        "geumcheon": 749_257,
        "changsin": 165_233,
        "gaebong": 777_497,
    }
    assert sum(s.amount_won for s in shares.values()) == 1_691_987_000  # 20,000 of the task force stays city-wide
    assert all(s.is_example and "1,247㎡" in s.basis_ko and "예시 배분" in s.basis_ko for s in shares.values())
    utilities = _line("201-02").shares.get()
    assert (utilities.anchor.slug, utilities.amount_won, utilities.is_example) == ("gaebong", 450_000_000, False)
    assert "개봉 임대산업시설 운영" in utilities.basis_ko


def test_a_share_that_would_allocate_more_than_the_line_is_refused_and_nothing_changes(book, seeded):
    line = _line("201-01")
    before = list(LineShare.objects.values_list("pk", "amount_won"))
    with pytest.raises(ValidationError, match="넘습니다"):
        services.line_share_save(
            line=line, anchor=seeded["jung-printing"], amount_won=20_000_001, basis_ko="시험"
        )  # 20,000,000 won is left
    with pytest.raises(ValidationError, match="이미"):
        services.line_share_save(line=line, anchor=seeded["geumcheon"], amount_won=1_000, basis_ko="시험")
    with pytest.raises(ValidationError, match="근거"):
        services.line_share_save(line=line, anchor=seeded["jung-printing"], amount_won=1_000, basis_ko=" ")
    assert list(LineShare.objects.values_list("pk", "amount_won")) == before
    services.line_share_save(line=line, anchor=seeded["jung-printing"], amount_won=20_000_000, basis_ko="시험")


def test_a_line_cannot_shrink_below_its_shares_through_the_admin_or_the_importer(client, book, city_admin):
    import tablib

    from budgets.resources import BudgetLineResource

    line = _line("201-02")  # 450,000 thousand won, all of it Gaebong's
    client.force_login(city_admin)
    form = client.get(f"/admin/budgets/budgetline/{line.pk}/change/").context["adminform"].form
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items() if k in form.fields}
    data.update(amount_won=400_000_000, national_won=0, city_won=400_000_000)
    for prefix in ("shares", "records"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(f"/admin/budgets/budgetline/{line.pk}/change/", data)
    assert response.status_code == 200 and "배분" in response.content.decode()
    data = tablib.Dataset(
        ["smart-anchor-operation", 2021, "201-02", 400_000, 0, 400_000, 0, 0, "공공요금 등", ""],
        headers=["project", "year", "item", "amount_won", "national_won", "city_won", "district_won", "other_won"]
        + ["basis_ko", "basis_en"],
    )
    result = BudgetLineResource().import_data(data, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    line.refresh_from_db()
    assert line.amount_won == 450_000_000


def test_a_payment_is_for_an_anchor_the_line_funds(book, seeded):
    works = _line("405-01")  # Gaebong's goods, wholly
    record = services.execution_record_save(
        line=works, anchor=None, date=date(2021, 10, 1), amount_won=1_000, payee="공급업체", description="부품"
    )
    assert record.anchor.slug == "gaebong"  # a line that funds one anchor: its payments are that anchor's
    with pytest.raises(ValidationError, match="개봉 메이커스페이스"):
        services.execution_record_save(
            line=works, anchor=seeded["geumcheon"], date=date(2021, 10, 1), amount_won=1, payee="x", description="x"
        )
    shared = _line("201-01")
    with pytest.raises(ValidationError):
        services.execution_record_save(
            line=shared, anchor=seeded["mapo-design"], date=date(2021, 10, 1), amount_won=1, payee="x", description="x"
        )
    city = services.execution_record_save(
        line=shared, anchor=None, date=date(2021, 10, 1), amount_won=1, payee="TF", description="회의"
    )
    assert city.anchor is None  # the task force's part is city-wide
    districts = _line("308-01")  # the districts' cooperation projects fund no anchor
    with pytest.raises(ValidationError, match="비워"):
        services.execution_record_save(
            line=districts, anchor=seeded["gaebong"], date=date(2021, 10, 1), amount_won=1, payee="x", description="x"
        )


def test_a_share_with_payments_recorded_for_it_cannot_be_removed(book, seeded):
    share = _line("201-01").shares.get(anchor=seeded["changsin"])
    assert ExecutionRecord.objects.filter(line=share.line, anchor=share.anchor).exists()
    with pytest.raises(ValidationError, match="지출"):
        services.line_share_delete(share=share)
    assert LineShare.objects.filter(pk=share.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_administrators_splitting_one_line_at_once_cannot_allocate_more_than_it(book, seeded, monkeypatch):
    """The line is locked before the shares are counted: the second split waits, then sees the first."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    line = _line("308-01")  # 300,000 thousand won, no share yet
    real_check = services.line_share_check

    def slow_check(**kwargs):
        real_check(**kwargs)
        time.sleep(0.5)  # the moment between counting and writing, where a race would slip in

    monkeypatch.setattr(services, "line_share_check", slow_check)
    outcomes = []

    def split(anchor, delay):
        time.sleep(delay)
        try:
            services.line_share_save(line=line, anchor=anchor, amount_won=200_000_000, basis_ko="시험")
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=split, args=(seeded["jung-sewing"], 0)),
        threading.Thread(target=split, args=(seeded["guro-metal"], 0.1)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["refused", "saved"]
    assert sum(LineShare.objects.filter(line=line).values_list("amount_won", flat=True)) == 200_000_000


def test_unit_costs_rest_on_the_anchors_running_budget_pro_rated_and_say_so(book, november):
    """November 2026 at Geumcheon (the hand-counted month of test_figures): 7 booked hours, 2 participants. The
    portal holds no 2026 budget, so the running cost is 2021's: Geumcheon's example share of the operating
    line, 749,257,000 won a year (no capital item funds it), times 30/365 days."""
    from budgets.selectors import anchor_delivery

    d = anchor_delivery(anchor=november, year=2026, month=11)
    assert d.cost_basis.years == (2021,) and d.cost_basis.annual_won == 749_257_000 and d.cost_basis.is_example
    assert d.running_cost == 61_582_767  # 749,257,000 × 30 / 365 = 61,582,767.1
    assert d.booked_hours == Decimal(7) and d.participants == 2
    assert d.cost_per_booked_hour == 8_797_538  # 61,582,767 / 7 = 8,797,538.1
    assert d.cost_per_participant == 30_791_384  # 61,582,767 / 2 = 30,791,383.5, half up
    assert d.unit_costs_are_example


def test_the_anchor_page_and_its_export_show_the_shares_the_unit_costs_and_their_example_marker(client, book, november):
    client.cookies["anchor_language"] = "en"
    html = client.get("/budgets/anchors/geumcheon/?year=2026&month=11").content.decode()
    assert "8,797,538" in html and "30,791,384" in html and "61,583" in html
    assert "rest on its 2021 running budget" in html and html.count("badge text-bg-warning") >= 3
    exported = client.get("/budgets/anchors/geumcheon/?year=2026&month=11&export=csv").content.decode("utf-8-sig")
    assert "8797538" in exported and "example" in exported
    year = client.get("/budgets/anchors/geumcheon/?year=2021").content.decode()
    assert "749,257" in year and "share 749,257 thousand won of 1,711,987 thousand won" in year
    assert "Example allocation" in year
