"""Example programmes (the seeds name the kinds of programme but no dates): labelled as examples.

They are placed on the next weekdays from the day the seed runs, so `make run` always shows upcoming
programmes; a second run finds them by title and changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from anchors.models import Anchor
from common.time import SEOUL
from facilities.models import EquipmentKind, Space
from facilities.selectors import anchor_hours

from . import services
from .models import Programme

EXAMPLES = [
    (
        "geumcheon",
        "regional_activation",
        "봉제 소공인 지역 활성화 워크숍 (예시)",
        "Sewing makers' regional activation workshop (example)",
        "지역 봉제 소공인과 디자이너가 함께 작업 공정을 개선하는 워크숍입니다.",
        "Local sewing workshops and designers improve a production step together.",
        "sample-room",
        6,
        None,
    ),
    (
        "geumcheon",
        "exchange",
        "봉제인-디자이너-원부자재 교류회 (예시)",
        "Sewing workers, designers and materials: exchange meeting (example)",
        "봉제인, 디자이너, 원부자재 시장, 유통을 잇는 교류 프로그램입니다.",
        "An exchange linking sewing workers, designers, the raw-materials market and distribution.",
        "cutting-room",
        8,
        None,
    ),
    (
        "gaebong",
        "safety_training",
        "레이저 커터 안전교육 (예시)",
        "Laser cutter safety training (example)",
        "통과하면 서울 모든 앵커시설에서 레이저 커터를 예약할 수 있습니다.",
        "Passing lets you book laser cutters at every anchor in Seoul.",
        "seminar-room",
        6,
        "laser-cutter",
    ),
]


def _next_open_slot(anchor: Anchor, start_day, start_at: time = time(14)) -> tuple[datetime, datetime]:
    for h in anchor_hours(anchor=anchor, start=start_day, end=start_day + timedelta(days=21)):
        if h.is_open and h.day.weekday() < 5 and h.opens <= start_at and h.closes >= time(16):
            s = datetime.combine(h.day, start_at, tzinfo=SEOUL)
            return s, s + timedelta(hours=2)
    raise LookupError("no open weekday in three weeks")


@transaction.atomic
def load(*, now: datetime) -> Counter:
    tally: Counter = Counter()
    organiser = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    if organiser is None:
        organiser = User.objects.create_user(
            email="system@anchors.seoul.example", password=None, full_name="시스템 (System)"
        )
    today = timezone.localdate(now)
    for offset, (slug, kind, title_ko, title_en, desc_ko, desc_en, room, capacity, certifies) in enumerate(EXAMPLES):
        if Programme.objects.filter(title_ko=title_ko).exists():
            continue
        anchor = Anchor.objects.get(slug=slug)
        p = services.programme_create(
            anchor=anchor,
            kind=kind,
            title_ko=title_ko,
            title_en=title_en,
            description_ko=desc_ko,
            description_en=desc_en,
            capacity=capacity,
            created_by=organiser,
            is_example=True,
            certifies=EquipmentKind.objects.get(slug=certifies) if certifies else None,
        )
        start, end = _next_open_slot(anchor, today + timedelta(days=3 + 2 * offset))
        services.session_add(
            programme=p,
            space=Space.objects.get(anchor=anchor, slug=room),
            start=start,
            end=end,
            booked_by=organiser,
            now=now,
        )
        tally["Programme created"] += 1
    return tally
