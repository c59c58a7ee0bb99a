"""What the anchors' pages say rests on the sources: each status names its source line, the seeds' conflicting
dates are both shown, and the people of Geumcheon's report are shown as its authors."""

from __future__ import annotations

import pytest

from anchors.models import Anchor, AnchorContact, ContactListing

pytestmark = pytest.mark.django_db


def test_every_status_names_the_source_line_it_rests_on(seeded):
    assert not Anchor.objects.filter(status_basis_ko="").exists()
    assert not Anchor.objects.filter(status_basis_en="").exists()


def test_a_works_budget_for_2021_is_judged_alike_wherever_it_is(seeded):
    """Jung-gu printing and Mapo both have 2021 construction works in the budget book (1,071,000 and 803,000
    thousand won): the same evidence gives the same status, and each says so."""
    from budgets import seed as budget_seed
    from budgets.models import LineShare

    budget_seed.load()
    funded = {
        s.anchor.slug
        for s in LineShare.objects.filter(line__year=2021, line__item__name_ko="자치단체자본보조").select_related(
            "anchor"
        )
    }
    assert funded == {"jung-printing", "mapo-design"}
    for slug in funded:
        anchor = Anchor.objects.get(slug=slug)
        assert anchor.status == "under_construction" and "공사비" in anchor.status_basis_ko


def test_geumcheons_people_are_the_reports_authors_with_extensions_in_the_readers_language(client, seeded):
    people = AnchorContact.objects.filter(anchor__slug="geumcheon")
    assert {c.listed_as for c in people} == {ContactListing.REPORT_AUTHOR}
    assert sorted((c.name, c.phone, c.phone_is_extension) for c in people) == [
        ("김재선", "1301", True),
        ("엄창식", "1300", True),
        ("최성문", "1302", True),
    ]
    korean = client.get("/anchors/geumcheon/").content.decode()
    assert "내선 1300" in korean and "보고서 작성자" in korean
    client.cookies["anchor_language"] = "en"
    english = client.get("/anchors/geumcheon/").content.decode()
    assert "ext. 1300" in english and "내선" not in english
    assert "authors of the district's report" in english
    assert "No contact published yet." in english  # the report's authors are not the anchor's contacts


def test_both_sources_dates_for_geumcheon_are_shown_each_with_its_source(client, seeded):
    client.cookies["anchor_language"] = "en"
    html = client.get("/anchors/geumcheon/").content.decode()
    assert "2020-11-18" in html and "2020-06-30" in html  # Geumcheon-gu's report
    assert "2020-10" in html and "2020-07" in html  # Seoul's 2021 budget book
    assert "Source: Seoul&#x27;s 2021 budget book" in html and "Source: Geumcheon-gu&#x27;s report" in html
    assert "The sources give different dates" in html
