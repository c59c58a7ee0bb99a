"""Example data: what the source documents do not give, shipped so that the portal works, and shown as an example
wherever a user meets it until the anchor confirms or replaces it.

One flag per record, `is_example`, drives every marker: the badge on pages (`templates/facilities/_example_badge.html`),
the "(example)" mark in e-mails, calendars, exports and PDFs (`mark`), and the note on a refusal that quotes an
example rule (`refusal`). A record whose values are examples carries the flag even when the record itself is
real (Geumcheon's sample room is real; its capacity and booking rules are not in the sources).

Which models hold example values and how an anchor confirms them all in one action is `anchors.examples` (the
admin's "Example data" page); confirming rows, here, is the one write that clears the flag.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EXAMPLE_HELP = gettext_lazy(
    "Example data: the source documents do not give these values; they stand until the anchor confirms or "
    "replaces them."
)


def mark(text: str, is_example: bool) -> str:
    """Plain text with the example mark, for e-mails, calendars, exports and PDFs: "10,000 won (example)"."""
    if not is_example:
        return str(text)
    note = _("(example)")
    return f"{text} {note}"


def refusal(message: str, is_example: bool) -> str:
    """A refusal that quotes an example rule says so: the maker should not take it for the anchor's own rule."""
    if not is_example:
        return message
    note = _("(This is an example rule: the sources give none, and the anchor has not confirmed it.)")
    return f"{message} {note}"


@transaction.atomic
def examples_confirm_rows(*, queryset: QuerySet[Any], by: AbstractBaseUser, now: datetime) -> int:
    """Confirm chosen example rows as the anchor's own (the admin's action on a list): locked, flag cleared, saved
    with history."""
    confirmed = 0
    for row in queryset.filter(is_example=True).select_for_update().order_by("pk"):
        row.is_example = False
        row._change_reason = f"confirmed by {by} at {now.isoformat()}"
        row.save(update_fields=["is_example"] + (["updated_at"] if hasattr(row, "updated_at") else []))
        confirmed += 1
    return confirmed
