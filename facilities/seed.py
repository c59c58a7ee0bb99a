"""Seed data of the facilities: the real spaces the source documents name, and labelled examples.

Real (from the seeds): the names of Geumcheon's common equipment room, cutting room, sample room and 347 m²
mask manufacturing facility (its start-up spaces are real, but their number of rooms is an example), and of
Changsin's common pattern room, common equipment room and community space. Everything the seeds do not give
(those rooms' capacities, booking rules and descriptions, Gaebong's rooms, the number of start-up rooms,
every machine and its training, opening hours and every price) is example data with `is_example=True`,
marked as an example wherever a user meets it (see common/examples.py) until the anchor confirms it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction

from anchors.models import Anchor
from anchors.seed import upsert, upsert_example

from .models import (
    CategoryDiscount,
    Equipment,
    EquipmentKind,
    InventoryItem,
    OpeningHours,
    RateRule,
    RateTable,
    RateTableVersion,
    Space,
)

ROOM = {"booking_unit_minutes": 30, "min_duration_minutes": 60, "max_duration_minutes": 480, "buffer_minutes": 0}
MACHINE = {"booking_unit_minutes": 30, "min_duration_minutes": 60, "max_duration_minutes": 240, "buffer_minutes": 0}

SPACES = {
    "geumcheon": [
        dict(
            slug="common-equipment-room",
            kind="common_equipment_room",
            name_ko="공용장비실",
            name_en="Common equipment room",
            floor="2F",
            sort_order=10,
            **ROOM,
            bookable=True,
            description_ko="공업용 미싱과 오버록 등 공용 장비를 시간 단위로 이용하는 작업실입니다.",
            description_en="A workroom with shared industrial sewing machines and overlocks, used by the hour.",
        ),
        dict(
            slug="cutting-room",
            kind="cutting_room",
            name_ko="재단실",
            name_en="Cutting room",
            floor="2F",
            sort_order=20,
            capacity=8,
            **ROOM,
            bookable=True,
            description_ko="넓은 재단대와 자동 재단기가 있는 재단실입니다.",
            description_en="A cutting room with large cutting tables and an automatic cutter.",
        ),
        dict(
            slug="sample-room",
            kind="sample_room",
            name_ko="샘플실",
            name_en="Sample room",
            floor="2F",
            sort_order=30,
            capacity=6,
            **ROOM,
            bookable=True,
            requires_approval=True,
            description_ko="샘플 제작실. 예약은 직원 승인 후 확정됩니다.",
            description_en="Sample-making room; bookings are confirmed once staff approve them.",
        ),
        dict(
            slug="mask-facility",
            kind="mask_facility",
            name_ko="마스크 제조시설",
            name_en="Mask manufacturing facility",
            floor="2F",
            area_m2=Decimal("347"),
            sort_order=40,
            bookable=True,
            requires_approval=True,
            booking_unit_minutes=240,
            min_duration_minutes=240,
            max_duration_minutes=480,
            buffer_minutes=0,
            description_ko="347㎡ 규모의 마스크 제조시설. 반일 단위로 승인 후 이용합니다.",
            description_en="The 347 m² mask manufacturing facility, used by the half day after approval.",
        ),
    ],
    "changsin": [
        dict(
            slug="pattern-room",
            kind="pattern_room",
            name_ko="공동패턴실",
            name_en="Common pattern room",
            sort_order=10,
            capacity=6,
            **ROOM,
            bookable=True,
            description_ko="패턴 CAD와 플로터를 함께 쓰는 공동패턴실입니다.",
            description_en="A shared pattern room with pattern CAD and a plotter.",
        ),
        dict(
            slug="common-equipment-room",
            kind="common_equipment_room",
            name_ko="공용장비실",
            name_en="Common equipment room",
            sort_order=20,
            **ROOM,
            bookable=True,
            description_ko="공용 봉제 장비를 시간 단위로 이용하는 작업실입니다.",
            description_en="A workroom with shared sewing equipment, used by the hour.",
        ),
        dict(
            slug="community-space",
            kind="community_space",
            name_ko="커뮤니티 공간",
            name_en="Community space",
            sort_order=30,
            capacity=20,
            **{**ROOM, "buffer_minutes": 30},
            bookable=True,
            description_ko="교육, 회의, 교류 행사를 위한 커뮤니티 공간입니다.",
            description_en="A community space for classes, meetings and exchange events.",
        ),
    ],
}
# Geumcheon's report names "start-up spaces" without saying how many rooms; and the seeds name no
# room of the Gaebong makerspace. These are examples.
EXAMPLE_SPACES = {
    "geumcheon": [
        dict(
            slug=f"startup-room-{n}",
            kind="startup_space",
            name_ko=f"창업공간 {n}호",
            name_en=f"Start-up room {n}",
            floor="2F",
            sort_order=50 + n,
            bookable=False,
            **ROOM,
            description_ko="예시 호실입니다. 실제 호실 구성으로 바꿔 주세요.",
            description_en="An example room; replace with the real room layout.",
        )
        for n in (1, 2, 3)
    ],
    "gaebong": [
        dict(
            slug="digital-fabrication-lab",
            kind="workshop",
            name_ko="디지털 제작실",
            name_en="Digital fabrication lab",
            floor="1층 (예시)",
            sort_order=10,
            capacity=10,
            **ROOM,
            bookable=True,
            description_ko="레이저 커터와 3D 프린터가 있는 제작실 (예시).",
            description_en="A lab with a laser cutter and 3D printers (example).",
        ),
        dict(
            slug="sewing-workshop",
            kind="workshop",
            name_ko="봉제 작업장",
            name_en="Sewing workshop",
            floor="1층 (예시)",
            sort_order=20,
            capacity=12,
            **ROOM,
            bookable=True,
            description_ko="공업용 미싱을 갖춘 작업장 (예시).",
            description_en="A workshop with industrial sewing machines (example).",
        ),
        dict(
            slug="seminar-room",
            kind="seminar_room",
            name_ko="세미나실",
            name_en="Seminar room",
            floor="2층 (예시)",
            sort_order=30,
            capacity=30,
            **{**ROOM, "buffer_minutes": 30},
            bookable=True,
            description_ko="교육과 설명회를 위한 세미나실 (예시).",
            description_en="A seminar room for classes and briefings (example).",
        ),
    ],
}

KINDS = [
    dict(slug="industrial-sewing-machine", name_ko="공업용 본봉 미싱", name_en="Industrial sewing machine"),
    dict(slug="overlock", name_ko="오버록 미싱", name_en="Overlock"),
    dict(
        slug="automatic-cutter",
        name_ko="자동 재단기",
        name_en="Automatic cutter",
        requires_certification=True,
        certification_valid_months=24,
        safety_note_ko="칼날이 움직이는 장비입니다. 안전교육 이수자만 예약할 수 있습니다.",
        safety_note_en="A moving-blade machine; only makers who passed the safety training may book it.",
    ),
    dict(slug="pattern-cad-plotter", name_ko="패턴 CAD·플로터", name_en="Pattern CAD and plotter"),
    dict(
        slug="3d-printer",
        name_ko="3D 프린터",
        name_en="3D printer",
        requires_certification=True,
        certification_valid_months=24,
        safety_note_ko="노즐과 베드가 뜨겁습니다. 안전교육 이수자만 예약할 수 있습니다.",
        safety_note_en="Hot nozzle and bed; only makers who passed the safety training may book it.",
    ),
    dict(
        slug="laser-cutter",
        name_ko="레이저 커터",
        name_en="Laser cutter",
        requires_certification=True,
        certification_valid_months=12,
        safety_note_ko="레이저와 화재 위험이 있습니다. 안전교육 이수자만 예약할 수 있습니다.",
        safety_note_en="Laser and fire hazard; only makers who passed the safety training may book it.",
    ),
]

# (anchor, space slug, kind slug, asset tag, Korean name, English name, make, model)
EQUIPMENT = [
    (
        "geumcheon",
        "common-equipment-room",
        "industrial-sewing-machine",
        "GC-SEW-01",
        "공업용 미싱 1",
        "Industrial sewing machine 1",
        "예시 제조사",
        "LS-1000",
    ),
    (
        "geumcheon",
        "common-equipment-room",
        "industrial-sewing-machine",
        "GC-SEW-02",
        "공업용 미싱 2",
        "Industrial sewing machine 2",
        "예시 제조사",
        "LS-1000",
    ),
    (
        "geumcheon",
        "common-equipment-room",
        "industrial-sewing-machine",
        "GC-SEW-03",
        "공업용 미싱 3",
        "Industrial sewing machine 3",
        "예시 제조사",
        "LS-1000",
    ),
    ("geumcheon", "common-equipment-room", "overlock", "GC-OVL-01", "오버록 1", "Overlock 1", "예시 제조사", "OV-4"),
    ("geumcheon", "common-equipment-room", "overlock", "GC-OVL-02", "오버록 2", "Overlock 2", "예시 제조사", "OV-4"),
    (
        "geumcheon",
        "cutting-room",
        "automatic-cutter",
        "GC-CUT-01",
        "자동 재단기",
        "Automatic cutter",
        "예시 제조사",
        "AC-200",
    ),
    (
        "geumcheon",
        "sample-room",
        "industrial-sewing-machine",
        "GC-SEW-04",
        "샘플실 미싱",
        "Sample-room sewing machine",
        "예시 제조사",
        "LS-1000",
    ),
    (
        "changsin",
        "pattern-room",
        "pattern-cad-plotter",
        "CS-CAD-01",
        "패턴 CAD·플로터",
        "Pattern CAD and plotter",
        "예시 제조사",
        "PC-1",
    ),
    (
        "changsin",
        "common-equipment-room",
        "industrial-sewing-machine",
        "CS-SEW-01",
        "공업용 미싱 1",
        "Industrial sewing machine 1",
        "예시 제조사",
        "LS-1000",
    ),
    ("changsin", "common-equipment-room", "overlock", "CS-OVL-01", "오버록 1", "Overlock 1", "예시 제조사", "OV-4"),
    (
        "gaebong",
        "digital-fabrication-lab",
        "laser-cutter",
        "GB-LAS-01",
        "레이저 커터",
        "Laser cutter",
        "예시 제조사",
        "LC-60",
    ),
    (
        "gaebong",
        "digital-fabrication-lab",
        "3d-printer",
        "GB-3DP-01",
        "3D 프린터 1",
        "3D printer 1",
        "예시 제조사",
        "P-300",
    ),
    (
        "gaebong",
        "digital-fabrication-lab",
        "3d-printer",
        "GB-3DP-02",
        "3D 프린터 2",
        "3D printer 2",
        "예시 제조사",
        "P-300",
    ),
    (
        "gaebong",
        "sewing-workshop",
        "industrial-sewing-machine",
        "GB-SEW-01",
        "공업용 미싱 1",
        "Industrial sewing machine 1",
        "예시 제조사",
        "LS-1000",
    ),
]

# Example opening hours (weekday: opens, closes).
WEEKDAYS_9_18 = {d: (time(9), time(18)) for d in range(5)}
HOURS = {
    "geumcheon": WEEKDAYS_9_18,
    "changsin": WEEKDAYS_9_18,
    "gaebong": {**{d: (time(10), time(21)) for d in range(5)}, 5: (time(10), time(17))},
}

DISCOUNTS = {
    "tenant_member": 30,
    "district_resident": 20,
    "small_manufacturer": 30,
    "social_enterprise": 30,
    "student_youth": 20,
    "partner_programme": 50,
}
SURCHARGES = {"evening_surcharge_pct": 20, "weekend_surcharge_pct": 30, "holiday_surcharge_pct": 50}

# anchor -> list of versions: (effective_from, basis_ko, basis_en, rules); a rule targets ("space", slug) or ("kind", slug).
RATES = {
    "geumcheon": [
        (
            date(2026, 1, 1),
            "금천 스마트솔루션앵커 시설 운영규정 공간 대여료 기준 (예시)",
            "Geumcheon operating rules, space rental-fee standards (example)",
            [
                (("space", "common-equipment-room"), "hour", 10_000, SURCHARGES, 0),
                (("space", "cutting-room"), "hour", 15_000, {"evening_surcharge_pct": 20}, 0),
                (("space", "sample-room"), "hour", 8_000, SURCHARGES, 0),
                (
                    ("space", "mask-facility"),
                    "half_day",
                    100_000,
                    {"weekend_surcharge_pct": 30, "holiday_surcharge_pct": 50},
                    200_000,
                ),
                *[(("space", f"startup-room-{n}"), "month", 300_000, {}, 1_000_000) for n in (1, 2, 3)],
                (("kind", "industrial-sewing-machine"), "hour", 2_000, SURCHARGES, 0),
                (("kind", "overlock"), "hour", 2_000, SURCHARGES, 0),
                (("kind", "automatic-cutter"), "hour", 12_000, SURCHARGES, 0),
            ],
        ),
    ],
    "changsin": [
        (
            date(2026, 1, 1),
            "창신 스마트솔루션앵커 시설 운영규정 공간 대여료 기준 (예시)",
            "Changsin operating rules, space rental-fee standards (example)",
            [
                (("space", "pattern-room"), "hour", 10_000, SURCHARGES, 0),
                (("space", "common-equipment-room"), "hour", 8_000, SURCHARGES, 0),
                (("space", "community-space"), "hour", 20_000, SURCHARGES, 50_000),
                (("kind", "pattern-cad-plotter"), "hour", 5_000, SURCHARGES, 0),
                (("kind", "industrial-sewing-machine"), "hour", 2_000, SURCHARGES, 0),
                (("kind", "overlock"), "hour", 2_000, SURCHARGES, 0),
            ],
        ),
    ],
    "gaebong": [
        (
            date(2026, 1, 1),
            "개봉 메이커스페이스 운영규정 이용료 기준 (예시)",
            "Gaebong makerspace operating rules, fee standards (example)",
            [
                (("space", "digital-fabrication-lab"), "hour", 20_000, SURCHARGES, 0),
                (("space", "sewing-workshop"), "hour", 15_000, SURCHARGES, 0),
                (("space", "seminar-room"), "hour", 30_000, SURCHARGES, 100_000),
                (("kind", "laser-cutter"), "hour", 10_000, SURCHARGES, 0),
                (("kind", "3d-printer"), "hour", 3_000, SURCHARGES, 0),
                (("kind", "industrial-sewing-machine"), "hour", 2_000, SURCHARGES, 0),
            ],
        ),
        (
            date(2027, 3, 1),
            "개봉 메이커스페이스 운영규정 개정 이용료 기준 (예시, 예고)",
            "Gaebong makerspace revised fee standards (example, announced)",
            [
                (("space", "digital-fabrication-lab"), "hour", 22_000, SURCHARGES, 0),
                (("space", "sewing-workshop"), "hour", 15_000, SURCHARGES, 0),
                (("space", "seminar-room"), "hour", 30_000, SURCHARGES, 100_000),
                (("kind", "laser-cutter"), "hour", 12_000, SURCHARGES, 0),
                (("kind", "3d-printer"), "hour", 3_000, SURCHARGES, 0),
                (("kind", "industrial-sewing-machine"), "hour", 2_000, SURCHARGES, 0),
            ],
        ),
    ],
}

INVENTORY = [
    ("geumcheon", "GC-INV-001", "재단대 (1800×1200)", "Cutting table (1800×1200)", "cutting-room", 4, 1_200_000),
    ("geumcheon", "GC-INV-002", "다리미대와 스팀다리미", "Ironing board with steam iron", "sample-room", 2, 450_000),
    ("geumcheon", "GC-INV-003", "마네킹 (여성 55)", "Dress form (women's 55)", "sample-room", 3, 180_000),
    ("changsin", "CS-INV-001", "패턴 작업대", "Pattern table", "pattern-room", 2, 900_000),
    ("gaebong", "GB-INV-001", "노트북 (CAD용)", "Laptop for CAD", "digital-fabrication-lab", 4, 1_600_000),
    ("gaebong", "GB-INV-002", "빔프로젝터", "Projector", "seminar-room", 1, 900_000),
]


@transaction.atomic
def load(*, now: datetime) -> Counter:
    tally: Counter = Counter()
    anchors = {a.slug: a for a in Anchor.objects.filter(slug__in=["geumcheon", "changsin", "gaebong"])}
    spaces: dict[tuple[str, str], Space] = {}
    # The real rooms' names are the sources'; their capacities, rules and descriptions are not: examples too.
    # A row the anchor has confirmed is its own: `upsert_example` leaves it alone on a later run.
    for source in (SPACES, EXAMPLE_SPACES):
        for anchor_slug, rows in source.items():
            for row in rows:
                row = dict(row)
                slug = row.pop("slug")
                spaces[(anchor_slug, slug)] = upsert_example(
                    Space, {"anchor": anchors[anchor_slug], "slug": slug}, row, tally
                )
    kinds = {}
    for row in KINDS:
        row = dict(row)
        slug = row.pop("slug")
        kinds[slug] = upsert_example(EquipmentKind, {"slug": slug}, row, tally)
    for anchor_slug, space_slug, kind_slug, tag, name_ko, name_en, make, model in EQUIPMENT:
        upsert_example(
            Equipment,
            {"asset_tag": tag},
            {
                "space": spaces[(anchor_slug, space_slug)],
                "kind": kinds[kind_slug],
                "name_ko": name_ko,
                "name_en": name_en,
                "make": make,
                "model_name": model,
                **MACHINE,
            },
            tally,
        )
    for anchor_slug, days in HOURS.items():
        for weekday, (opens, closes) in days.items():
            upsert_example(
                OpeningHours,
                {"anchor": anchors[anchor_slug], "weekday": weekday},
                {"opens": opens, "closes": closes},
                tally,
            )
    for anchor_slug, versions in RATES.items():
        table = upsert(RateTable, {"anchor": anchors[anchor_slug]}, {}, tally)
        for effective_from, basis_ko, basis_en, rules in versions:
            existing = RateTableVersion.objects.filter(table=table, effective_from=effective_from).first()
            if existing is not None and not existing.is_example:
                continue  # confirmed by the anchor: its prices are its own
            version = upsert_example(
                RateTableVersion,
                {"table": table, "effective_from": effective_from},
                {"basis_ko": basis_ko, "basis_en": basis_en},
                tally,
            )
            for (target_type, target_slug), unit, price, surcharges, deposit in rules:
                lookup = {"version": version}
                if target_type == "space":
                    lookup["space"] = spaces[(anchor_slug, target_slug)]
                else:
                    lookup["equipment_kind"] = kinds[target_slug]
                values = {
                    "unit": unit,
                    "base_price_won": price,
                    "deposit_won": deposit,
                    "evening_surcharge_pct": 0,
                    "weekend_surcharge_pct": 0,
                    "holiday_surcharge_pct": 0,
                    **surcharges,
                }
                upsert(RateRule, lookup, values, tally)
            for category, percent in DISCOUNTS.items():
                upsert(CategoryDiscount, {"version": version, "category": category}, {"percent": percent}, tally)
    for anchor_slug, tag, name_ko, name_en, space_slug, qty, cost in INVENTORY:
        upsert_example(
            InventoryItem,
            {"asset_tag": tag},
            {
                "anchor": anchors[anchor_slug],
                "name_ko": name_ko,
                "name_en": name_en,
                "space": spaces[(anchor_slug, space_slug)],
                "quantity": qty,
                "acquisition_cost_won": cost,
            },
            tally,
        )
    return tally
