"""The admin site: every registered model lists, searches and opens its add form; history is kept."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from reservations.tests.conftest import NOW

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


# --- every write through its service, the admin included --------------------------------------------

SERVICE_MODULES = [
    "accounts.services",
    "anchors.services",
    "facilities.services",
    "tenants.services",
    "reservations.services",
    "reservations.reminders",
    "programs.services",
    "budgets.reports",
    "budgets.services",
    "notifications.services",
]
WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "update"}


def _models_written_by(module_name: str) -> set:
    """Models a services module creates or updates: `Model(...)`, `Model.objects.create(...)`, `.update(...)` on a
    `Model.objects` chain; read from the source, so a new service is seen without anyone listing it."""
    import ast
    import importlib
    import inspect

    from django.db import models

    module = importlib.import_module(module_name)
    if hasattr(module, "__path__"):  # a package of services: every module in it
        import pkgutil

        return set().union(
            *(_models_written_by(f"{module_name}.{info.name}") for info in pkgutil.iter_modules(module.__path__))
        )
    names = {n: v for n, v in vars(module).items() if isinstance(v, type) and issubclass(v, models.Model)}
    found = set()

    def root(node):
        while isinstance(node, ast.Attribute | ast.Call):
            node = node.value if isinstance(node, ast.Attribute) else node.func
        return node.id if isinstance(node, ast.Name) else None

    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in names:
            found.add(names[node.func.id])
        elif isinstance(node.func, ast.Attribute) and node.func.attr in WRITES and root(node.func) in names:
            found.add(names[root(node.func)])
    return found


def _edited_in_the_admin():
    """Models a service writes that the admin site edits on purpose, and why that is safe."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from anchors.models import Anchor
    from facilities.models import CategoryDiscount, RateRule, RateTableVersion
    from reservations.models import BookingPolicy
    from tenants.models import Membership, Organisation

    return {
        Group: "roles are groups assigned in the admin; a service only makes sure a role's group exists",
        BookingPolicy: "an anchor's booking terms are set in the admin; the services only read them (or the defaults)",
        User: "Django's user admin: accounts and roles; the verified category is read-only (evidence review sets it)",
        Organisation: "company details; the status is read-only (it follows the company's leases)",
        Membership: "who belongs to a company, an inline of the company",
        Anchor: "city administrators keep the sites' records (with history); staff edit the public part on its page",
        RateTableVersion: "a version not yet in effect; the lock rule (facilities.services) guards admin and importer",
        RateRule: "the same lock rule",
        CategoryDiscount: "the same lock rule",
    }


def test_the_scan_of_the_services_sees_the_models_they_write():
    from notifications.models import Outbox
    from programs.models import Attendance, Registration, Session
    from reservations.models import Reservation

    written = set().union(*(_models_written_by(m) for m in SERVICE_MODULES))
    assert {Reservation, Registration, Attendance, Session, Outbox} <= written


def test_no_admin_screen_edits_a_model_around_the_service_that_writes_it():
    from common.admin import ReadOnlyInline

    written = set().union(*(_models_written_by(m) for m in SERVICE_MODULES))
    allowed = _edited_in_the_admin()
    editable = []
    for model, model_admin in admin.site._registry.items():
        if model in written and model not in allowed and not getattr(model_admin, "writes_through_service", False):
            editable.append(model.__name__)
        for inline in model_admin.inlines:
            if inline.model in written and inline.model not in allowed and not issubclass(inline, ReadOnlyInline):
                editable.append(f"{inline.model.__name__} (inline of {model.__name__})")
    assert editable == []


def test_a_read_only_admin_refuses_a_change_posted_by_hand(client, world, maker, city_admin):
    from reservations import services
    from reservations.models import Reservation
    from reservations.tests.conftest import NOW, at

    r = services.reservation_create(
        resource=world["overlock"], start=at(3, 10), end=at(3, 12), booked_by=maker, user=maker, now=NOW
    )
    client.force_login(city_admin)
    url = reverse("admin:reservations_reservation_change", args=[r.pk])
    assert client.get(url).status_code == 200  # shown
    response = client.post(url, {"status": "cancelled", "fee_won": 0})
    assert response.status_code == 403
    assert Reservation.objects.get(pk=r.pk).status == "confirmed"
    assert (
        client.post(reverse("admin:reservations_reservation_delete", args=[r.pk]), {"post": "yes"}).status_code == 403
    )


@time_machine.travel(NOW, tick=False)
def test_a_programme_edited_in_the_admin_keeps_the_room_rule_and_fills_new_places_from_the_waiting_list(
    client, world, city_admin
):
    from accounts.tests.factories import UserFactory
    from programs import services
    from programs.models import Programme
    from reservations.tests.conftest import at

    p = services.programme_create(
        anchor=world["geumcheon"], kind="workshop", title_ko="재단", capacity=1, created_by=city_admin
    )
    services.session_add(
        programme=p, space=world["cutting"], start=at(9, 10), end=at(9, 12), booked_by=city_admin, now=NOW
    )
    first, second = (services.registration_create(programme=p, user=UserFactory(), now=NOW) for _ in range(2))
    client.force_login(city_admin)
    url = reverse("admin:programs_programme_change", args=[p.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "sessions-TOTAL_FORMS": 1,
            "sessions-INITIAL_FORMS": 1,
            "sessions-MIN_NUM_FORMS": 0,
            "sessions-MAX_NUM_FORMS": 1000,
        }
    )
    data.update({"sessions-0-id": p.sessions.get().pk, "sessions-0-programme": p.pk})
    refused = client.post(url, {**data, "capacity": 30})  # the cutting room holds 8
    assert refused.status_code == 200 and "8" in str(refused.context["adminform"].form.non_field_errors())
    assert Programme.objects.get(pk=p.pk).capacity == 1
    assert client.post(url, {**data, "capacity": 2}).status_code == 302
    second.refresh_from_db()
    assert Programme.objects.get(pk=p.pk).capacity == 2 and second.status == "registered"


def test_the_admin_never_sets_a_verified_category_or_an_equipment_status_by_hand(client, world, city_admin):
    client.force_login(city_admin)
    user_form = client.get(reverse("admin:accounts_user_change", args=[city_admin.pk])).context["adminform"].form
    assert "category_verified_at" not in user_form.fields
    unit = world["overlock"]
    equipment_form = client.get(reverse("admin:facilities_equipment_change", args=[unit.pk])).context["adminform"].form
    assert "status" not in equipment_form.fields
