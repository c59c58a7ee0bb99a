"""Korean business registration numbers (사업자등록번호): 10 digits with a check digit."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalise_brn(value: str) -> str:
    """Digits only: '124-81-00998' -> '1248100998'."""
    return re.sub(r"[\s-]", "", value or "")


def brn_check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def validate_brn(value: str) -> None:
    digits = normalise_brn(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(_("A business registration number has 10 digits, like 123-45-67890."), code="brn_format")
    if brn_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("This business registration number is not valid: its check digit does not match."), code="brn_check"
        )


def format_brn(value: str) -> str:
    d = normalise_brn(value)
    return f"{d[:3]}-{d[3:5]}-{d[5:]}" if len(d) == 10 else value
