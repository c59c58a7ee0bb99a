"""An example lottery window, so `make run` shows how contested slots are allocated: Gaebong's seminar room on
Tuesday and Thursday evenings of the fortnight after the window closes, applications open for a week from the day
the seed runs. The seeds give no lottery: it is marked as an example (title and flag). A second run finds it by
title and changes nothing. Each anchor with booking terms gets the portal's example allocation terms (waiting-list
offers, strikes, suspensions), marked as examples until the anchor confirms them."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from anchors.models import Anchor
from common.time import SEOUL
from facilities.models import Space

from . import services
from .models import AllocationPolicy, LotteryWindow

TITLE = "개봉 세미나실 평일 저녁 추첨 (예시)"


@transaction.atomic
def load(*, now: datetime) -> Counter:
    tally: Counter = Counter()
    for anchor in Anchor.objects.filter(booking_policy__isnull=False).exclude(allocation_policy__isnull=False):
        AllocationPolicy.objects.create(anchor=anchor, is_example=True)  # the portal's terms, until confirmed
        tally["Allocation policy created"] += 1
    if LotteryWindow.objects.filter(title=TITLE).exists():
        return tally
    room = Space.objects.filter(anchor__slug="gaebong", slug="seminar-room", bookable=True).first()
    if room is None:
        return tally
    organiser = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    if organiser is None:
        organiser = User.objects.create_user(
            email="system@anchors.seoul.example", password=None, full_name="시스템 (System)"
        )
    today = timezone.localdate(now)
    closes = datetime.combine(today + timedelta(days=7), time(18), tzinfo=SEOUL)
    services.window_create(
        anchor=Anchor.objects.get(slug="gaebong"),
        by=organiser,
        title=TITLE,
        target=room,
        first_day=closes.date() + timedelta(days=1),
        last_day=closes.date() + timedelta(days=14),
        weekdays=[1, 3],
        day_start=time(18),
        day_end=time(21),
        slot_minutes=180,
        opens_at=now,
        closes_at=closes,
        choices_per_maker=2,
        category_weights={"district_resident": 2},
        now=now,
        is_example=True,
    )
    tally["Example lottery window created"] += 1
    return tally
