"""Every table of the budget book (seed 002) on its page and in its export, cell by cell, as printed.

The expected cells are typed here from the Korean text of ../shared/seeds/002_e287d2f0b332791c.txt, not
computed from the seed module: a figure, with the national share the book prints above it ("(x-)",
"(x2,500,000)", "(x△100)"), a blank where the book leaves the cell blank, and "" for the national share where
the book prints none.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest

from budgets import seed

pytestmark = pytest.mark.django_db

# 예산 총괄 (천원, %): 구분 | 2020예산액 (A) | 2021예산액 (B) | 증감 (B-A) | (B-A)*100/A
SUMMARY_2021 = {
    "계": ["(x2,500,000) 5,036,880", "(x-) 7,224,187", "(x△2,500,000) 2,187,307", "(x△100) 43"],
    "사무관리비": ["(x-) 50,000", "(x-) 1,711,987", "(x-) 1,661,987", "(x-) 3,324"],
    "공공운영비": ["(x-) 225,000", "(x-) 450,000", "(x-) 225,000", "(x-) 100"],
    "자치단체경상보조금": ["(x-) 530,000", "(x-) 300,000", "(x-) △230,000", "(x-) △43"],
    "시설비": ["(x-) 0", "(x-) 579,000", "(x-) 579,000", "(x-) 100"],
    "감리비": ["(x-) 0", "(x-) 10,000", "(x-) 10,000", "(x-) 100"],
    "자치단체자본보조": ["(x2,500,000) 4,231,880", "(x-) 1,874,000", "(x△2,500,000) △2,357,880", "(x△100) △56"],
    "자산및물품취득비": ["(x-) 0", "(x-) 2,299,200", "(x-) 2,299,200", "(x-) 100"],
}
SUMMARY_ORDER = [
    "계",
    "사무관리비",
    "공공운영비",
    "자치단체경상보조금",
    "시설비",
    "감리비",
    "자치단체자본보조",
    "자산및물품취득비",
]

# 산출근거: 과목구분 | 2021년 예산내역 (won) = 천원
BASIS_2021 = [
    ("사무관리비", "시설관리 운영", "1,711,987,000", "1,711,987"),
    ("공공운영비", "공공요금 등", "450,000,000", "450,000"),
    ("자치단체경상보조금", "스마트앵커 자치구 협동화 사업비", "300,000,000", "300,000"),
    ("시설비", "개봉 메이커스페이스 조성", "579,000,000", "579,000"),
    ("감리비", "개봉 메이커스페이스 조성", "10,000,000", "10,000"),
    ("자치단체자본보조", "중구 스마트앵커 조성비(공사비)", "1,071,000,000", "1,071,000"),
    ("", "마포구 스마트앵커 조성비(공사비)", "803,000,000", "803,000"),
    ("자산및물품취득비", "개봉 메이커스페이스 물품구매", "2,299,200,000", "2,299,200"),
]

# 2021년도 추진일정 (천원): 사업추진절차 | 추진기간 | 예산집행금액 | 추진세부내용
SCHEDULE_2021 = [
    ("계", "", "7,224,187", ""),
    (
        "금천, 창신 스마트 솔루션앵커 운영 및 개봉메이커 스페이스 운영",
        "2021.01~2021.12",
        "1,691,987",
        "금천, 창신 스마트 솔루션앵커 시설관리 운영 및 개봉메이커 스페이스 운영",
    ),
    ("스마트앵커 TF운영비", "2021.01~2021.12", "20,000", "스마트앵커 운영방안 전문가 의견수렴"),
    ("개봉 임대산업시설 운영", "2021.01~2021.12", "450,000", "개봉 임대산업시설 관리"),
    ("스마트앵커 협동화 사업", "2021.01~2021.12", "300,000", "스마트앵커 조성 자치구 공모 및 협동화 사업 지원"),
    (
        "스마트앵커 조성 공사",
        "2021.01~2021.12",
        "1,874,000",
        "중구 인쇄, 마포 디자인출판인쇄 스마트앵커 조성 공사 추진",
    ),
    ("개봉 메이커스페이스 조성", "2021.01~2021.12", "2,888,200", "개봉 메이커스페이스 조성"),
]

# 연차별 투자계획 (백만원): 구분 | 계 | 기투자 (~2019) | 2020 | 2021 | 2022 이후. "" is a blank cell.
PLAN_HEADERS = ["구분", "계", "기투자 (~2019)", "2020", "2021", "2022 이후"]
PLAN = [
    ("계", ["(x7,000) 66,230", "(x4,500) 7,311", "(x2,500) 5,264", "(x-) 7,224", "(x-) 46,431"]),
    ("사무관리비", ["(x-) 1,780", "18", "50", "1,712", "0"]),
    ("공공운영비", ["(x-) 675", "", "225", "450", ""]),
    ("연구용역비", ["(x-) 68", "(x-) 68", "(x-)", "(x-) 0", "(x-) 0"]),
    ("자치단체경상보조금", ["(x-) 47,476", "(x-) 215", "(x-) 530", "(x-) 300", "(x-)"]),
    ("자치단체자본보조", ["(x7,000) 59,531", "(x4,500) 6,994", "(x2,500) 4,232", "(x-) 1,874", "(x-) 46,431"]),
    ("시설비", ["(x-) 822", "16", "227", "579", ""]),
    ("감리비", ["(x-) 10", "(x-)", "(x-)", "(x-) 10", "(x-)"]),
    ("자산및물품취득비", ["(x-) 2,299", "", "", "2,299", ""]),
]

# 최근 3년 결산 현황 (천원): 연도 | 최종예산 | 전년이월 | 예산변경 | 예산현액 | 집행액 | 차년이월 | 집행잔액
SETTLEMENT = [
    ("2018", ["(x-) 520,000", "(x-) 0", "(x-)", "(x-) 520,000", "(x-) 520,000", "(x-)", "(x-) 0"]),
    ("2019", ["(x2,500,000) 7,155,400", "", "(x-)", "", "", "(x-) 227,444", "(x-) 137,117"]),
]


class _Tables(HTMLParser):
    """The page's tables: caption and rows of cell texts (a cell's text pieces joined by one space)."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row, self._in_caption = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None and data.strip():
            self._cell.append(data.strip())


