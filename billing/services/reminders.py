"""Reminders of overdue invoices through the outbox: the payer (a maker, or the members of a company) is reminded
on the day after the due date and then every `reminder_days` days while something is still due; one message per
invoice and round (the outbox's key)."""

from __future__ import annotations

from datetime import datetime

from common.time import SEOUL
from notifications.services import outbox_enqueue

from .. import selectors


def overdue_remind(*, now: datetime) -> int:
    today = now.astimezone(SEOUL).date()
    n = 0
    for doc in selectors.overdue_invoices(today=today):
        if doc.due_on is None:
            continue  # an invoice always has a due date; a credit note, which has none, is never overdue
        days_late = (today - doc.due_on).days
        every = selectors.policy_for(doc.anchor_id).reminder_days
        round_no = (days_late - 1) // every
        account = doc.account
        company = account.organisation
        users: list[int] = []  # a guest the desk booked has no login: the desk's list of what is owed reminds
        if account.user_id:
            users = [account.user_id]
        elif company is not None:
            users = list(company.members.values_list("pk", flat=True))
        for user_id in users:
            if outbox_enqueue(
                key=f"billing-overdue:{doc.pk}:{round_no}:{user_id}",
                kind="billing:overdue",
                user_id=user_id,
                object_id=doc.pk,
                anchor_id=doc.anchor_id,
                now=now,
            ):
                n += 1
    return n
