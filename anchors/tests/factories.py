from __future__ import annotations

import factory

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from anchors.models import Anchor, District, OfficerAssignment, StaffAssignment


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"district-{n}")
    name_ko = factory.Sequence(lambda n: f"테스트{n}구")
    name_en = factory.Sequence(lambda n: f"Test-{n}-gu")


class AnchorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anchor
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"anchor-{n}")
    name_ko = factory.Sequence(lambda n: f"테스트 앵커 {n}")
    name_en = factory.Sequence(lambda n: f"Test Anchor {n}")
    kind = "solution_anchor"
    status = "operating"
    industry = "sewing"
    district = factory.SubFactory(DistrictFactory)


def staff_of(anchor: Anchor, **kwargs):
    user = UserFactory(roles=[Role.FACILITY_STAFF], **kwargs)
    StaffAssignment.objects.create(user=user, anchor=anchor)
    return user


def officer_of(district: District, **kwargs):
    user = UserFactory(roles=[Role.DISTRICT_OFFICER], **kwargs)
    OfficerAssignment.objects.create(user=user, district=district)
    return user
