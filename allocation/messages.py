"""How the outbox renders fair allocation's messages: the draw's result, a cancelled window, an offered or lapsed
slot, a strike, a suspension, an appeal's decision, and the staff's alert of a new appeal. Each runs in the
recipient's language at delivery and says when a term it quotes is an example."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.examples import mark
from notifications.registry import Message, renderer

from . import selectors
from .models import Appeal, AppealStatus, LotteryWindow, SlotWait, Strike, Suspension, WaitStatus


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _message(headline: str, lines: list[str], url: str, action: str) -> Message:
    context = {"headline": headline, "lines": lines, "url": url, "action": action, "base_url": settings.SITE_URL}
    return Message(
        subject=headline,
        text=render_to_string("allocation/email/notice.txt", context),
        title=headline,
        body=" · ".join(lines[:2]),
        url=url,
    )


@renderer("lottery")
def render_lottery(row, now: datetime) -> Message | None:
    window = LotteryWindow.objects.select_related("anchor").filter(pk=row.object_id).first()
    if window is None:
        return None
    kind = row.kind.split(":", 1)[1]
    url = window.get_absolute_url()
    title = mark(window.title, window.is_example)
    if kind == "cancelled":
        return _message(
            _("The lottery %(title)s was called off") % {"title": title},
            [window.anchor.name, window.cancelled_reason],
            url,
            _("See the window"),
        )
    draw = getattr(window, "draw", None)
    if draw is None:
        return None
    won = selectors.draw_outcome(window=window, draw=draw, user_id=row.user_id).won
    if kind == "won" and won:
        lines = [
            window.anchor.name,
            *[_("Your choice %(rank)s: %(slot)s") % {"rank": rank, "slot": _local(slot)} for slot, rank in won],
        ]
        lines.append(_("The booking is confirmed under the usual terms; see it among your reservations."))
        return _message(
            _("You won a slot in the lottery %(title)s") % {"title": title}, lines, url, _("See the result")
        )
    return _message(
        _("No slot for you in the lottery %(title)s") % {"title": title},
        [
            window.anchor.name,
            _("You may wait for any of your choices: if it frees, it is offered to the first maker waiting."),
        ],
        url,
        _("See the result and wait for a slot"),
    )


@renderer("wait")
def render_wait(row, now: datetime) -> Message | None:
    wait = SlotWait.objects.select_related("anchor", "space", "equipment").filter(pk=row.object_id).first()
    if wait is None:
        return None
    kind = row.kind.split(":", 1)[1]
    what = f"{wait.resource.name} · {_local(wait.start_at)}–{timezone.localtime(wait.end_at):%H:%M}"
    url = reverse("allocation:my_waits")
    policy = selectors.policy_for(wait.anchor_id)
    if kind == "offered":
        if wait.status != WaitStatus.OFFERED or wait.offer_expires_at is None or wait.offer_expires_at <= now:
            return None  # taken, declined or lapsed since
        return _message(
            _("A slot you wait for is free: it is held for you"),
            [
                what,
                mark(
                    _("Take it before %(until)s; then it goes to the next maker waiting.")
                    % {"until": _local(wait.offer_expires_at)},
                    policy.is_example,
                ),
            ],
            url,
            _("Take it or let it go"),
        )
    return _message(
        _("The slot offered to you went to the next maker waiting"),
        [what, _("The offer was not taken in time.")],
        url,
        _("Your waiting list"),
    )


@renderer("standing")
def render_standing(row, now: datetime) -> Message | None:
    kind = row.kind.split(":", 1)[1]
    url = reverse("allocation:standing")
    if kind == "strike":
        strike = (
            Strike.objects.select_related("anchor", "reservation__space", "reservation__equipment")
            .filter(pk=row.object_id)
            .first()
        )
        if strike is None:
            return None
        policy = selectors.policy_for(strike.anchor_id)
        r = strike.reservation
        return _message(
            _("A strike was recorded: %(kind)s") % {"kind": strike.get_kind_display()},
            [
                f"{r.resource.name} · {_local(r.start_at)} · {strike.anchor.name}",
                mark(
                    _("It counts until %(until)s. At %(n)s strikes online booking is suspended for %(days)s days.")
                    % {
                        "until": _local(strike.expires_at),
                        "n": policy.strike_threshold,
                        "days": policy.suspension_days,
                    },
                    policy.is_example,
                ),
                _("If it was not your fault, you can appeal."),
            ],
            url,
            _("Your strikes and appeals"),
        )
    if kind == "suspended":
        suspension = Suspension.objects.select_related("anchor", "imposed_by").filter(pk=row.object_id).first()
        if suspension is None:
            return None
        where = suspension.anchor.name if suspension.anchor_id else _("every anchor")
        return _message(
            _("Your online booking is suspended"),
            [
                mark(
                    _("At %(where)s until %(until)s: %(reason)s.")
                    % {"where": where, "until": _local(suspension.ends_at), "reason": suspension.reason},
                    selectors.policy_for(suspension.imposed_by_id).is_example,
                ),
                _("The desk can still book for you. You can appeal a strike you think is wrong."),
            ],
            url,
            _("Your strikes and appeals"),
        )
    if kind == "decided":
        appeal = Appeal.objects.select_related("strike__anchor").filter(pk=row.object_id).first()
        if appeal is None or appeal.status == AppealStatus.PENDING:
            return None
        headline = (
            _("Your appeal was upheld: the strike is removed")
            if appeal.status == AppealStatus.UPHELD
            else _("Your appeal was dismissed: the strike stands")
        )
        return _message(
            headline, [appeal.strike.anchor.name, appeal.decision_reason], url, _("Your strikes and appeals")
        )
    if kind == "appeal-staff":
        appeal = Appeal.objects.select_related("strike__anchor", "strike__user").filter(pk=row.object_id).first()
        if appeal is None or appeal.status != AppealStatus.PENDING:
            return None
        return _message(
            _("An appeal against a strike waits for a decision"),
            [appeal.strike.user.get_full_name(), appeal.reason[:300]],
            reverse("allocation:desk_strikes", kwargs={"slug": appeal.strike.anchor.slug}),
            _("Decide"),
        )
    return None
