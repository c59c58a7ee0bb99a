from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from anchors import seed
from anchors.models import Anchor, District, ManagementContract, Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_every_site_of_the_domain_is_loaded_with_its_kind_district_and_status():
    seed.load()
    sites = {a.slug: a for a in Anchor.objects.select_related("district")}
    assert set(sites) == {
        "geumcheon",
        "changsin",
        "gaebong",
        "jung-printing",
        "jungnang-sewing",
        "guro-metal",
        "mapo-design",
        "jung-sewing",
        "seongdong-shoes",
        "dobong-socks",
    }
    expected = {
        "geumcheon": ("solution_anchor", "Geumcheon-gu", "operating", "sewing"),
        "changsin": ("solution_anchor", "Jongno-gu", "operating", "sewing"),
        "gaebong": ("makerspace", "Guro-gu", "operating", "maker"),
        "jung-printing": ("smart_anchor", "Jung-gu", "under_construction", "printing"),
        "jungnang-sewing": ("smart_anchor", "Jungnang-gu", "under_construction", "sewing"),
        "guro-metal": ("smart_anchor", "Guro-gu", "planned", "machinery_metal"),
        "mapo-design": ("smart_anchor", "Mapo-gu", "under_construction", "design_publishing"),
        "jung-sewing": ("smart_anchor", "Jung-gu", "planned", "sewing"),
    }
    for slug, (kind, district, status, industry) in expected.items():
        a = sites[slug]
        assert (a.kind, a.district.name_en, a.status, a.industry) == (kind, district, status, industry), slug


def test_the_seed_figures_are_reproduced_exactly():
    seed.load()
    a = {x.slug: x for x in Anchor.objects.all()}
    g = a["geumcheon"]
    assert g.floor_area_m2 == Decimal("1247")
    assert g.area_note_en == "solution anchor 900 m² + mask manufacturing facility 347 m²"
    assert g.cost_won == 2_000_000_000
    assert g.lease_deposit_won == 350_000_000
    assert g.opened_on == date(2020, 11, 18)
    assert g.lot_address_ko.startswith("금천구 시흥동 992-20")
    assert "시흥대로57길 5" in g.address_ko
    assert a["changsin"].floor_area_m2 == Decimal("275") and a["changsin"].cost_won == 1_000_000_000
    assert a["gaebong"].floor_area_m2 == Decimal("1294") and a["gaebong"].cost_won == 3_700_000_000
    assert (a["gaebong"].floors_above, a["gaebong"].floors_below) == (6, 2)
    sites = {
        "jung-printing": ("1200", 12, 5, 31_200_000_000),
        "jungnang-sewing": ("1568", 6, 4, 18_600_000_000),
        "guro-metal": ("3516", 7, 2, 48_800_000_000),
        "mapo-design": ("1568", 5, 4, 19_000_000_000),
        "jung-sewing": ("1011", 21, 4, 9_700_000_000),
    }
    for slug, (site, above, below, cost) in sites.items():
        x = a[slug]
        assert (x.site_area_m2, x.floors_above, x.floors_below, x.cost_won) == (Decimal(site), above, below, cost), slug


def test_geumcheon_contracts_and_history_follow_the_report():
    seed.load()
    c2020 = ManagementContract.objects.get(anchor__slug="geumcheon", year=2020)
    assert c2020.amount_won == 200_000_000
    # The report prints "2020. 7. ~ 2020. 12. 31": no start day, so none is invented.
    assert (c2020.starts_on, c2020.ends_on, c2020.selected_on) == (None, date(2020, 12, 31), date(2020, 6, 30))
    assert c2020.period_printed == "2020. 7. ~ 2020. 12. 31"
    c2021 = ManagementContract.objects.get(anchor__slug="geumcheon", year=2021)
    assert c2021.contractor_ko == "㈜디쓰리디, 금천패션협회" and c2021.selected_on == date(2021, 1, 7)
    dates = list(Milestone.objects.filter(anchor__slug="geumcheon").values_list("date", flat=True))
    for d in [
        date(2020, 2, 13),
        date(2020, 2, 14),
        date(2020, 6, 30),
        date(2020, 9, 15),
        date(2020, 11, 18),
        date(2021, 1, 7),
    ]:
        assert d in dates
    assert Milestone.objects.get(anchor__slug="geumcheon", date=date(2020, 2, 13)).attendees == 12
    assert Milestone.objects.get(anchor__slug="mapo-design", date=date(2020, 6, 1)).amount_won == 2_500_000_000


def test_a_second_run_changes_nothing_and_says_so():
    first = StringIO()
    call_command("load_seed_data", stdout=first)
    assert "created" in first.getvalue()
    counts = (Anchor.objects.count(), District.objects.count(), Milestone.objects.count(), Anchor.history.count())
    second = StringIO()
    call_command("load_seed_data", stdout=second)
    assert "nothing changed" in second.getvalue()
    assert (
        Anchor.objects.count(),
        District.objects.count(),
        Milestone.objects.count(),
        Anchor.history.count(),
    ) == counts


def test_a_run_after_someone_edited_a_seeded_figure_restores_it_and_reports_one_update():
    seed.load()
    Anchor.objects.filter(slug="changsin").update(cost_won=1)
    tally = seed.load()
    assert tally == {"Anchor updated": 1}
    assert Anchor.objects.get(slug="changsin").cost_won == 1_000_000_000
