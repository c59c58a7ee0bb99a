"""The open-data files: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Korean) and JSON, for one
month or the whole series, the column dictionary, and the metadata in the shape Korean public data portals publish
(목록명, 제공기관, 업데이트 주기, 이용허락범위, 컬럼 정의 …). Everything is read from the published rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from common.exports import neutralise

from .columns import columns
from .models import OpenDataMonth

BOM = "\ufeff"
TITLE_KO = "서울 앵커시설 월별 이용 현황"
TITLE_EN = "Seoul anchor facilities: monthly utilisation"
PROVIDER_KO = "서울특별시 경제정책실 거점성장추진단"
PROVIDER_EN = "Seoul Metropolitan Government, Economic Policy Office, Regional Growth Promotion Group"
# The sources name no licence for this data: the portal offers the usual one for Seoul's open data, as an example
# the city has not confirmed (said wherever the licence is shown).
LICENCE = {
    "ko": "공공누리 제1유형(출처표시)",
    "en": "Korea Open Government License Type 1 (attribution)",
    "is_example": True,
    "note_ko": "예시: 원자료에 이용허락범위가 없어 서울시가 아직 정하지 않았습니다.",
    "note_en": "Example: the sources give no licence, and the city has not set one yet.",
}


def month_filename(m: OpenDataMonth, extension: str) -> str:
    return f"anchor-utilisation-{m.year}-{m.month:02d}.{extension}"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return neutralise(value)


def csv_text(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    cols = columns()
    writer.writerow([c.header for c in cols])
    for row in rows:
        writer.writerow([_cell(row.get(c.key)) for c in cols])
    return out.getvalue()


def dictionary_csv() -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "컬럼(key)",
            "컬럼명",
            "column name",
            "타입(type)",
            "단위",
            "unit",
            "설명",
            "description",
            "비공개 대상(suppressible)",
        ]
    )
    for c in columns():
        writer.writerow(
            [
                c.key,
                c.name_ko,
                c.name_en,
                c.type,
                c.unit_ko,
                c.unit_en,
                c.description_ko,
                c.description_en,
                "Y" if c.suppressible else "N",
            ]
        )
    return out.getvalue()


def column_dictionary() -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "name_ko": c.name_ko,
            "name_en": c.name_en,
            "type": c.type,
            "unit_ko": c.unit_ko,
            "unit_en": c.unit_en,
            "description_ko": c.description_ko,
            "description_en": c.description_en,
            "suppressible": c.suppressible,
        }
        for c in columns()
    ]


def _next_update(now: datetime) -> date:
    today = timezone.localdate(now)
    return date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)


def metadata(*, months: list[OpenDataMonth], threshold: int, now: datetime, base: str = "") -> dict[str, Any]:
    """What data portals publish about a dataset: title, provider, cycle, licence, coverage, files and columns."""
    ordered = sorted(months, key=lambda m: (m.year, m.month))
    files = [
        {
            "month": m.label,
            "csv": base + reverse("opendata:month_csv", kwargs={"year": m.year, "month": f"{m.month:02d}"}),
            "json": base + reverse("opendata:month_json", kwargs={"year": m.year, "month": f"{m.month:02d}"}),
            "generated_at": timezone.localtime(m.generated_at).isoformat(),
            "rows": len(m.rows),
        }
        for m in ordered
    ]
    return {
        # The field names data.go.kr's file-data pages use, for readers who know them.
        "labels_ko": {
            "title": "목록명",
            "description": "설명",
            "provider": "제공기관",
            "category": "분류체계",
            "keywords": "키워드",
            "update_cycle": "업데이트 주기",
            "next_update": "차기 등록 예정일",
            "licence": "이용허락범위",
            "spatial_coverage": "공간 범위",
            "temporal_coverage": "시간 범위",
            "created": "등록일",
            "modified": "수정일",
            "formats": "확장자",
            "encoding": "인코딩",
            "suppression": "비공개 기준",
            "columns": "컬럼 정의",
        },
        "title": {"ko": TITLE_KO, "en": TITLE_EN},
        "description": {
            "ko": "서울시 앵커시설(도시제조업 공동 작업장)의 달마다 앵커시설별·공간/장비 종류별 운영 시간, 예약 시간, "
            "이용률, 예약·취소·노쇼 건수, 프로그램 회차와 참여자, 이용자 구분별 사용료 수입. 개인정보는 없으며 "
            f"{threshold}건(명) 미만의 수치는 비공개입니다.",
            "en": "Per month, per Seoul anchor facility (shared workshops for urban manufacturers) and per kind of room "
            "or machine: open hours, booked hours, utilisation, bookings, cancellations and no-shows, programme "
            "sessions and participants, and fee revenue by user category. No personal data; counts below "
            f"{threshold} are suppressed.",
        },
        "provider": {"ko": PROVIDER_KO, "en": PROVIDER_EN},
        "category": {"ko": "산업·고용 > 산업·기업", "en": "Industry and employment > industry and business"},
        "keywords": [
            "앵커시설",
            "도시제조업",
            "메이커스페이스",
            "이용률",
            "anchor facility",
            "makerspace",
            "utilisation",
        ],
        "update_cycle": {"ko": "월간(매월 1일)", "en": "monthly (on the 1st)"},
        "next_update": _next_update(now).isoformat(),
        "licence": LICENCE,
        "spatial_coverage": {"ko": "서울특별시", "en": "Seoul"},
        "temporal_coverage": {
            "from": ordered[0].label if ordered else None,
            "to": ordered[-1].label if ordered else None,
        },
        "created": timezone.localtime(min(m.generated_at for m in ordered)).isoformat() if ordered else None,
        "modified": timezone.localtime(max(m.generated_at for m in ordered)).isoformat() if ordered else None,
        "formats": ["CSV", "JSON"],
        "encoding": "UTF-8 (CSV with BOM)",
        "suppression": {
            "threshold": threshold,
            "ko": f"개인을 알아볼 수 없도록, 1~{threshold - 1}명(예약한 사람 수, 예약 건수가 아님)이 관련된 수치와 그로부터 "
            "계산되는 수치는 비우고 `suppressed` 열에 적습니다. 한 종류가 비면 같은 앵커시설·같은 달의 모든 종류에서 그 "
            "항목을 비워 합계에서 빼서 되살릴 수 없게 합니다. 사용료 구분 중 하나가 비면 구분과 위약금을 모두 비웁니다. "
            "0은 공개합니다.",
            "en": f"So that no one can be singled out, a figure that 1 to {threshold - 1} people stand behind (people who "
            "booked, not bookings) and what is computed from it are left blank and named in the `suppressed` column. "
            "A figure blank on one kind is blank on every kind of that anchor and month, so that the total minus the "
            "others gives nothing back; one fee category blank blanks the categories and the charges. Zeros are "
            "published.",
        },
        "series": {
            "csv": base + reverse("opendata:series_csv"),
            "json": base + reverse("opendata:series_json"),
        },
        "months": files,
        "columns": column_dictionary(),
    }


def json_text(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=1)
