"""Example tenants (the seeds give none): loaded by `load_seed_data` after the facilities they lease."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.validators import brn_check_digit
from anchors.seed import upsert
from facilities.models import Space

from . import services
from .models import Lease, Organisation, OrganisationStatus

EXAMPLE_TENANTS = [
    ("startup-room-1", "봉제공방 한땀 (예시)", "1018123450", "김한땀", "봉제 샘플 제작"),
    ("startup-room-2", "시흥 패턴랩 (예시)", "1018167890", "박패턴", "패턴 설계"),
]


@transaction.atomic
def load(*, now: datetime) -> Counter:
    """Two example tenant companies in Geumcheon's start-up rooms, leased for a year from the start of this month,
    through the same services as a real lease (the rate table's fee, then started). The sources name no tenant."""
    tally: Counter = Counter()
    start = timezone.localdate(now).replace(day=1)
    for room_slug, name, brn_stem, representative, industry in EXAMPLE_TENANTS:
        brn = brn_stem[:9] + str(brn_check_digit(brn_stem[:9]))
        org = upsert(
            Organisation,
            {"business_registration_number": brn},
            {
                "name": name,
                "representative": representative,
                "industry": industry,
                "status": OrganisationStatus.TENANT,
                "is_example": True,
            },
            tally,
        )
        space = Space.objects.get(anchor__slug="geumcheon", slug=room_slug)
        if not Lease.objects.filter(space=space, organisation=org).exists():
            lease = services.lease_create(space=space, organisation=org, starts_on=start, months=12, is_example=True)
            services.lease_activate(lease=lease)
            tally["Lease created"] += 1
    return tally
