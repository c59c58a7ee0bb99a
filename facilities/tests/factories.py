from __future__ import annotations

from datetime import date

import factory

from anchors.tests.factories import AnchorFactory
from facilities.models import Equipment, EquipmentKind, RateRule, RateTable, RateTableVersion, Space


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    anchor = factory.SubFactory(AnchorFactory)
    slug = factory.Sequence(lambda n: f"space-{n}")
    kind = "workshop"
    name_ko = factory.Sequence(lambda n: f"작업실 {n}")
    name_en = factory.Sequence(lambda n: f"Workroom {n}")


class EquipmentKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentKind
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kind-{n}")
    name_ko = factory.Sequence(lambda n: f"장비 종류 {n}")
    name_en = factory.Sequence(lambda n: f"Machine kind {n}")


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    space = factory.SubFactory(SpaceFactory)
    kind = factory.SubFactory(EquipmentKindFactory)
    name_ko = factory.Sequence(lambda n: f"장비 {n}")
    name_en = factory.Sequence(lambda n: f"Machine {n}")
    asset_tag = factory.Sequence(lambda n: f"TAG-{n:05d}")


class RateTableVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateTableVersion

    table = factory.LazyAttribute(lambda o: RateTable.objects.get_or_create(anchor=AnchorFactory())[0])
    effective_from = date(2026, 1, 1)
    basis_ko = "운영규정 제1조"


class RateRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateRule

    version = factory.SubFactory(RateTableVersionFactory)
    space = factory.SubFactory(SpaceFactory, anchor=factory.SelfAttribute("..version.table.anchor"))
    unit = "hour"
    base_price_won = 10_000
