"""Billing's actions in the one permission policy (anchors.policy)."""

from __future__ import annotations

from anchors.policy import rule, runs_anchor

from . import selectors


@rule("billing.manage_anchor")
def _manage_anchor(user, anchor) -> bool:
    """What an anchor is owed, payments and refunds, the day's closing, bank statements: its staff, city admins."""
    return runs_anchor(user, anchor)


@rule("billing.view_document")
def _view_document(user, document) -> bool:
    """An invoice or credit note: its payer (the maker, a member of the company) and the anchor's staff."""
    return document is not None and (
        runs_anchor(user, document.anchor) or selectors.may_see_account(user, document.account)
    )


@rule("billing.pay_online")
def _pay_online(user, document) -> bool:
    """Only the payer pays online (staff record desk payments instead)."""
    return document is not None and selectors.may_see_account(user, document.account)