def page_tables(client, url: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(client.get(url).content.decode())
    return {" ".join(t["caption"].split()): t["rows"] for t in parser.tables}


def table(tables: dict, title_start: str) -> list[list[str]]:
    return next(rows for caption, rows in tables.items() if caption.startswith(title_start))


def csv_tables(client, url: str) -> dict[str, list[list[str]]]:
    """The CSV export: per table, its header row and data rows (title and unit on the first line)."""
    text = client.get(url).content.decode("utf-8-sig")
    out, current = {}, None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
        elif current is None:
            current = out.setdefault(row[0], [])
        else:
            current.append(row)
    return out


def printed(value: str, national: str) -> str:
    """A CSV pair (figure, national share) as the book prints the cell."""
    figure = ""
    if value not in ("", None):
        n = int(value)
        figure = f"△{-n:,}" if n < 0 else f"{n:,}"
    return " ".join(p for p in (national, figure) if p)


@pytest.fixture
def book(seeded):
    seed.load()


def test_the_2021_summary_page_and_export_print_every_cell_with_its_national_share(client, book):
    rows = table(page_tables(client, "/budgets/2021/"), "2021년 예산 총괄")
    assert rows[0] == ["구분", "2020예산액 (A)", "2021예산액 (B)", "증감 (B-A)", "(B-A)*100/A"]
    assert [r[0] for r in rows[1:]] == SUMMARY_ORDER
    assert {r[0]: r[1:] for r in rows[1:]} == SUMMARY_2021

    exported = csv_tables(client, "/budgets/2021/?export=csv")["2021년 예산 총괄"]
    data = {r[0]: r for r in exported[1:] if r[0] in SUMMARY_2021}
    assert [r[0] for r in exported[1 : len(SUMMARY_ORDER) + 1]] == SUMMARY_ORDER
    for label, cells in SUMMARY_2021.items():
        row = data[label]
        assert [printed(row[i], row[i + 1]) for i in (1, 3, 5, 7)] == cells, label


def test_the_2021_calculation_basis_and_schedule_on_the_page_and_in_the_export(client, book):
    tables = page_tables(client, "/budgets/2021/")
    basis = table(tables, "2021년 산출근거")
    assert [(r[0], r[1], r[2]) for r in basis[1:]] == [(i, f"{b} {won}", k) for i, b, won, k in BASIS_2021]
    # A line shared among anchors by floor area is an example allocation, said in the page's language (it was English).
    shares = [r[3] for r in basis[1:] if r[3]]
    assert any("(예시 배분)" in cell for cell in shares) and not any("example" in cell for cell in shares)
    schedule = table(tables, "2021년 추진일정")
    assert schedule[0] == ["사업추진절차", "추진기간", "예산집행금액", "추진세부내용"]
    assert [tuple(r) for r in schedule[1:]] == SCHEDULE_2021

    exported = csv_tables(client, "/budgets/2021/?export=csv")
    assert [(r[0], r[1], f"{int(r[2]):,}") for r in exported["2021년 산출근거"][1 : len(BASIS_2021) + 1]] == [
        (i, f"{b} {won}", k) for i, b, won, k in BASIS_2021
    ]
    assert [
        (r[0], r[1], f"{int(r[2]):,}", r[3]) for r in exported["2021년 추진일정"][1 : len(SCHEDULE_2021) + 1]
    ] == SCHEDULE_2021


def test_the_multi_year_plan_in_the_books_order_with_its_blanks_and_national_shares(client, book):
    rows = table(page_tables(client, "/budgets/plan/"), "연차별 투자계획")
    assert rows[0] == PLAN_HEADERS
    assert [(r[0], r[1:]) for r in rows[1:]] == PLAN

    exported = csv_tables(client, "/budgets/plan/?export=csv")["연차별 투자계획"]
    assert exported[0][0] == "구분" and "2022 이후" in exported[0]
    got = [(r[0], [printed(r[i], r[i + 1]) for i in (1, 3, 5, 7, 9)]) for r in exported[1 : len(PLAN) + 1]]
    assert got == PLAN


def test_the_settlement_with_the_2019_national_share_and_its_blanks(client, book):
    rows = table(page_tables(client, "/budgets/settlement/"), "최근 3년 결산 현황")
    assert rows[0] == ["연도", "최종예산", "전년이월", "예산변경", "예산현액", "집행액", "차년이월", "집행잔액"]
    assert [(r[0], r[1:]) for r in rows[1:]] == SETTLEMENT

    exported = csv_tables(client, "/budgets/settlement/?export=csv")["최근 3년 결산 현황"]
    got = [(r[0], [printed(r[i], r[i + 1]) for i in range(1, 15, 2)]) for r in exported[1:3]]
    assert got == SETTLEMENT


def test_the_project_page_gives_the_outline_cost_contacts_texts_and_history_as_printed(client, book):
    tables = page_tables(client, "/budgets/project/")
    cost = table(tables, "사업비")
    assert cost[1:] == [
        ["총사업비", "66,230,000", "7,000,000", "59,230,000", "", ""],
        ["2021년 사업비", "7,224,187", "", "7,224,187", "", ""],
    ]
    contacts = table(tables, "사업 담당자")
    assert contacts[1:] == [
        ["과장", "노수임", "2133-8761"],
        ["팀장", "백광인", "2133-8770"],
        ["주무관", "정상진", "2133-8773"],
    ]
    outline = {r[0]: r[1] for r in table(tables, "사업개요")[1:]}
    assert outline["회계"] == "일반회계" and outline["사업기간"] == "연례반복"
    assert outline["사업위치"] == "도심제조업 집적지 6개소(중랑구 상봉동, 동, 마포구 성산동, 중구 신당동, 구로구 개 -"
    assert "도시형 소공인 지원에 관한 특별법 제20조" in outline["사업근거"]
    assert outline["사업목적"].startswith("○ 도심제조업 집적지에 ICT 기반의 공정자동화와")
    described = {r[0]: r[1] for r in table(tables, "사업설명")[1:]}
    assert described["사업기간"] == "'21.1.~'21.12"
    assert described["지원대상"] == "도심제조업 집적지내 소상공인 및 창업기업 등"
    assert described["사업수행주체"] == "서울시 및 자치구" and described["추진방법"] == "자치구 공모"
    assert "개봉 메이커스페이스 운영 및 관리" in described["사업의 주요내용"]
    assert "1차년도 중랑 봉제 착공(12월)" in described["2020년도"]
    assert "고용창출, 안정적 일자리 제공, 젊은 신규인력 유입효과" in described["향후 기대효과"]
    sites = {r[0]: r for r in table(tables, "사업계획")[1:]}
    assert sites["중구 인쇄 스마트앵커"][4] == "31,200" and sites["개봉 메이커스페이스"][4] == "3,700"

    exported = csv_tables(client, "/budgets/project/?export=csv")
    assert exported["사업비"][1] == ["총사업비", "66230000", "7000000", "59230000", "", ""]
    assert exported["사업비"][2] == ["2021년 사업비", "7224187", "", "7224187", "", ""]
    assert any("6개소(중랑구 상봉동" in r[1] for r in exported["사업개요"][1:])
    assert {r[0] for r in exported["사업설명"][1:]} >= {"지원대상", "사업수행주체", "추진방법", "향후 기대효과"}


def test_the_2020_page_leaves_2019_blank_with_a_note_and_flags_the_plans_2020_facilities(client, book):
    rows = table(page_tables(client, "/budgets/2020/"), "2020년 예산 총괄")
    total = rows[1]
    assert total == ["계", "", "(x2,500,000) 5,036,880", "", ""]
    assert all(r[1] == "" and r[3] == "" and r[4] == "" for r in rows[1:])
    html = client.get("/budgets/2020/").content.decode()
    assert "7,155,400" in html and "2,500,000" in html  # the settlement's 2019 final budget, cited
    assert re.search(r"2020 · 시설비.*227.*0", html)
    exported = client.get("/budgets/2020/?export=csv").content.decode("utf-8-sig")
    assert "7,155,400" in exported and "2020 · 시설비" in exported


def test_both_inconsistencies_of_the_book_are_flagged_on_the_plan_page_and_in_its_export(client, book):
    html = client.get("/budgets/plan/").content.decode()
    exported = client.get("/budgets/plan/?export=csv").content.decode("utf-8-sig")
    for text in (html, exported):
        assert "자치단체경상보조금" in text and "1,045" in text and "47,476" in text
        assert "2020 · 시설비" in text and "227" in text
        assert "2020 · 계" in text and "5,264" in text and "5,037" in text
    # The 2021 column agrees with the 2021 budget (rounded to million won): nothing flagged for it.
    assert "2021 · " not in exported


def test_the_xlsx_export_holds_the_same_cells_as_the_csv(client, book):
    response = client.get("/budgets/plan/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    by_label = {r[0]: r for r in rows}
    assert by_label["공공운영비"][1:11] == (675, "(x-)", None, None, 225, None, 450, None, None, None)
    assert by_label["계"][1:3] == (66_230, "(x7,000)")
