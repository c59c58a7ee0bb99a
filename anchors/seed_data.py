"""The real sites, figures and milestones, from ../shared/seeds (see ../shared/domain.md).

SEED_000: Geumcheon-gu's report on the Geumcheon Smart Solution Anchor.
SEED_002: Seoul's 2021 budget book page "스마트앵커 운영" (Smart Anchor operation).
Figures are reproduced exactly; money is integer won (the seeds give million or thousand won).
"""

from __future__ import annotations

from datetime import date

SEED_000 = "seed 000: 금천구 금천 스마트솔루션앵커 보고"
SEED_002 = "seed 002: 서울시 2021 예산서 스마트앵커 운영"

MILLION = 1_000_000
BILLION = 1_000_000_000

DISTRICTS = [
    {"slug": "geumcheon", "name_ko": "금천구", "name_en": "Geumcheon-gu"},
    {"slug": "jongno", "name_ko": "종로구", "name_en": "Jongno-gu"},
    {"slug": "guro", "name_ko": "구로구", "name_en": "Guro-gu"},
    {"slug": "jung", "name_ko": "중구", "name_en": "Jung-gu"},
    {"slug": "jungnang", "name_ko": "중랑구", "name_en": "Jungnang-gu"},
    {"slug": "mapo", "name_ko": "마포구", "name_en": "Mapo-gu"},
    {"slug": "seongdong", "name_ko": "성동구", "name_en": "Seongdong-gu"},
    {"slug": "dobong", "name_ko": "도봉구", "name_en": "Dobong-gu"},
]

