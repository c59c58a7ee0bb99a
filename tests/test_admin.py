"""The admin site: every registered model lists, searches and opens its add form; history is kept."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_registered_model_has_a_working_changelist_search_and_add_form(client, seeded, city_admin):
    client.force_login(city_admin)
    broken = {}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for url in (changelist, changelist + "?q=test"):
            status = client.get(url).status_code
            if status != 200:
                broken[url] = status
        if model_admin.has_add_permission(type("R", (), {"user": city_admin})()):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            status = client.get(add).status_code
            if status != 200:
                broken[add] = status
    assert broken == {}


def test_editing_an_anchor_in_the_admin_keeps_its_history_with_who_and_what(client, seeded, city_admin):
    from anchors.models import Anchor

    client.force_login(city_admin)
    anchor = seeded["changsin"]
    url = reverse("admin:anchors_anchor_change", args=[anchor.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"phone": "02-123-4567", "district": anchor.district_id})
    for prefix in ("contacts", "milestones"):
        formset = [f for f in client.get(url).context["inline_admin_formsets"] if f.formset.prefix == prefix][0].formset
        mgmt = formset.management_form
        data.update({f"{prefix}-{k}": v for k, v in mgmt.initial.items()})
        for i, f in enumerate(formset.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                data[f"{prefix}-{i}-{name}"] = "" if value is None else getattr(value, "pk", value)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else None
    assert Anchor.objects.get(pk=anchor.pk).phone == "02-123-4567"
    latest = anchor.history.first()
    assert latest.history_user == city_admin
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("phone", "", "02-123-4567")]
    history = client.get(reverse("admin:anchors_anchor_history", args=[anchor.pk]))
    assert history.status_code == 200 and city_admin.email in history.content.decode()
