"""Korean particles chosen from the word before them.

Messages are translated with a placeholder for a name ("%(what)s은(는) 온라인으로 예약할 수 없습니다"), so the
catalogue writes both forms of the particle. Once the name is in, the right one follows from its last syllable:
은/이/을/과 after a final consonant, 는/가/를/와 after a vowel; 으로 after a final consonant other than ㄹ, 로
otherwise. A name ending in a digit is read as Sino-Korean (1 일, 2 이 …); one ending in a Latin letter or a symbol
keeps both forms, as before, since its reading is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

# (with a final consonant, without)
PARTICLES = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "으로(로)": ("으로", "로"),
}
# The final consonant of each digit's Sino-Korean reading (0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구):
# 0 none, 8 = ㄹ, other = another consonant.
_DIGIT_FINAL = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
_RIEUL = 8
_PARTICLE_BYTES = tuple(p.encode() for p in PARTICLES)
PATTERN = re.compile(r"([가-힣0-9])([”\"’'」』)\]]?)(" + "|".join(re.escape(p) for p in PARTICLES) + r")")


def _final(ch: str) -> int:
    """The index of the syllable's final consonant (0: none)."""
    if ch.isdigit():
        return _DIGIT_FINAL[ch]
    return (ord(ch) - 0xAC00) % 28


def _choose(match: re.Match[str]) -> str:
    last, closing, pair = match.group(1), match.group(2), match.group(3)
    with_final, without = PARTICLES[pair]
    final = _final(last)
    if pair == "으로(로)":
        particle = with_final if final and final != _RIEUL else without
    else:
        particle = with_final if final else without
    return f"{last}{closing}{particle}"


def fix_particles(text: str) -> str:
    """Every "X은(는)" and its kind in the text, with the particle X takes."""
    if "(" not in text:
        return text
    return PATTERN.sub(_choose, text)


class KoreanParticlesMiddleware:
    """Fixes the particles of a Korean HTML page once the names are in (messages, refusals, labels)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponse)
            and response.get("Content-Type", "").startswith("text/html")
            and response.status_code != 304
            and any(particle in response.content for particle in _PARTICLE_BYTES)  # most pages have none
        ):
            content = response.content.decode(response.charset or "utf-8")
            fixed = fix_particles(content)
            if fixed != content:
                response.content = fixed.encode(response.charset or "utf-8")
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return response