ANCHORS = [
    {
        "slug": "geumcheon",
        "district": "geumcheon",
        "sort_order": 10,
        "name_ko": "금천 스마트솔루션앵커",
        "name_en": "Geumcheon Smart Solution Anchor",
        "official_name_ko": "서울패션스마트센터 금천솔루션앵커",
        "official_name_en": "Seoul Fashion Smart Center Geumcheon Solution Anchor",
        "kind": "solution_anchor",
        "status": "operating",
        "industry": "sewing",
        "address_ko": "서울특별시 금천구 시흥대로57길 5 (웨스트밸리 2층)",
        "address_en": "5 Siheung-daero 57-gil, Geumcheon-gu, Seoul (2F, West Valley)",
        "lot_address_ko": "금천구 시흥동 992-20 (2층)",
        "lot_address_en": "Siheung-dong 992-20, Geumcheon-gu (2F)",
        "floor_area_m2": "1247",
        "area_note_ko": "솔루션앵커 900㎡ + 마스크 제조시설 347㎡",
        "area_note_en": "solution anchor 900 m² + mask manufacturing facility 347 m²",
        "floors_note_ko": "웨스트밸리 지상 2층",
        "floors_note_en": "2nd floor of the West Valley building",
        "cost_won": 2_000 * MILLION,
        "lease_deposit_won": 350 * MILLION,
        "cost_note_ko": "임차보증금 350백만원, 임대료는 서울시 직접 지출",
        "cost_note_en": "lease deposit 350 million won; rent paid directly by the city",
        "opened_on": date(2020, 11, 18),
        "dates_note_ko": "원자료의 날짜가 다릅니다. 금천구 보고: 관리 운영 용역업체 선정 2020. 6. 30., 개소식 2020. 11. 18. "
        "서울시 2021 예산서: 관리운영 업체 선정 '20.7., 조성 완료 및 개소 '20.10.",
        "dates_note_en": "The sources give different dates. Geumcheon-gu's report: operator selected 2020-06-30, opening "
        "ceremony 2020-11-18. Seoul's 2021 budget book: operator selected 2020-07, completed and opened 2020-10.",
        "status_basis_ko": "금천구 보고: 2020. 11. 18. 개소식 · 서울시 2021 예산서 추진일정: 금천 스마트 솔루션앵커 운영",
        "status_basis_en": "Geumcheon-gu's report: opening ceremony 2020-11-18 · Seoul's 2021 budget book, schedule: "
        "operation of the Geumcheon solution anchor",
        "description_ko": (
            "봉제산업집적지구인 금천구에 외부재원으로 유치한 스마트 솔루션 앵커입니다. "
            "지역 소공인 참여 프로그램을 통한 지역 활성화, 창업공간을 활용한 일자리 창출, "
            "봉제인-디자이너-원부자재 시장-유통을 잇는 연계·교류 프로그램을 운영합니다. "
            "공간: 창업공간, 공용장비실, 재단실, 샘플실, 마스크제조시설."
        ),
        "description_en": (
            "A Smart Solution Anchor brought to Geumcheon-gu's sewing cluster with outside funding. "
            "It runs regional activation programmes with local small manufacturers, creates jobs through "
            "its start-up spaces, and links sewing workers, designers, the raw-materials market and "
            "distribution. Spaces: start-up spaces, common equipment room, cutting room, sample room, "
            "mask manufacturing facility."
        ),
        "contacts": [
            {
                "organisation_ko": "금천구청 지역경제과",
                "organisation_en": "Geumcheon-gu Office, Local Economy Division",
                "role_ko": "과장",
                "role_en": "Division head",
                "name": "엄창식",
                "phone": "1300",
                "phone_is_extension": True,
                "listed_as": "report_author",
                "sort_order": 10,
            },
            {
                "organisation_ko": "금천구청 지역경제과",
                "organisation_en": "Geumcheon-gu Office, Local Economy Division",
                "role_ko": "팀장",
                "role_en": "Team leader",
                "name": "김재선",
                "phone": "1301",
                "phone_is_extension": True,
                "listed_as": "report_author",
                "sort_order": 20,
            },
            {
                "organisation_ko": "금천구청 지역경제과",
                "organisation_en": "Geumcheon-gu Office, Local Economy Division",
                "role_ko": "담당",
                "role_en": "Officer in charge",
                "name": "최성문",
                "phone": "1302",
                "phone_is_extension": True,
                "listed_as": "report_author",
                "sort_order": 30,
            },
        ],
        "contracts": [
            {
                "year": 2020,
                "contractor_ko": "",
                "contractor_en": "",
                "amount_won": 200 * MILLION,
                "starts_on": None,
                "ends_on": date(2020, 12, 31),
                "period_printed": "2020. 7. ~ 2020. 12. 31",
                "selected_on": date(2020, 6, 30),
                "note_ko": "개소를 위한 시범운영 (관리 운영 용역체 사업비)",
                "note_en": "Trial operation for the opening (management contractor's budget)",
            },
            {
                "year": 2021,
                "contractor_ko": "㈜디쓰리디, 금천패션협회",
                "contractor_en": "D3D Co., Ltd. and Geumcheon Fashion Association",
                "amount_won": None,
                "starts_on": None,
                "ends_on": None,
                "selected_on": date(2021, 1, 7),
                "note_ko": "2021년 관리용역업체 선정",
                "note_en": "2021 management contractors selected",
            },
        ],
        "milestones": [
            {
                "date": date(2019, 6, 1),
                "precision": "month",
                "title_ko": "도시형소공인 집적지구 인프라 구축",
                "title_en": "Urban small manufacturers' cluster infrastructure built",
                "detail_ko": "생산비 절감을 위한 공동인프라 시설 구축 및 운영 (판매장 및 작업장)",
                "detail_en": "Shared facilities to cut production costs built and run (shop and workshop)",
                "source": SEED_000,
            },
            {
                "date": date(2020, 2, 13),
                "title_ko": "「금천봉제솔루션앵커 조성」 관련 회의",
                "title_en": "Planning meeting on the Geumcheon sewing solution anchor",
                "detail_ko": "서소문2청사 19층. 지역 봉제업체 및 관계 전문가, 시·구 관계자 총 12명",
                "detail_en": (
                    "Seosomun 2nd City Hall building, 19F. Local sewing firms, experts, "
                    "city and district officials: 12 people"
                ),
                "attendees": 12,
                "source": SEED_000,
            },
            {
                "date": date(2020, 2, 14),
                "title_ko": "금천봉제패션협의체 구축을 위한 준비회의",
                "title_en": "Preparatory meeting for a Geumcheon sewing & fashion council",
                "detail_ko": (
                    "지역경제과. 서울의류협회장, 소공인특화지원센터장, 도시형소공인 집적지구 운영 본부장, "
                    "아뜰리에440 운영자 대표, SBA 팀장"
                ),
                "detail_en": (
                    "Local Economy Division. Head of the Seoul apparel association, head of the small "
                    "manufacturers' support centre, the cluster's operations director, Atelier 440's "
                    "operator, an SBA team leader"
                ),
                "source": SEED_000,
            },
            {
                "date": date(2020, 3, 1),
                "precision": "month",
                "title_ko": "금천 봉제산업 솔루션앵커 조성관련 실태조사 용역 (서울시)",
                "title_en": "Survey study for the Geumcheon sewing solution anchor (Seoul)",
                "source": SEED_000,
            },
            {
                "date": date(2020, 4, 1),
                "precision": "month",
                "title_ko": "금천 스마트 솔루션앵커 임대계약 체결",
                "title_en": "Lease contract for the Geumcheon Smart Solution Anchor signed",
                "source": SEED_002,
            },
            {
                "date": date(2020, 6, 30),
                "title_ko": "금천 스마트 솔루션앵커 관리 운영 용역업체 선정",
                "title_en": "Management & operation contractor selected",
                "source": SEED_000,
            },
            {
                "date": date(2020, 7, 1),
                "precision": "month",
                "title_ko": "금천 스마트 솔루션앵커 관리운영 업체 선정",
                "title_en": "Management & operation contractor selected",
                "source": SEED_002,
            },
            {
                "date": date(2020, 10, 1),
                "precision": "month",
                "title_ko": "금천 스마트 솔루션앵커 조성 완료 및 개소",
                "title_en": "Fit-out completed and opened",
                "source": SEED_002,
            },
            {
                "date": date(2020, 9, 15),
                "title_ko": "금천 스마트 솔루션앵커 운영회의",
                "title_en": "Operating meeting",
                "detail_ko": "금천패션협회",
                "detail_en": "Geumcheon Fashion Association",
                "source": SEED_000,
            },
            {
                "date": date(2020, 11, 18),
                "title_ko": "서울패션스마트센터 금천솔루션앵커 개소식",
                "title_en": "Opening ceremony of the Seoul Fashion Smart Center Geumcheon Solution Anchor",
                "detail_ko": (
                    "시흥대로57길 5 웨스트밸리 2층. 서울시 경제정책실장, 금천구청장, 시의원, 구의원 등 참석. "
                    "시설 둘러보기(재단실, 공용장비, 마스크제조시설 등)"
                ),
                "detail_en": (
                    "2F West Valley, 5 Siheung-daero 57-gil. Attended by Seoul's Director of Economic Policy, "
                    "the Geumcheon-gu mayor, city and district councillors. Tour of the cutting room, "
                    "shared equipment and mask facility"
                ),
                "source": SEED_000,
            },
            {
                "date": date(2021, 1, 7),
                "title_ko": "2021년 관리용역업체 선정 (㈜디쓰리디, 금천패션협회)",
                "title_en": "2021 operators selected (D3D Co., Ltd. and Geumcheon Fashion Association)",
                "source": SEED_000,
            },
        ],
    },
    {
        "slug": "changsin",
        "district": "jongno",
        "sort_order": 20,
        "name_ko": "창신 스마트솔루션앵커",
        "name_en": "Changsin Smart Solution Anchor",
        "kind": "solution_anchor",
        "status": "operating",
        "status_basis_ko": "서울시 2021 예산서: 창신 스마트솔루션앵커 조성 완료 예정('20.12.), 2021 추진일정에 창신 스마트 솔루션앵커 운영",
        "status_basis_en": "Seoul's 2021 budget book: fit-out due to be completed 2020-12; the 2021 schedule funds the Changsin solution anchor's operation",
        "industry": "sewing",
        "lot_address_ko": "종로구 창신동 643 (지하1층 일부, 지상2·3층)",
        "lot_address_en": "Changsin-dong 643, Jongno-gu (part of B1, 2F–3F)",
        "floor_area_m2": "275",
        "floors_note_ko": "지하1층 일부, 지상 2·3층",
        "floors_note_en": "part of B1, 2F–3F",
        "cost_won": 1_000 * MILLION,
        "description_ko": "창신동 봉제 집적지의 스마트 솔루션 앵커. 공간: 공동패턴실, 공용장비실, 커뮤니티 공간.",
        "description_en": (
            "The Smart Solution Anchor of the Changsin-dong sewing cluster. Spaces: common pattern room, "
            "common equipment room, community space."
        ),
        "milestones": [
            {
                "date": date(2020, 8, 1),
                "precision": "month",
                "title_ko": "창신 스마트 솔루션앵커 임대계약",
                "title_en": "Lease contract signed",
                "source": SEED_002,
            },
            {
                "date": date(2020, 10, 1),
                "precision": "month",
                "title_ko": "창신 스마트솔루션앵커 관리운영 업체 선정",
                "title_en": "Management & operation contractor selected",
                "source": SEED_002,
            },
            {
                "date": date(2020, 12, 1),
                "precision": "month",
                "title_ko": "창신 스마트솔루션앵커 조성 완료 예정",
                "title_en": "Fit-out due to be completed",
                "source": SEED_002,
            },
        ],
    },
    {
        "slug": "gaebong",
        "district": "guro",
        "sort_order": 30,
        "name_ko": "개봉 메이커스페이스",
        "name_en": "Gaebong Makerspace",
        "kind": "makerspace",
        "status": "operating",
        "status_basis_ko": "서울시 2021 예산서: 2021년 조성(시설비·감리비·물품구매) 및 2021 추진일정의 개봉메이커 스페이스 운영. 원자료에 개소일은 없음",
        "status_basis_en": "Seoul's 2021 budget book: built in 2021 (works, supervision, purchases) and the 2021 schedule funds its operation; the sources give no opening date",
        "industry": "maker",
        "lot_address_ko": "구로구 개봉동 353-19",
        "lot_address_en": "Gaebong-dong 353-19, Guro-gu",
        "floor_area_m2": "1294",
        "floors_above": 6,
        "floors_below": 2,
        "floors_note_ko": "지하2층/지상6층 건물 중 2개 층",
        "floors_note_en": "2 floors of a B2/6F building",
        "cost_won": 3_700 * MILLION,
        "cost_note_ko": "조성비 37억원. 기부채납된 임대산업시설에 2021년 조성",
        "cost_note_en": "3.7 billion won; built in 2021 in a donated rental industrial building",
        "description_ko": "개봉동 기업형임대주택사업의 공공기여로 기부채납된 임대산업시설 두 개 층에 조성한 메이커스페이스.",
        "description_en": (
            "A makerspace on two floors of a rental industrial building donated to the city as the public "
            "contribution of the Gaebong corporate rental housing project."
        ),
        "milestones": [
            {
                "date": date(2019, 3, 1),
                "precision": "month",
                "title_ko": "시 자체 발굴 사업 후보지 선정 (구로 개봉동 등 임대산업시설)",
                "title_en": "Chosen by the city as a candidate site (rental industrial building, Gaebong-dong)",
                "source": SEED_002,
            },
            {
                "date": date(2020, 5, 1),
                "precision": "month",
                "title_ko": "개봉 메이커스페이스 조성 및 관리계획 수립",
                "title_en": "Construction and management plan drawn up",
                "source": SEED_002,
            },
            {
                "date": date(2020, 5, 1),
                "precision": "month",
                "title_ko": "개봉 메이커스페이스 사업화 모델 발굴 용역 추진 (5~9월)",
                "title_en": "Business-model study (May to September)",
                "source": SEED_002,
            },
            {
                "date": date(2020, 7, 1),
                "precision": "month",
                "title_ko": "시설관리 용역업체 선정",
                "title_en": "Facility management contractor selected",
                "source": SEED_002,
            },
            {
                "date": date(2020, 8, 1),
                "precision": "month",
                "title_ko": "개봉 기업형임대주택사업에 따른 공공기여 기부채납",
                "title_en": "Building donated as the public contribution of the Gaebong rental housing project",
                "source": SEED_002,
            },
        ],
    },
    {
        "slug": "jung-printing",
        "district": "jung",
        "sort_order": 40,
        "name_ko": "중구 인쇄 스마트앵커",
        "name_en": "Jung-gu Printing Smart Anchor",
        "kind": "smart_anchor",
        "status": "under_construction",
        "status_basis_ko": "서울시 2021 예산서 산출근거: 중구 스마트앵커 조성비(공사비) 1,071,000천원, 추진일정: 중구 인쇄 스마트앵커 조성 공사 추진",
        "status_basis_en": "Seoul's 2021 budget book, calculation basis: Jung-gu smart anchor construction (works) 1,071,000 thousand won; schedule: construction of the Jung-gu printing anchor",
        "industry": "printing",
        "lot_address_ko": "중구 예관동 52-10 외 19필지",
        "lot_address_en": "Yegwan-dong 52-10 and 19 other lots, Jung-gu",
        "site_area_m2": "1200",
        "floors_above": 12,
        "floors_below": 5,
        "cost_won": 31_200 * MILLION,
        "description_ko": "중구 인쇄 집적지의 스마트앵커. 2021년 조성 공사 중.",
        "description_en": "The Smart Anchor of Jung-gu's printing cluster, under construction in 2021.",
        "milestones": [
            {
                "date": date(2017, 12, 1),
                "precision": "month",
                "title_ko": "1차년도 사업 대상지 선정 (중구 인쇄)",
                "title_en": "Selected as a first-round site (printing)",
                "source": SEED_002,
            },
            {
                "date": date(2018, 7, 1),
                "precision": "month",
                "title_ko": "시 투자심사",
                "title_en": "City investment review",
                "source": SEED_002,
            },
            {
                "date": date(2019, 3, 1),
                "precision": "month",
                "title_ko": "국비(행안부 특별교부금) 20억원 확보",
                "title_en": "National grant of 2 billion won secured (Ministry of the Interior special grant)",
                "amount_won": 2 * BILLION,
                "source": SEED_002,
            },
        ],
    },
    {
        "slug": "jungnang-sewing",
        "district": "jungnang",
        "sort_order": 50,
        "name_ko": "중랑구 봉제 스마트앵커",
        "name_en": "Jungnang-gu Sewing Smart Anchor",
        "kind": "smart_anchor",
        "status": "under_construction",
        "status_basis_ko": "서울시 2021 예산서 최근 3년 추진실적: 1차년도 중랑 봉제 착공(2020년 12월)",
        "status_basis_en": "Seoul's 2021 budget book, achievements: construction of the Jungnang sewing anchor started (December 2020)",
        "industry": "sewing",
        "lot_address_ko": "중랑구 상봉동 110-38, 110-39",
        "lot_address_en": "Sangbong-dong 110-38 and 110-39, Jungnang-gu",
        "site_area_m2": "1568",
        "floors_above": 6,
        "floors_below": 4,
        "cost_won": 18_600 * MILLION,
        "description_ko": "중랑구 봉제 집적지의 스마트앵커. 2020년 12월 착공.",
        "description_en": "The Smart Anchor of Jungnang-gu's sewing cluster; construction started in December 2020.",
        "milestones": [
            {
                "date": date(2017, 12, 1),
                "precision": "month",
                "title_ko": "1차년도 사업 대상지 선정 (중랑 봉제)",
                "title_en": "Selected as a first-round site (sewing)",
                "source": SEED_002,
            },
            {
                "date": date(2018, 7, 1),
                "precision": "month",
                "title_ko": "시 투자심사",
                "title_en": "City investment review",
                "source": SEED_002,
            },
            {
                "date": date(2019, 9, 1),
                "precision": "month",
                "title_ko": "국비(중기부 국고보조금) 25억원 확보",
                "title_en": "National subsidy of 2.5 billion won secured (Ministry of SMEs and Startups)",
                "amount_won": 2_500 * MILLION,
                "source": SEED_002,
            },
            {
                "date": date(2020, 12, 1),
                "precision": "month",
                "title_ko": "착공",
                "title_en": "Construction started",
                "source": SEED_002,
            },
        ],
    },
    {
        "slug": "guro-metal",
        "district": "guro",
        "sort_order": 60,
        "name_ko": "구로구 기계금속 스마트앵커",
        "name_en": "Guro-gu Machinery & Metal Smart Anchor",
        "kind": "smart_anchor",
        "status": "planned",
        "status_basis_ko": "서울시 2021 예산서: 사업 대상지 선정('18.10.), 기본계획 수립용역('19.5.); 2021 예산에 공사비 없음",
        "status_basis_en": "Seoul's 2021 budget book: site selected 2018-10, master-plan study 2019-05; no works in the 2021 budget",
        "industry": "machinery_metal",
        "lot_address_ko": "구로구 고척동 100번지 일대",
        "lot_address_en": "Around Gocheok-dong 100, Guro-gu",
        "site_area_m2": "3516",
        "floors_above": 7,
        "floors_below": 2,
        "cost_won": 48_800 * MILLION,
        "description_ko": "구로구 기계금속 집적지의 스마트앵커 (계획).",
        "description_en": "The planned Smart Anchor of Guro-gu's machinery and metal cluster.",
        "milestones": [
            {
                "date": date(2018, 10, 1),
                "precision": "month",
                "title_ko": "2차년도 사업 대상지 선정 (구로 기계금속)",
                "title_en": "Selected as a second-round site (machinery & metal)",
                "source": SEED_002,
            },
            {
                "date": date(2019, 5, 1),
                "precision": "month",
                "title_ko": "구로 스마트앵커 조성 기본계획 수립용역 실시",
                "title_en": "Master-plan study commissioned",
                "source": SEED_002,
            },
        ],
    },
    {
        "slug": "mapo-design",
        "district": "mapo",
        "sort_order": 70,
        "name_ko": "마포구 디자인출판 스마트앵커",
        "name_en": "Mapo-gu Design & Publishing Smart Anchor",
        "kind": "smart_anchor",
        "status": "under_construction",
        "status_basis_ko": "서울시 2021 예산서 산출근거: 마포구 스마트앵커 조성비(공사비) 803,000천원, 추진일정: 마포 디자인출판인쇄 스마트앵커 조성 공사 추진",
        "status_basis_en": "Seoul's 2021 budget book, calculation basis: Mapo-gu smart anchor construction (works) 803,000 thousand won; schedule: construction of the Mapo design/publishing anchor",
        "industry": "design_publishing",
        "lot_address_ko": "마포구 성산동 275-55 외 4필지",
        "lot_address_en": "Seongsan-dong 275-55 and 4 other lots, Mapo-gu",
        "site_area_m2": "1568",
        "floors_above": 5,
        "floors_below": 4,
        "cost_won": 19_000 * MILLION,
        "description_ko": "마포구 디자인·출판인쇄 집적지의 스마트앵커. 2021년 조성 공사 예산 편성.",
        "description_en": "The Smart Anchor of Mapo-gu's design, publishing and printing cluster; its construction works are budgeted for 2021.",
        "milestones": [
            {
                "date": date(2019, 3, 1),
                "precision": "month",
                "title_ko": "3차년도 사업 대상지 선정 (마포 디자인출판)",
                "title_en": "Selected as a third-round site (design & publishing)",
                "source": SEED_002,
            },
            {
                "date": date(2019, 9, 1),
                "precision": "month",
                "title_ko": "시 투자심사",
                "title_en": "City investment review",
                "source": SEED_002,
            },
            {
                "date": date(2020, 6, 1),
                "precision": "month",
                "title_ko": "국비(중기부 국고보조금) 25억원 확보",
                "title_en": "National subsidy of 2.5 billion won secured (Ministry of SMEs and Startups)",
                "amount_won": 2_500 * MILLION,
                "source": SEED_002,
            },
        ],
    },
    {
        "slug": "jung-sewing",
        "district": "jung",
        "sort_order": 80,
        "name_ko": "중구 봉제 스마트앵커",
        "name_en": "Jung-gu Sewing Smart Anchor",
        "kind": "smart_anchor",
        "status": "planned",
        "status_basis_ko": "서울시 2021 예산서: 사업 대상지 추가 선정('19.9.); 2021 예산에 공사비 없음",
        "status_basis_en": "Seoul's 2021 budget book: site added 2019-09; no works in the 2021 budget",
        "industry": "sewing",
        "lot_address_ko": "중구 신당동 140-29",
        "lot_address_en": "Sindang-dong 140-29, Jung-gu",
        "site_area_m2": "1011",
        "floors_above": 21,
        "floors_below": 4,
        "cost_won": 9_700 * MILLION,
        "description_ko": "중구 신당동 봉제 집적지의 스마트앵커 (계획).",
        "description_en": "The planned Smart Anchor of the Sindang-dong sewing cluster in Jung-gu.",
        "milestones": [
            {
                "date": date(2019, 9, 1),
                "precision": "month",
                "title_ko": "사업 대상지 추가 선정 (중구 봉제)",
                "title_en": "Added as a site (sewing)",
                "source": SEED_002,
            },
        ],
    },
    {
        "slug": "seongdong-shoes",
        "district": "seongdong",
        "sort_order": 90,
        "name_ko": "성동구 수제화 스마트앵커",
        "name_en": "Seongdong-gu Handmade Shoes Smart Anchor",
        "kind": "smart_anchor",
        "status": "planned",
        "status_basis_ko": "서울시 2021 예산서: 1차년도 사업 대상지 선정('17.12.), 시 투자심사('18.3.); 이후 소식 없음",
        "status_basis_en": "Seoul's 2021 budget book: first-round site selected 2017-12, city investment review 2018-03; nothing later",
        "industry": "shoes",
        "description_ko": "1차년도(2017년 12월)에 선정된 성동구 수제화 집적지의 스마트앵커. 원자료에 위치·규모·조성비가 없습니다.",
        "description_en": (
            "The Smart Anchor of Seongdong-gu's handmade-shoe cluster, selected in the first round "
            "(December 2017). The source documents give no location, size or cost."
        ),
        "milestones": [
            {
                "date": date(2017, 12, 1),
                "precision": "month",
                "title_ko": "1차년도 사업 대상지 선정 (성동 수제화)",
                "title_en": "Selected as a first-round site (handmade shoes)",
                "source": SEED_002,
            },
            {
                "date": date(2018, 3, 1),
                "precision": "month",
                "title_ko": "시 투자심사",
                "title_en": "City investment review",
                "source": SEED_002,
            },
        ],
    },
    {
        "slug": "dobong-socks",
        "district": "dobong",
        "sort_order": 100,
        "name_ko": "도봉구 양말 스마트앵커",
        "name_en": "Dobong-gu Socks Smart Anchor",
        "kind": "smart_anchor",
        "status": "planned",
        "status_basis_ko": "서울시 2021 예산서: 3차년도 사업 대상지 선정('19.3.); 이후 소식 없음",
        "status_basis_en": "Seoul's 2021 budget book: third-round site selected 2019-03; nothing later",
        "industry": "socks",
        "description_ko": "3차년도(2019년 3월)에 선정된 도봉구 양말 집적지의 스마트앵커. 원자료에 위치·규모·조성비가 없습니다.",
        "description_en": (
            "The Smart Anchor of Dobong-gu's sock-making cluster, selected in the third round "
            "(March 2019). The source documents give no location, size or cost."
        ),
        "milestones": [
            {
                "date": date(2019, 3, 1),
                "precision": "month",
                "title_ko": "3차년도 사업 대상지 선정 (도봉 양말)",
                "title_en": "Selected as a third-round site (socks)",
                "source": SEED_002,
            },
        ],
    },
]

