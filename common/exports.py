"""Cells of every export (XLSX, CSV) that a spreadsheet would run as a formula are made plain text."""

from __future__ import annotations

# Text typed by users (a company's name, a borrower's name) must never become a formula in someone's spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that begins like a formula with an apostrophe (the OWASP advice); other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
