"""The columns of the open-data files, declared once: the CSV's headers, the JSON's keys, the data dictionary on the
page and in metadata.json all come from here. Each column is named in Korean and English (both are in every file,
whatever the page's language)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from facilities.models import DiscountCategory


@dataclass(frozen=True)
class Column:
    key: str
    name_ko: str
    name_en: str
    type: str  # "string", "integer" or "number", as public data portals list them
    unit_ko: str = ""
    unit_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    suppressible: bool = False  # counted from people's bookings: blank when 1 to threshold−1 (see SUPPRESSION)

    @property
    def header(self) -> str:
        """The CSV header: the Korean name with the key (the JSON's) in brackets, e.g. "예약 건수(bookings)"."""
        return f"{self.name_ko}({self.key})"


def _label(choice: object, language: str) -> str:
    with translation.override(language):
        return str(choice)


STANDARD = "standard"


def category_key(category: str) -> str:
    return f"fee_{category or STANDARD}_won"


def _category_columns() -> list[Column]:
    categories = [(STANDARD, "일반 요금", "standard price")] + [
        (value, _label(label, "ko"), _label(label, "en")) for value, label in DiscountCategory.choices
    ]
    return [
        Column(
            category_key(value if value != STANDARD else ""),
            f"사용료 수입: {ko}",
            f"fee revenue: {en}",
            "integer",
            "원",
            "won",
            f"{ko} 이용자가 낸 사용료(할인 후). 앵커시설 행에만 있습니다.",
            f"Fees paid by {en} users (after the discount). Anchor rows only.",
            suppressible=True,
        )
        for value, ko, en in categories
    ]


def columns() -> list[Column]:
    return [
        Column(
            "month",
            "기준월",
            "month",
            "string",
            "",
            "",
            "YYYY-MM. 예약은 시작한 달에 셉니다.",
            "YYYY-MM. A booking counts in the month it starts.",
        ),
        Column(
            "anchor",
            "앵커시설 코드",
            "anchor code",
            "string",
            "",
            "",
            "포털 주소에 쓰는 코드.",
            "The code in the portal's addresses.",
        ),
        Column("anchor_name_ko", "앵커시설명", "anchor name (Korean)", "string"),
        Column("anchor_name_en", "앵커시설명(영문)", "anchor name (English)", "string"),
        Column("district", "자치구", "district", "string"),
        Column(
            "level",
            "구분",
            "level",
            "string",
            "",
            "",
            "anchor: 앵커시설 전체, space_kind: 공간 종류, equipment_kind: 장비 종류.",
            "anchor: the whole anchor; space_kind: a kind of room; equipment_kind: a kind of machine.",
        ),
        Column(
            "kind", "종류 코드", "kind code", "string", "", "", "앵커시설 행은 비어 있습니다.", "Blank on anchor rows."
        ),
        Column("kind_name_ko", "종류명", "kind name (Korean)", "string"),
        Column("kind_name_en", "종류명(영문)", "kind name (English)", "string"),
        Column(
            "resources",
            "대상 수",
            "resources",
            "integer",
            "개",
            "count",
            "온라인 예약을 받는 공간·장비 수(폐기 장비 제외).",
            "Spaces and machines booked online (retired machines excluded).",
        ),
        Column(
            "open_hours",
            "운영 시간",
            "open hours",
            "number",
            "시간",
            "hours",
            "운영 시간 × 대상 수(휴일·임시 휴무 반영).",
            "Opening hours × resources (holidays and dated exceptions applied).",
        ),
        Column(
            "booked_hours",
            "예약 시간",
            "booked hours",
            "number",
            "시간",
            "hours",
            "확정·입실·이용 완료 예약의 길이 합계.",
            "Length of confirmed, checked-in and completed bookings.",
            suppressible=True,
        ),
        Column(
            "utilisation_pct",
            "이용률",
            "utilisation",
            "number",
            "%",
            "%",
            "예약 시간 ÷ 운영 시간.",
            "Booked hours ÷ open hours.",
            suppressible=True,
        ),
        Column(
            "bookings",
            "예약 건수",
            "bookings",
            "integer",
            "건",
            "count",
            "그 달에 시작하는 모든 예약(상태 무관).",
            "Every booking starting in the month, whatever its status.",
            suppressible=True,
        ),
        Column("cancellations", "취소 건수", "cancellations", "integer", "건", "count", suppressible=True),
        Column("no_shows", "노쇼 건수", "no-shows", "integer", "건", "count", suppressible=True),
        Column(
            "programme_sessions",
            "프로그램 회차",
            "programme sessions",
            "integer",
            "회",
            "count",
            "앵커시설 행에만 있습니다.",
            "Anchor rows only.",
        ),
        Column(
            "programme_participants",
            "프로그램 참여자",
            "programme participants",
            "integer",
            "명",
            "people",
            "출석한 등록자 수. 앵커시설 행에만 있습니다.",
            "Registrations that attended. Anchor rows only.",
            suppressible=True,
        ),
        Column(
            "fee_revenue_won",
            "사용료 수입",
            "fee revenue",
            "integer",
            "원",
            "won",
            "확정·입실·이용 완료 예약의 사용료와 취소·노쇼 위약금의 합계.",
            "Fees of confirmed, checked-in and completed bookings plus cancellation and no-show charges kept.",
            suppressible=True,
        ),
        *_category_columns(),
        Column(
            "charges_won",
            "취소·노쇼 위약금",
            "cancellation and no-show charges",
            "integer",
            "원",
            "won",
            "앵커시설 행에만 있습니다.",
            "Anchor rows only.",
            suppressible=True,
        ),
        Column(
            "example_data",
            "예시 자료",
            "example data",
            "string",
            "",
            "",
            "예시 자료에 기댄 수치: hours(운영 시간), fees(요금), programmes(프로그램). 원자료에 없어 앵커시설이 아직 확정하지 않았습니다.",
            "Figures resting on example data: hours (opening hours), fees (prices), programmes. The sources give none; the anchor has not confirmed them.",
        ),
        Column(
            "suppressed",
            "비공개 항목",
            "suppressed",
            "string",
            "",
            "",
            "개인을 알아볼 수 없도록 비운 항목의 키(;로 구분).",
            "Keys of the cells left blank so that no one can be singled out (separated by ;).",
        ),
    ]
