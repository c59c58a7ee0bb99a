"""Korean particles follow the names put into a message: "재단실은", "레이저 커터는", never "은(는)"."""

from __future__ import annotations

import pytest
import time_machine

from common.korean import fix_particles
from reservations.tests.conftest import NOW


@pytest.mark.parametrize(
    "text,expected",
    [
        ("레이저 커터을(를) 예약", "레이저 커터를 예약"),
        ("재단실은(는) 최대", "재단실은 최대"),
        ("공용장비실이(가) 없습니다", "공용장비실이 없습니다"),
        ("샘플실으로(로) 옮김", "샘플실로 옮김"),  # ㄹ takes 로
        ("작업장으로(로) 옮김", "작업장으로 옮김"),
        ("마스크 제조시설과(와) 함께", "마스크 제조시설과 함께"),
        ("오버록 1은(는)", "오버록 1은"),  # 일
        ("오버록 2은(는)", "오버록 2는"),  # 이
        ("“2026-12”은(는)", "“2026-12”는"),  # a closing quote between the word and its particle
        ("Overlock은(는)", "Overlock은(는)"),  # a reading the portal cannot know keeps both forms
        ("(는) 괄호만", "(는) 괄호만"),
    ],
)
def test_the_particle_follows_the_last_syllable(text, expected):
    assert fix_particles(text) == expected


@pytest.mark.django_db
def test_a_refusal_on_a_korean_page_uses_the_right_particle(client, world, maker):
    client.force_login(maker)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/book/equipment/{world['overlock'].pk}/new/",
            {"date": "2026-12-03", "start": "14:10", "end": "16:10", "purpose": "샘플", "step": "preview"},
        )
    html = response.content.decode()
    assert response.status_code == 400 and "오버록 1은 " in html and "은(는)" not in html
