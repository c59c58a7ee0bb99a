"""The budget book page "스마트앵커 운영" of Seoul's 2021 budget (seed 002), figure by figure.

The book prints thousand won (summary, basis, schedule, settlement) and million won (multi-year plan);
amounts are stored in won. Blank cells stay blank (None), and every national share is kept as printed:
None where the book prints no "(x …)", 0 for "(x-)". The book names the expense items but prints no
codes: the codes are the portal's own. Execution records, the planned curve and the split of the shared
operating line across three sites are example data (the book has none), labelled as such.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction

from anchors.models import Anchor
from anchors.seed import upsert

from . import services
from .models import (
    BudgetLine,
    ExecutionRecord,
    ExpenseItem,
    LineShare,
    PlannedExecution,
    PlanRow,
    Project,
    ProjectContact,
    ProjectText,
    ScheduleEntry,
    SettlementRow,
)

K = 1_000  # thousand won
M = 1_000_000  # million won

# (portal code, name, English, order in the book's summary, capital expenditure). The book prints no codes:
# these are the portal's own, shown as such.
ITEMS = [
    ("201-01", "사무관리비", "Office and operating expenses", 10, False),
    ("201-02", "공공운영비", "Public utilities and operation", 20, False),
    ("207-01", "연구용역비", "Research services", 25, False),
    ("308-01", "자치단체경상보조금", "Current subsidy to districts", 30, False),
    ("401-01", "시설비", "Facility construction", 40, True),
    ("401-02", "감리비", "Construction supervision", 50, True),
    ("403-02", "자치단체자본보조", "Capital subsidy to districts", 60, True),
    ("405-01", "자산및물품취득비", "Assets and goods acquisition", 70, True),
]

# (year, item, amount in thousand won, national in thousand won, basis ko, basis en)
LINES = [
    (2020, "사무관리비", 50_000, 0, "", ""),
    (2020, "공공운영비", 225_000, 0, "", ""),
    (2020, "자치단체경상보조금", 530_000, 0, "", ""),
    (2020, "자치단체자본보조", 4_231_880, 2_500_000, "", ""),
    (2021, "사무관리비", 1_711_987, 0, "시설관리 운영", "Facility management and operation"),
    (2021, "공공운영비", 450_000, 0, "공공요금 등", "Public utility charges etc."),
    (
        2021,
        "자치단체경상보조금",
        300_000,
        0,
        "스마트앵커 자치구 협동화 사업비",
        "Smart-anchor district cooperation projects",
    ),
    (2021, "시설비", 579_000, 0, "개봉 메이커스페이스 조성", "Gaebong makerspace construction"),
    (2021, "감리비", 10_000, 0, "개봉 메이커스페이스 조성", "Gaebong makerspace construction"),
    (
        2021,
        "자치단체자본보조",
        1_071_000,
        0,
        "중구 스마트앵커 조성비(공사비)",
        "Jung-gu smart anchor construction (works)",
    ),
    (
        2021,
        "자치단체자본보조",
        803_000,
        0,
        "마포구 스마트앵커 조성비(공사비)",
        "Mapo-gu smart anchor construction (works)",
    ),
    (2021, "자산및물품취득비", 2_299_200, 0, "개봉 메이커스페이스 물품구매", "Gaebong makerspace goods purchase"),
]

# Lines that fund one anchor wholly, and why: (year, item, basis, anchor, basis of the share ko, en).
WHOLE_SHARES = [
    (
        2021,
        "공공운영비",
        "공공요금 등",
        "gaebong",
        "2021년 추진일정의 같은 금액 활동 '개봉 임대산업시설 운영' 450,000천원 (개봉 임대산업시설 관리)",
        "The 2021 schedule's activity of the same amount, 'Gaebong rental industrial facility operation' 450,000",
    ),
    (
        2021,
        "시설비",
        "개봉 메이커스페이스 조성",
        "gaebong",
        "산출근거: 개봉 메이커스페이스 조성",
        "Calculation basis: Gaebong makerspace construction",
    ),
    (
        2021,
        "감리비",
        "개봉 메이커스페이스 조성",
        "gaebong",
        "산출근거: 개봉 메이커스페이스 조성",
        "Calculation basis: Gaebong makerspace construction",
    ),
    (
        2021,
        "자치단체자본보조",
        "중구 스마트앵커 조성비(공사비)",
        "jung-printing",
        "산출근거 '중구 스마트앵커 조성비' 및 추진일정 '중구 인쇄 … 스마트앵커 조성 공사 추진'",
        "Calculation basis 'Jung-gu smart anchor construction' and the schedule's 'Jung-gu printing … construction'",
    ),
    (
        2021,
        "자치단체자본보조",
        "마포구 스마트앵커 조성비(공사비)",
        "mapo-design",
        "산출근거: 마포구 스마트앵커 조성비(공사비)",
        "Calculation basis: Mapo-gu smart anchor construction (works)",
    ),
    (
        2021,
        "자산및물품취득비",
        "개봉 메이커스페이스 물품구매",
        "gaebong",
        "산출근거: 개봉 메이커스페이스 물품구매",
        "Calculation basis: Gaebong makerspace goods purchase",
    ),
]

# The office-expenses line (1,711,987) holds the schedule's "Geumcheon & Changsin solution anchors and Gaebong
# makerspace operation" (1,691,987) and the task force (20,000, city-wide). The book does not say how the
# 1,691,987 divides among the three sites: the seed splits it by their floor areas as printed in the book
# (1,247 / 275 / 1,294 m²), an example allocation until the city enters the real one.
SHARED_OPERATION = (2021, "사무관리비", "시설관리 운영", 1_691_987, ("geumcheon", "changsin", "gaebong"))

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

# Multi-year plan in million won, as printed: per row (item, [(figure, national) for the columns 계, 기투자
# (~2019), 2020, 2021, 2022 이후]). None is a blank cell; a national of None is printed nowhere, 0 is "(x-)".
PLAN = [
    (None, [(66_230, 7_000), (7_311, 4_500), (5_264, 2_500), (7_224, 0), (46_431, 0)], ""),
    ("사무관리비", [(1_780, 0), (18, None), (50, None), (1_712, None), (0, None)], ""),
    ("공공운영비", [(675, 0), (None, None), (225, None), (450, None), (None, None)], ""),
    ("연구용역비", [(68, 0), (68, 0), (None, 0), (0, 0), (0, 0)], ""),
    (
        "자치단체경상보조금",
        [(47_476, 0), (215, 0), (530, 0), (300, 0), (None, 0)],
        "원자료(OCR)가 계 47,476을 인쇄: 연도별 합 1,045와 불일치 / the source prints a total of 47,476; its years add up to 1,045",
    ),
    ("자치단체자본보조", [(59_531, 7_000), (6_994, 4_500), (4_232, 2_500), (1_874, 0), (46_431, 0)], ""),
    ("시설비", [(822, 0), (16, None), (227, None), (579, None), (None, None)], ""),
    ("감리비", [(10, 0), (None, 0), (None, 0), (10, 0), (None, 0)], ""),
    ("자산및물품취득비", [(2_299, 0), (None, None), (None, None), (2_299, None), (None, None)], ""),
]

# Settlement in thousand won, as printed: figure -> (value, national); None is a blank cell / no "(x …)".
SETTLEMENT = [
    dict(
        year=2018,
        figures={
            "final_won": (520_000, 0),
            "carried_in_won": (0, 0),
            "change_won": (None, 0),
            "available_won": (520_000, 0),
            "executed_won": (520_000, 0),
            "carried_out_won": (None, 0),
            "unexecuted_won": (0, 0),
        },
        complete=True,
        source_note="",
    ),
    dict(
        year=2019,
        figures={
            "final_won": (7_155_400, 2_500_000),
            "carried_in_won": (None, None),
            "change_won": (None, 0),
            "available_won": (None, None),
            "executed_won": (None, None),
            "carried_out_won": (227_444, 0),
            "unexecuted_won": (137_117, 0),
        },
        complete=False,
        source_note="원자료에 전년이월·예산현액·집행액이 인쇄되어 있지 않음 / the source prints no carried-in, "
        "available or executed figure for 2019",
    ),
]

CONTACTS = [
    ("과장", "Division head", "노수임", "2133-8761"),
    ("팀장", "Team leader", "백광인", "2133-8770"),
    ("주무관", "Officer in charge", "정상진", "2133-8773"),
]

# (section, label ko, label en, body ko, body en, source note ko, source note en), in the book's order.
TEXTS = [
    (
        "overview",
        "사업내용",
        "Project content",
        "○ 열악한 작업환경과 폐쇄적 생산체계에 따위한 ICT 기반 공정자동화와 '기획-제조-스마트앵커 조성\n"
        "○ 도심제조업 집적지내 도심제조 산업 문제일감 창출 확대로 도심제조업 및 지역경\n"
        "-유통'을 연계하는 해결을 위한 앵커 운영으로",
        "○ [Build] smart anchors [linking] 'planning – manufacturing – distribution' with ICT-based process "
        "automation, [to overcome] poor working conditions and a closed production system\n"
        "○ Run anchors [that solve] the problems of inner-city manufacturing in its clusters, widening work "
        "and [strengthening] inner-city manufacturing and the local economy",
        "원문 스캔에서 두 단의 글이 섞여 있어 인쇄된 순서대로 옮김",
        "The scan interleaves two columns of text; the Korean is given as printed, the English reads it in order",
    ),
    (
        "location",
        "사업위치",
        "Project location",
        "도심제조업 집적지 6개소(중랑구 상봉동, 동, 마포구 성산동, 중구 신당동, 구로구 개 -",
        "Six inner-city manufacturing clusters (Sangbong-dong, Jungnang-gu; …-dong; Seongsan-dong, Mapo-gu; "
        "Sindang-dong, Jung-gu; Gae[bong-dong], Guro-gu …",
        "원문에서 줄이 잘려 있음 (6개소 중 일부만 인쇄됨)",
        "The line is cut off in the source: only part of the six sites is printed",
    ),
    (
        "purpose",
        "",
        "",
        "○ 도심제조업 집적지에 ICT 기반의 공정자동화와 '기획/디자인-제조-유통·마케팅'을 연계하는 스마트앵커를 조성 및 운영",
        "○ Build and run smart anchors in the inner-city manufacturing clusters, bringing ICT-based process "
        "automation and linking planning/design, manufacturing and distribution/marketing",
        "",
        "",
    ),
    ("description", "사업기간", "Period", "'21.1.~'21.12", "January to December 2021", "", ""),
    (
        "description",
        "지원대상",
        "Support targets",
        "도심제조업 집적지내 소상공인 및 창업기업 등",
        "Small businesses and start-ups in the inner-city manufacturing clusters",
        "",
        "",
    ),
    ("description", "사업수행주체", "Executing bodies", "서울시 및 자치구", "Seoul and the districts", "", ""),
    ("description", "추진방법", "Method", "자치구 공모", "Open call to the districts", "", ""),
    (
        "description",
        "사업의 주요내용",
        "Main contents",
        "- 도심제조업 집적지 내 스마트앵커 조성 및 운영\n"
        "  · 협동화 사업 추진\n"
        "  · 기획/디자인-제조-유통, 마케팅 연계 신비즈니스 플랫폼 구축\n"
        "- 스마트 솔루션 앵커(금천, 창신) 운영 및 관리\n"
        "- 개봉 메이커스페이스 운영 및 관리",
        "- Build and run smart anchors in the inner-city manufacturing clusters\n"
        "  · Cooperation projects\n"
        "  · A new business platform linking planning/design, manufacturing, distribution and marketing\n"
        "- Run and manage the smart solution anchors (Geumcheon, Changsin)\n"
        "- Run and manage the Gaebong makerspace",
        "",
        "",
    ),
    (
        "achievements",
        "2018년도",
        "2018",
        "○ 2차년도 사업 대상지 선정(1개소) - 구로구(기계금속)",
        "○ Second-round site selected (1): Guro-gu (machinery and metal)",
        "",
        "",
    ),
    (
        "achievements",
        "2019년도",
        "2019",
        "○ 3차년도 사업 대상지 선정(3개소) - 마포구(디자인출판인쇄), 도봉구(양말), 중구(봉제)",
        "○ Third-round sites selected (3): Mapo-gu (design, publishing and printing), Dobong-gu (socks), "
        "Jung-gu (sewing)",
        "",
        "",
    ),
    (
        "achievements",
        "2020년도",
        "2020",
        "○ 3차년도 마포 디자인출판인쇄 국비 확보(25억원)\n○ 1차년도 중랑 봉제 착공(12월)\n"
        "○ 스마트솔루션앵커 조성(금천, 창신)\n○ 개봉 임대산업시설 기부채납(8월)",
        "○ National funds secured for the third-round Mapo design, publishing and printing anchor (2.5 billion won)\n"
        "○ Construction of the first-round Jungnang sewing anchor started (December)\n"
        "○ Smart solution anchors built (Geumcheon, Changsin)\n"
        "○ Gaebong rental industrial building donated (August)",
        "",
        "",
    ),
    (
        "effects",
        "",
        "",
        "- 도시제조 산업의 문제 해결을 통한 일감 창출\n"
        "- ICT 기반의 자동화되고 현대화된 생산시설 입주 지원으로 도심제조업 생산성 증대\n"
        "- 고용창출, 안정적 일자리 제공, 젊은 신규인력 유입효과",
        "- Work created by solving the problems of urban manufacturing\n"
        "- Higher productivity of inner-city manufacturing through tenancy in automated, modern ICT-based "
        "production facilities\n"
        "- Jobs created, stable employment, young newcomers drawn in",
        "",
        "",
    ),
]

# Example execution records for 2021 (the book has none):
# (item, basis of the line, anchor or None, month, day, thousand won, payee, description)
EXAMPLE_RECORDS = [
    (
        "사무관리비",
        "시설관리 운영",
        "geumcheon",
        3,
        31,
        180_000,
        "금천 관리운영 용역 (예시)",
        "1분기 관리운영 용역비 (예시)",
    ),
    (
        "사무관리비",
        "시설관리 운영",
        "changsin",
        3,
        31,
        40_000,
        "창신 관리운영 용역 (예시)",
        "1분기 관리운영 용역비 (예시)",
    ),
    (
        "사무관리비",
        "시설관리 운영",
        "gaebong",
        3,
        31,
        180_000,
        "개봉 시설관리 용역 (예시)",
        "1분기 시설관리 용역비 (예시)",
    ),
    (
        "사무관리비",
        "시설관리 운영",
        "geumcheon",
        6,
        30,
        180_000,
        "금천 관리운영 용역 (예시)",
        "2분기 관리운영 용역비 (예시)",
    ),
    (
        "사무관리비",
        "시설관리 운영",
        "changsin",
        6,
        30,
        40_000,
        "창신 관리운영 용역 (예시)",
        "2분기 관리운영 용역비 (예시)",
    ),
    ("사무관리비", "시설관리 운영", None, 6, 30, 5_000, "스마트앵커 TF 자문위원 (예시)", "TF 자문 수당 (예시)"),
    ("공공운영비", "공공요금 등", "gaebong", 4, 10, 110_000, "한국전력공사 (예시)", "1분기 전기·수도 요금 (예시)"),
    ("공공운영비", "공공요금 등", "gaebong", 7, 10, 115_000, "한국전력공사 (예시)", "2분기 전기·수도 요금 (예시)"),
    (
        "자산및물품취득비",
        "개봉 메이커스페이스 물품구매",
        "gaebong",
        5,
        20,
        1_150_000,
        "장비 공급업체 (예시)",
        "레이저 커터·3D 프린터 구매 (예시)",
    ),
    (
        "자산및물품취득비",
        "개봉 메이커스페이스 물품구매",
        "gaebong",
        8,
        25,
        640_000,
        "가구 공급업체 (예시)",
        "작업대·공구 구매 (예시)",
    ),
    ("시설비", "개봉 메이커스페이스 조성", "gaebong", 6, 15, 400_000, "시공사 (예시)", "인테리어 공사 기성금 (예시)"),
]
EXAMPLE_PLANNED_SHARE = [4, 10, 18, 26, 35, 45, 55, 64, 73, 82, 91, 100]  # cumulative %, example


def split_by_area(amount: int, anchors: list[Anchor]) -> list[tuple[Anchor, int]]:
    """`amount` (thousand won) split in proportion to the anchors' floor areas, in whole thousand won that add
    up to the amount exactly (largest remainders get the leftover units)."""
    areas = [int(a.floor_area_m2) for a in anchors]
    total = sum(areas)
    exact = [amount * area for area in areas]
    parts = [e // total for e in exact]
    leftover = amount - sum(parts)
    for i in sorted(range(len(anchors)), key=lambda i: exact[i] % total, reverse=True)[:leftover]:
        parts[i] += 1
    return list(zip(anchors, parts, strict=True))


def _share(line: BudgetLine, anchor: Anchor, amount_won: int, basis_ko: str, basis_en: str, example: bool, tally):
    """Set a share through the service that every writer uses; untouched when it already holds these values."""
    existing = LineShare.objects.filter(line=line, anchor=anchor).first()
    if existing is not None and example and not existing.is_example:
        return existing  # the city has confirmed the split: it is its own now
    values = (amount_won, basis_ko, basis_en, example)
    if existing and (existing.amount_won, existing.basis_ko, existing.basis_en, existing.is_example) == values:
        return existing
    share = services.line_share_save(
        line=line,
        anchor=anchor,
        amount_won=amount_won,
        basis_ko=basis_ko,
        basis_en=basis_en,
        is_example=example,
        share=existing,
    )
    tally[f"LineShare {'updated' if existing else 'created'}"] += 1
    return share


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
            "department_note_ko": "※실국 및 부서명은 예산서 기준으로 작성되어 현재부서와 다를 수 있습니다.",
            "department_note_en": "※ Office and department names are those of the budget book and may differ from "
            "today's.",
            "legal_basis_ko": "도시형 소공인 지원에 관한 특별법 제20조\n서울시 도시형 소공인 지원에 관한 조례 제12조\n"
            "스마트앵커 건립 및 운영계획(행정1부시장 방침 제112호, 2018.5.16)",
            "legal_basis_en": "Special Act on Support for Urban Small Manufacturers, art. 20\n"
            "Seoul ordinance on urban small manufacturers, art. 12\n"
            "Smart Anchor construction and operation plan (Vice-Mayor directive no. 112, 2018-05-16)",
            "purpose_ko": "도심제조업 집적지에 ICT 기반의 공정자동화와 '기획/디자인-제조-유통·마케팅'을 연계하는 스마트앵커를 조성 및 운영",
            "purpose_en": "Build and run smart anchors in the inner-city manufacturing clusters, bringing ICT-based process "
            "automation and linking planning/design, manufacturing and distribution/marketing.",
            "total_cost_won": 66_230_000 * K,
            "total_national_won": 7_000_000 * K,
            "total_city_won": 59_230_000 * K,
            "total_district_won": None,
            "total_other_won": None,
            "year_cost_year": 2021,
            "year_cost_won": 7_224_187 * K,
            "year_national_won": None,
            "year_city_won": 7_224_187 * K,
            "year_district_won": None,
            "year_other_won": None,
        },
        tally,
    )
    for order, (role_ko, role_en, name, phone) in enumerate(CONTACTS):
        upsert(
            ProjectContact,
            {"project": project, "role_ko": role_ko},
            {"role_en": role_en, "name": name, "phone": phone, "sort_order": order},
            tally,
        )
    for order, (section, label_ko, label_en, body_ko, body_en, note_ko, note_en) in enumerate(TEXTS):
        upsert(
            ProjectText,
            {"project": project, "section": section, "label_ko": label_ko},
            {
                "label_en": label_en,
                "body_ko": body_ko,
                "body_en": body_en,
                "source_note_ko": note_ko,
                "source_note_en": note_en,
                "sort_order": order,
            },
            tally,
        )
    items = {}
    for code, ko, en, order, capital in ITEMS:
        items[ko] = upsert(
            ExpenseItem,
            {"code": code},
            {"name_ko": ko, "name_en": en, "sort_order": order, "is_capital": capital},
            tally,
        )
    anchors = {a.slug: a for a in Anchor.objects.all()}
    lines = {}
    for order, (year, item, amount, national, basis_ko, basis_en) in enumerate(LINES):
        line = BudgetLine.objects.filter(project=project, year=year, item=items[item], basis_ko=basis_ko).first()
        values = {
            "amount_won": amount * K,
            "national_won": national * K,
            "city_won": (amount - national) * K,
            "basis_en": basis_en,
            "sort_order": order,
        }
        if line is None or any(getattr(line, f) != v for f, v in values.items()):
            tally[f"BudgetLine {'updated' if line else 'created'}"] += 1
            line = line or BudgetLine(project=project, year=year, item=items[item], basis_ko=basis_ko)
            for f, v in values.items():
                setattr(line, f, v)
            services.budget_line_save(line=line)
        lines[(year, item, basis_ko)] = line
    for year, item, basis, slug, basis_ko, basis_en in WHOLE_SHARES:
        line = lines[(year, item, basis)]
        _share(line, anchors[slug], line.amount_won, basis_ko, basis_en, False, tally)
    year, item, basis, amount, slugs = SHARED_OPERATION
    site_areas = " · ".join(f"{anchors[s].name_ko} {int(anchors[s].floor_area_m2):,}㎡" for s in slugs)
    site_areas_en = " · ".join(f"{anchors[s].name_en} {int(anchors[s].floor_area_m2):,} m²" for s in slugs)
    for anchor, part in split_by_area(amount, [anchors[s] for s in slugs]):
        _share(
            lines[(year, item, basis)],
            anchor,
            part * K,
            f"예시 배분: 추진일정 '금천, 창신 스마트 솔루션앵커 운영 및 개봉메이커 스페이스 운영' {amount:,}천원을 "
            f"예산서의 면적 비율({site_areas})로 나눔. 나머지 20,000천원은 스마트앵커 TF운영비(시 전체)",
            f"Example allocation: the schedule's operation of the three sites, {amount:,} thousand won, split by the "
            f"floor areas the book prints ({site_areas_en}); the other 20,000 is the city-wide task force",
            True,
            tally,
        )
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
    for order, (item, cells, note) in enumerate(PLAN):
        values = {"sort_order": order, "before_label": "~2019", "year1": 2020, "source_note": note}
        for figure, (value, national) in zip(PlanRow.FIGURES, cells, strict=True):
            values[figure] = None if value is None else value * M
            values[figure.removesuffix("_won") + "_national_won"] = None if national is None else national * M
        upsert(PlanRow, {"project": project, "item": items[item] if item else None}, values, tally)
    for row in SETTLEMENT:
        values = {"complete": row["complete"], "source_note": row["source_note"]}
        for figure, (value, national) in row["figures"].items():
            values[figure] = None if value is None else value * K
            values[SettlementRow.national_of(figure)] = None if national is None else national * K
        upsert(SettlementRow, {"project": project, "year": row["year"]}, values, tally)
    for item, basis, slug, month, day, amount, payee, description in EXAMPLE_RECORDS:
        line = lines[(2021, item, basis)]
        anchor = anchors[slug] if slug else None
        record = ExecutionRecord.objects.filter(line=line, date=date(2021, month, day), payee=payee).first()
        if record is None or (record.amount_won, record.anchor_id, record.description) != (
            amount * K,
            anchor.pk if anchor else None,
            description,
        ):
            tally[f"ExecutionRecord {'updated' if record else 'created'}"] += 1
            services.execution_record_save(
                line=line,
                anchor=anchor,
                record=record,
                date=date(2021, month, day),
                payee=payee,
                amount_won=amount * K,
                description=description,
                is_example=True,
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
