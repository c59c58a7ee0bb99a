"""Every write of fair allocation goes through here, split by job: `lottery` (windows, applications, the draw),
`waiting` (waiting lists and offers of freed slots), `strikes` (strikes, suspensions, appeals)."""

from __future__ import annotations

from .lottery import (
    application_submit,
    application_withdraw,
    draw_inputs,
    lottery_draw,
    lottery_draw_due,
    published,
    window_cancel,
    window_create,
)
from .strikes import appeal_decide, appeal_submit, strike_record
from .waiting import wait_accept, wait_join, wait_offer_freed, wait_withdraw, waits_housekeeping

__all__ = [
    "appeal_decide",
    "appeal_submit",
    "application_submit",
    "application_withdraw",
    "draw_inputs",
    "lottery_draw",
    "lottery_draw_due",
    "published",
    "strike_record",
    "wait_accept",
    "wait_join",
    "wait_offer_freed",
    "wait_withdraw",
    "waits_housekeeping",
    "window_cancel",
    "window_create",
]
