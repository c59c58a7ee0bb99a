"""The budget book page "스마트앵커 운영" of Seoul's 2021 budget (seed 002), figure by figure.

The book prints thousand won (summary, basis, schedule, settlement) and million won (multi-year plan);
amounts are stored in won. Codes of the expense items follow the local-government budget structure
(통계목); the seed names the items but prints no codes. Execution records and the planned curve are
example data (the book has none), labelled as such.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction

from anchors.models import Anchor
from anchors.seed import upsert

from .models import (
    BudgetLine,
    ExecutionRecord,
    ExpenseItem,
    PlannedExecution,
    PlanRow,
    Project,
    ScheduleEntry,
    SettlementRow,
)

K = 1_000  # thousand won
M = 1_000_000  # million won

ITEMS = [
    ("201-01", "사무관리비", "Office and operating expenses", 10),
    ("201-02", "공공운영비", "Public utilities and operation", 20),
    ("207-01", "연구용역비", "Research services", 25),
    ("308-01", "자치단체경상보조금", "Current subsidy to districts", 30),
    ("401-01", "시설비", "Facility construction", 40),
    ("401-02", "감리비", "Construction supervision", 50),
    ("403-02", "자치단체자본보조", "Capital subsidy to districts", 60),
    ("405-01", "자산및물품취득비", "Assets and goods acquisition", 70),
]

# (year, item, amount in thousand won, national in thousand won, basis ko, basis en, anchor slug)
LINES = [
    (2020, "사무관리비", 50_000, 0, "", "", None),
    (2020, "공공운영비", 225_000, 0, "", "", None),
    (2020, "자치단체경상보조금", 530_000, 0, "", "", None),
    (2020, "자치단체자본보조", 4_231_880, 2_500_000, "", "", None),
    (2021, "사무관리비", 1_711_987, 0, "시설관리 운영", "Facility management and operation", None),
    (2021, "공공운영비", 450_000, 0, "공공요금 등", "Public utility charges etc.", None),
    (
        2021,
        "자치단체경상보조금",
        300_000,
        0,
        "스마트앵커 자치구 협동화 사업비",
        "Smart-anchor district cooperation projects",
        None,
    ),
    (2021, "시설비", 579_000, 0, "개봉 메이커스페이스 조성", "Gaebong makerspace construction", "gaebong"),
    (2021, "감리비", 10_000, 0, "개봉 메이커스페이스 조성", "Gaebong makerspace construction", "gaebong"),
    (
        2021,
        "자치단체자본보조",
        1_071_000,
        0,
        "중구 스마트앵커 조성비(공사비)",
        "Jung-gu smart anchor construction (works)",
        "jung-printing",
    ),
    (
        2021,
        "자치단체자본보조",
        803_000,
        0,
        "마포구 스마트앵커 조성비(공사비)",
        "Mapo-gu smart anchor construction (works)",
        "mapo-design",
    ),
    (
        2021,
        "자산및물품취득비",
        2_299_200,
        0,
        "개봉 메이커스페이스 물품구매",
        "Gaebong makerspace goods purchase",
        "gaebong",
    ),
]

SCHEDULE_2021 = [
    (
        "금천, 창신 스마트 솔루션앵커 운영 및 개봉메이커 스페이스 운영",
        "Geumcheon & Changsin solution anchors and Gaebong makerspace operation",
        1_691_987,
        "금천, 창신 스마트 솔루션앵커 시설관리 운영 및 개봉메이커 스페이스 운영",
        "Facility management and operation of the Geumcheon and Changsin solution anchors and the Gaebong makerspace",
    ),
    (
        "스마트앵커 TF운영비",
        "Smart Anchor task force",
        20_000,
        "스마트앵커 운영방안 전문가 의견수렴",
        "Expert advice on running the smart anchors",
    ),
    (
        "개봉 임대산업시설 운영",
        "Gaebong rental industrial facility operation",
        450_000,
        "개봉 임대산업시설 관리",
        "Management of the Gaebong rental industrial building",
    ),
    (
        "스마트앵커 협동화 사업",
        "Smart-anchor cooperation projects",
        300_000,
        "스마트앵커 조성 자치구 공모 및 협동화 사업 지원",
        "District open call for smart anchors and support for cooperation projects",
    ),
    (
        "스마트앵커 조성 공사",
        "Smart anchor construction",
        1_874_000,
        "중구 인쇄, 마포 디자인출판인쇄 스마트앵커 조성 공사 추진",
        "Construction of the Jung-gu printing and Mapo design/publishing smart anchors",
    ),
    (
        "개봉 메이커스페이스 조성",
        "Gaebong makerspace construction",
        2_888_200,
        "개봉 메이커스페이스 조성",
        "Gaebong makerspace construction",
    ),
]

# Multi-year plan, million won: item -> (total, total national, before, before national, 2020, 2020 national, 2021, 2022 on)
PLAN = [
    (None, 66_230, 7_000, 7_311, 4_500, 5_264, 2_500, 7_224, 46_431, ""),
    ("사무관리비", 1_780, 0, 18, 0, 50, 0, 1_712, 0, ""),
    ("공공운영비", 675, 0, 0, 0, 225, 0, 450, 0, ""),
    ("연구용역비", 68, 0, 68, 0, 0, 0, 0, 0, ""),
    (
        "자치단체경상보조금",
        47_476,
        0,
        215,
        0,
        530,
        0,
        300,
        0,
        "원자료(OCR)가 계 47,476을 인쇄: 연도별 합 1,045와 불일치 / the source prints a total of 47,476; its years add up to 1,045",
    ),
    ("자치단체자본보조", 59_531, 7_000, 6_994, 4_500, 4_232, 2_500, 1_874, 46_431, ""),
    ("시설비", 822, 0, 16, 0, 227, 0, 579, 0, ""),
    ("감리비", 10, 0, 0, 0, 0, 0, 10, 0, ""),
    ("자산및물품취득비", 2_299, 0, 0, 0, 0, 0, 2_299, 0, ""),
]

# Settlement, thousand won; None where the book prints nothing. 2019's row is cut off in the source.
SETTLEMENT = [
    dict(
        year=2018,
        final_won=520_000,
        final_national_won=None,
        carried_in_won=0,
        change_won=None,
        available_won=520_000,
        executed_won=520_000,
        carried_out_won=None,
        unexecuted_won=0,
        complete=True,
        source_note="",
    ),
    dict(
        year=2019,
        final_won=7_155_400,
        final_national_won=2_500_000,
        carried_in_won=None,
        change_won=None,
        available_won=None,
        executed_won=None,
        carried_out_won=227_444,
        unexecuted_won=137_117,
        complete=False,
        source_note="원자료가 잘려 전년이월·예산현액·집행액이 없음 / the source page is cut off: carried in, available and executed are missing",
    ),
]

# Example execution records for 2021 (the book has none): (item, basis of the line, month, day, thousand won, payee, description)
EXAMPLE_RECORDS = [
    ("사무관리비", "시설관리 운영", 3, 31, 420_000, "금천·창신 관리운영 용역 (예시)", "1분기 관리운영 용역비 (예시)"),
    ("사무관리비", "시설관리 운영", 6, 30, 420_000, "금천·창신 관리운영 용역 (예시)", "2분기 관리운영 용역비 (예시)"),
    ("사무관리비", "시설관리 운영", 9, 30, 420_000, "금천·창신 관리운영 용역 (예시)", "3분기 관리운영 용역비 (예시)"),
    ("공공운영비", "공공요금 등", 4, 10, 110_000, "한국전력공사 (예시)", "1분기 전기·수도 요금 (예시)"),
    ("공공운영비", "공공요금 등", 7, 10, 115_000, "한국전력공사 (예시)", "2분기 전기·수도 요금 (예시)"),
    (
        "자산및물품취득비",
        "개봉 메이커스페이스 물품구매",
        5,
        20,
        1_150_000,
        "장비 공급업체 (예시)",
        "레이저 커터·3D 프린터 구매 (예시)",
    ),
    (
        "자산및물품취득비",
        "개봉 메이커스페이스 물품구매",
        8,
        25,
        640_000,
        "가구 공급업체 (예시)",
        "작업대·공구 구매 (예시)",
    ),
    ("시설비", "개봉 메이커스페이스 조성", 6, 15, 400_000, "시공사 (예시)", "인테리어 공사 기성금 (예시)"),
]
EXAMPLE_PLANNED_SHARE = [4, 10, 18, 26, 35, 45, 55, 64, 73, 82, 91, 100]  # cumulative %, example


@transaction.atomic
def load(*, now=None) -> Counter:
    """`now` is accepted for a uniform call from load_seed_data; these seeds do not depend on the date."""
    tally: Counter = Counter()
    project = upsert(
        Project,
        {"code": "smart-anchor-operation"},
        {
            "name_ko": "스마트앵커 운영",
            "name_en": "Smart Anchor operation",
            "account_ko": "일반회계",
            "account_en": "General account",
            "recurrence_ko": "연례반복",
            "recurrence_en": "Recurring",
            "owner_department_ko": "경제정책실 거점성장추진단",
            "owner_department_en": "Economic Policy Office, Hub Growth Promotion Group",
            "legal_basis_ko": "도시형 소공인 지원에 관한 특별법 제20조\n서울시 도시형 소공인 지원에 관한 조례 제12조\n"
            "스마트앵커 건립 및 운영계획(행정1부시장 방침 제112호, 2018.5.16)",
            "legal_basis_en": "Special Act on Support for Urban Small Manufacturers, art. 20\nSeoul ordinance on urban small manufacturers, art. 12\n"
            "Smart Anchor construction and operation plan (Vice-Mayor directive no. 112, 2018-05-16)",
            "purpose_ko": "도심제조업 집적지에 ICT 기반의 공정자동화와 '기획/디자인-제조-유통·마케팅'을 연계하는 스마트앵커를 조성 및 운영",
            "purpose_en": "Build and run smart anchors in the inner-city manufacturing clusters, bringing ICT-based process automation "
            "and linking planning/design, manufacturing and distribution/marketing.",
            "total_cost_won": 66_230_000 * K,
            "total_national_won": 7_000_000 * K,
            "total_city_won": 59_230_000 * K,
            "contacts_ko": "과장 노수임 2133-8761 · 팀장 백광인 2133-8770 · 주무관 정상진 2133-8773",
        },
        tally,
    )
    items = {}
    for code, ko, en, order in ITEMS:
        items[ko] = upsert(ExpenseItem, {"code": code}, {"name_ko": ko, "name_en": en, "sort_order": order}, tally)
    anchors = {a.slug: a for a in Anchor.objects.all()}
    lines = {}
    for order, (year, item, amount, national, basis_ko, basis_en, anchor) in enumerate(LINES):
        line = upsert(
            BudgetLine,
            {"project": project, "year": year, "item": items[item], "basis_ko": basis_ko},
            {
                "amount_won": amount * K,
                "national_won": national * K,
                "city_won": (amount - national) * K,
                "basis_en": basis_en,
                "anchor": anchors.get(anchor) if anchor else None,
                "sort_order": order,
            },
            tally,
        )
        lines[(year, item, basis_ko)] = line
    for order, (ko, en, amount, detail_ko, detail_en) in enumerate(SCHEDULE_2021):
        upsert(
            ScheduleEntry,
            {"project": project, "year": 2021, "activity_ko": ko},
            {
                "activity_en": en,
                "period": "2021.01~2021.12",
                "amount_won": amount * K,
                "detail_ko": detail_ko,
                "detail_en": detail_en,
                "sort_order": order,
            },
            tally,
        )
    for item, total, total_n, before, before_n, y20, y20_n, y21, after, note in PLAN:
        upsert(
            PlanRow,
            {"project": project, "item": items[item] if item else None},
            {
                "total_won": total * M,
                "total_national_won": total_n * M,
                "before_won": before * M,
                "before_national_won": before_n * M,
                "before_label": "~2019",
                "year1": 2020,
                "year1_won": y20 * M,
                "year1_national_won": y20_n * M,
                "year2_won": y21 * M,
                "after_won": after * M,
                "after_national_won": 0,
                "source_note": note,
            },
            tally,
        )
    for row in SETTLEMENT:
        row = dict(row)
        year = row.pop("year")
        values = {k: (v * K if isinstance(v, int) and k.endswith("_won") else v) for k, v in row.items()}
        upsert(SettlementRow, {"project": project, "year": year}, values, tally)
    for item, basis, month, day, amount, payee, description in EXAMPLE_RECORDS:
        line = lines[(2021, item, basis)]
        upsert(
            ExecutionRecord,
            {"line": line, "date": date(2021, month, day), "payee": payee},
            {"amount_won": amount * K, "description": description, "is_example": True},
            tally,
        )
    total_2021 = sum(line.amount_won for (year, _i, _b), line in lines.items() if year == 2021)
    for month, share in enumerate(EXAMPLE_PLANNED_SHARE, start=1):
        upsert(
            PlannedExecution,
            {"project": project, "year": 2021, "month": month},
            {"cumulative_won": total_2021 * share // 100, "is_example": True},
            tally,
        )
    return tally