# Milestones of the Smart Anchor programme as a whole (no single anchor).
PROGRAMME_MILESTONES = [
    {
        "date": date(2018, 3, 1),
        "precision": "month",
        "title_ko": "서울시 스마트앵커 조성 TF 발족",
        "title_en": "Seoul Smart Anchor task force launched",
        "source": SEED_002,
    },
    {
        "date": date(2018, 5, 16),
        "title_ko": "스마트앵커 건립 및 운영계획 수립 (행정1부시장 방침 제112호)",
        "title_en": "Smart Anchor construction and operation plan (Vice-Mayor directive no. 112)",
        "source": SEED_002,
    },
    {
        "date": date(2019, 3, 1),
        "precision": "month",
        "title_ko": "ICT기반 스마트앵커 운영시스템 구축을 위한 기본계획 수립",
        "title_en": "Master plan for an ICT-based Smart Anchor operating system",
        "source": SEED_002,
    },
    {
        "date": date(2019, 4, 1),
        "precision": "month",
        "title_ko": "스마트앵커 운영 활성화 방안 학술용역 실시",
        "title_en": "Study on activating Smart Anchor operations commissioned",
        "source": SEED_002,
    },
    {
        "date": date(2020, 4, 1),
        "precision": "month",
        "title_ko": "스마트 솔루션앵커 조성계획 수립",
        "title_en": "Smart Solution Anchor plan drawn up",
        "source": SEED_002,
    },
]
