"""Writes of the budget book that carry a rule: how a line is split across anchors, and whose payment a record is.

Every writer (the admin, the importer, the seed loader) goes through these functions: they lock the budget line
first, then check, then write, so two administrators splitting the same line cannot together allocate more
than its amount.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from anchors.models import Anchor
from common.money import format_won

from .models import BudgetLine, ExecutionRecord, LineShare

if TYPE_CHECKING:
    from accounts.models import User

RECORD_FIELDS = ("date", "amount_won", "payee", "description", "evidence", "is_example")


def _thousand(won: int) -> str:

    return format_won(won, "thousand")


def _locked_line(line: BudgetLine) -> BudgetLine:
    return BudgetLine.objects.select_for_update().get(pk=line.pk)


def line_amount_check(*, line: BudgetLine, amount_won: int) -> None:
    """A line's amount cannot fall below what its shares already allocate to anchors."""
    if line.pk is None:
        return
    allocated = LineShare.objects.filter(line=line).aggregate(s=Sum("amount_won"))["s"] or 0
    if amount_won < allocated:
        raise ValidationError(
            _("The line's shares allocate %(allocated)s to anchors; its amount cannot be less (%(amount)s).")
            % {"allocated": _thousand(allocated), "amount": _thousand(amount_won)}
        )


@transaction.atomic
def budget_line_save(*, line: BudgetLine) -> BudgetLine:
    """Save a new or edited line (admin, importer): the funding split adds up (database check) and the amount
    still covers its shares."""
    if line.pk is not None:
        _locked_line(line)
    line_amount_check(line=line, amount_won=line.amount_won)
    line.full_clean()
    line.save()
    return line


def line_share_check(
    *, line: BudgetLine, anchor: Anchor | None, amount_won: int | None, share: LineShare | None = None
) -> None:
    """The shares of a line name an anchor once each, are positive, and add up to at most the line's amount."""
    if anchor is None:
        raise ValidationError(_("Choose the anchor this share funds."))
    if not amount_won or amount_won <= 0:
        raise ValidationError(_("A share is a positive amount in won."))
    others = LineShare.objects.filter(line=line)
    if share is not None and share.pk is not None:
        others = others.exclude(pk=share.pk)
    if others.filter(anchor=anchor).exists():
        raise ValidationError(
            _("%(anchor)s already has a share of this line; change that share instead.") % {"anchor": anchor.name}
        )
    allocated = others.aggregate(s=Sum("amount_won"))["s"] or 0
    if allocated + amount_won > line.amount_won:
        raise ValidationError(
            _(
                "The shares would allocate %(total)s, more than the line's %(amount)s (already allocated: %(allocated)s)."
            )
            % {
                "total": _thousand(allocated + amount_won),
                "amount": _thousand(line.amount_won),
                "allocated": _thousand(allocated),
            }
        )
    if share is not None and share.pk is not None:
        stored = LineShare.objects.select_related("anchor").get(pk=share.pk)
        if stored.anchor_id != anchor.pk:
            _records_keep_their_anchor(stored)


def _records_keep_their_anchor(share: LineShare) -> None:
    if ExecutionRecord.objects.filter(line_id=share.line_id, anchor_id=share.anchor_id).exists():
        raise ValidationError(
            _("Payments on this line are recorded for %(anchor)s; its share cannot be removed or moved.")
            % {"anchor": share.anchor.name}
        )


@transaction.atomic
def line_share_save(
    *,
    line: BudgetLine,
    anchor: Anchor,
    amount_won: int,
    basis_ko: str,
    basis_en: str = "",
    is_example: bool = False,
    share: LineShare | None = None,
) -> LineShare:
    """Create a share of a line, or change `share`; the line is locked first, so concurrent splits add up."""
    line = _locked_line(line)
    if not (basis_ko or "").strip():
        raise ValidationError(_("Say on what basis the line is split (for example floor area, or the schedule)."))
    line_share_check(line=line, anchor=anchor, amount_won=amount_won, share=share)
    share = share or LineShare(line=line)
    share.line, share.anchor, share.amount_won = line, anchor, amount_won
    share.basis_ko, share.basis_en, share.is_example = basis_ko.strip(), (basis_en or "").strip(), is_example
    share.save()
    return share


@transaction.atomic
def line_share_delete(*, share: LineShare) -> None:
    _locked_line(share.line)
    _records_keep_their_anchor(share)
    share.delete()


def record_anchor(*, line: BudgetLine, anchor: Anchor | None) -> Anchor | None:
    """The anchor a payment on `line` is for. A line that funds one anchor wholly: that anchor. A line split
    across anchors: the one named, which must hold a share (or none, for the part spent city-wide). A line that
    funds no anchor: none."""
    shares = list(LineShare.objects.filter(line=line).select_related("anchor"))
    if len(shares) == 1 and shares[0].amount_won >= line.amount_won:
        only = shares[0].anchor
        if anchor is not None and anchor.pk != only.pk:
            raise ValidationError(
                _("This line funds %(only)s only; a payment on it cannot be for %(anchor)s.")
                % {"only": only.name, "anchor": anchor.name}
            )
        return only
    if anchor is not None and anchor.pk not in {s.anchor_id for s in shares}:
        if not shares:
            raise ValidationError(_("This line funds no anchor; leave the anchor empty."))
        raise ValidationError(
            _("A payment on this line is for one of the anchors it funds (%(names)s), or for none.")
            % {"names": ", ".join(s.anchor.name for s in shares)}
        )
    return anchor


@transaction.atomic
def execution_record_save(
    *,
    line: BudgetLine,
    anchor: Anchor | None,
    record: ExecutionRecord | None = None,
    recorded_by: User | None = None,
    **fields: Any,
) -> ExecutionRecord:
    """Record a payment, or change one: the line locked, the anchor checked against the line's shares."""
    line = _locked_line(line)
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    record = record or ExecutionRecord(recorded_by=recorded_by)
    record.line, record.anchor = line, record_anchor(line=line, anchor=anchor)
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def execution_record_delete(*, record: ExecutionRecord) -> None:
    _locked_line(record.line)
    record.delete()
