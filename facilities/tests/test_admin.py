"""Administrators edit rate tables in the admin site: versions, rules, history, copy and diff."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from common.time import SEOUL
from facilities import seed, services
from facilities.models import RateRule, RateTableVersion
from reservations.tests.conftest import NOW as SEED_NOW  # the clock the session's seed was loaded with

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 11, 21, 10, tzinfo=SEOUL)


@pytest.fixture
def future_version(seeded, city_admin):
    seed.load(now=SEED_NOW)
    with time_machine.travel(TODAY, tick=False):
        current = RateTableVersion.objects.get(table__anchor__slug="geumcheon")
        return services.rate_version_copy(
            version=current,
            effective_from=date(2027, 1, 1),
            basis_ko="운영규정 개정",
            created_by=city_admin,
            today=timezone.localdate(TODAY),
        )


def _rule_form_data(client, url):
    form = client.get(url).context["adminform"].form
    return {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items() if k in form.fields}


@time_machine.travel(TODAY, tick=False)
def test_an_admin_raises_a_price_and_finds_who_changed_what_in_the_history(client, future_version, city_admin):
    client.force_login(city_admin)
    client.cookies["anchor_language"] = "en"
    rule = future_version.rules.get(space__slug="cutting-room")
    url = reverse("admin:facilities_raterule_change", args=[rule.pk])
    data = _rule_form_data(client, url)
    data.update(base_price_won=18_000, weekend_surcharge_pct=30, version=future_version.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule.refresh_from_db()
    assert (rule.base_price_won, rule.weekend_surcharge_pct) == (18_000, 30)
    previous, latest = list(rule.history.order_by("history_id"))[-2:]  # time is frozen: order by id
    assert latest.history_user == city_admin
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes == {"base_price_won": (15_000, 18_000), "weekend_surcharge_pct": (0, 30)}
    history = client.get(reverse("admin:facilities_raterule_history", args=[rule.pk]))
    assert history.status_code == 200 and city_admin.email in history.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_negative_price_or_a_discount_over_100_is_refused_until_fixed(client, future_version, city_admin):
    client.force_login(city_admin)
    client.cookies["anchor_language"] = "en"
    rule = future_version.rules.get(space__slug="cutting-room")
    url = reverse("admin:facilities_raterule_change", args=[rule.pk])
    data = {**_rule_form_data(client, url), "base_price_won": -5, "version": future_version.pk}
    response = client.post(url, data)
    assert response.status_code == 200 and "base_price_won" in response.context["adminform"].form.errors
    discount = future_version.discounts.get(category="tenant_member")
    url = reverse("admin:facilities_categorydiscount_change", args=[discount.pk])
    response = client.post(url, {"version": future_version.pk, "category": "tenant_member", "percent": 150})
    assert response.status_code == 200 and "percent" in response.context["adminform"].form.errors
    rule.refresh_from_db()
    discount.refresh_from_db()
    assert (rule.base_price_won, discount.percent) == (15_000, 30)


@time_machine.travel(TODAY, tick=False)
def test_a_second_version_on_the_same_date_is_refused_in_the_admin(client, future_version, city_admin):
    client.force_login(city_admin)
    client.cookies["anchor_language"] = "en"
    response = client.post(
        reverse("admin:facilities_ratetableversion_add"),
        {
            "table": future_version.table_id,
            "effective_from": "2027-01-01",
            "basis_ko": "중복",
            "evening_starts": "18:00",
            "discount_rule": "largest",
            "rounding_won": 10,
            "vat_included": "on",
            "rules-TOTAL_FORMS": 0,
            "rules-INITIAL_FORMS": 0,
            "discounts-TOTAL_FORMS": 0,
            "discounts-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "already takes effect on that date" in response.content.decode()
    assert RateTableVersion.objects.filter(table=future_version.table, effective_from=date(2027, 1, 1)).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a_version_in_effect_is_read_only_so_quoted_prices_never_change(client, future_version, city_admin):
    client.force_login(city_admin)
    client.cookies["anchor_language"] = "en"
    current = RateTableVersion.objects.get(table=future_version.table, effective_from=date(2026, 1, 1))
    rule = current.rules.get(space__slug="cutting-room")
    url = reverse("admin:facilities_raterule_change", args=[rule.pk])
    response = client.post(url, {"version": current.pk, "space": rule.space_id, "unit": "hour", "base_price_won": 1})
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.base_price_won == 15_000
    page = client.get(reverse("admin:facilities_ratetableversion_change", args=[current.pk])).content.decode()
    assert "copy it as a new version" in page


@time_machine.travel(TODAY, tick=False)
def test_copy_as_a_new_version_and_read_the_diff_between_versions(client, seeded, city_admin):
    seed.load(now=SEED_NOW)
    client.force_login(city_admin)
    client.cookies["anchor_language"] = "en"
    current = RateTableVersion.objects.get(table__anchor__slug="geumcheon")
    response = client.post(
        reverse("admin:facilities_ratetableversion_copy", args=[current.pk]),
        {"effective_from": "2027-01-01", "basis_ko": "시설 운영규정 개정 제5조", "basis_en": ""},
    )
    new = RateTableVersion.objects.get(table=current.table, effective_from=date(2027, 1, 1))
    assert response.status_code == 302 and response.url.endswith(f"/{new.pk}/change/")
    RateRule.objects.filter(version=new, space__slug="cutting-room").update(base_price_won=18_000)
    new.discounts.filter(category="tenant_member").update(percent=50)
    html = client.get(reverse("admin:facilities_ratetableversion_diff", args=[new.pk])).content.decode()
    assert "Cutting room" in html and "15,000" in html and "18,000" in html
    assert "30 %" in html and "50 %" in html
    again = client.post(
        reverse("admin:facilities_ratetableversion_copy", args=[current.pk]),
        {"effective_from": "2026-11-01", "basis_ko": "과거"},
    )
    assert again.status_code == 200 and "must take effect after today" in again.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_copied_version_is_a_draft_until_published_and_its_history_shows_prices_old_to_new(
    client, future_version, city_admin
):
    from facilities import selectors

    assert future_version.is_draft
    client.force_login(city_admin)  # Korean, the default
    rates = client.get("/anchors/geumcheon/rates/").content.decode()
    assert "2027-01-01" not in rates  # the public does not see a draft
    assert future_version.pk not in [v.pk for v in selectors.rate_versions(anchor=future_version.table.anchor)]
    rule = future_version.rules.get(space__slug="cutting-room")
    url = reverse("admin:facilities_raterule_change", args=[rule.pk])
    data = {**_rule_form_data(client, url), "base_price_won": 18_000, "version": future_version.pk}
    assert client.post(url, data).status_code == 302
    history = client.get(reverse("admin:facilities_ratetableversion_history", args=[future_version.pk]))
    html = history.content.decode()
    assert "15,000 → 18,000" in html and "변경 내역" in html and "Changed by" not in html
    publish = reverse("admin:facilities_ratetableversion_publish", args=[future_version.pk])
    assert client.get(publish).status_code == 403  # publishing is a POST
    assert client.post(publish).status_code == 302
    future_version.refresh_from_db()
    assert not future_version.is_draft
    assert "2027-01-01" in client.get("/anchors/geumcheon/rates/").content.decode()
    client.post(publish)  # twice: refused with a message, nothing changes
    assert any(
        "이미" in str(m) or "already" in str(m)
        for m in client.get(publish.replace("publish/", "change/")).context["messages"]
    )


@time_machine.travel(TODAY, tick=False)
def test_a_draft_dated_today_or_earlier_is_not_published(future_version):
    from django.core.exceptions import ValidationError

    RateTableVersion.objects.filter(pk=future_version.pk).update(effective_from=date(2026, 11, 21))
    future_version.refresh_from_db()
    with pytest.raises(ValidationError):
        services.rate_version_publish(version=future_version, today=date(2026, 11, 21))
    future_version.refresh_from_db()
    assert future_version.is_draft
