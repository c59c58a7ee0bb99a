"""How each kind of outbox row becomes a message: the app that owns the subject registers a renderer.

A renderer gets the row and the time of delivery and returns the Message to send, or None when it is no
longer needed (a reminder for a booking cancelled since). It runs in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from common.korean import fix_particles

if TYPE_CHECKING:
    from .models import Outbox


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str = ""
    attachments: tuple[tuple[str, bytes, str], ...] = ()
    # The in-portal notification; an empty title means the message is e-mail only.
    title: str = ""
    body: str = ""
    url: str = ""


Renderer = Callable[["Outbox", datetime], "Message | None"]
_RENDERERS: dict[str, Renderer] = {}


def renderer(family: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of every row whose kind is `family` or starts with `family:`."""

    def register(fn: Renderer) -> Renderer:
        if family in _RENDERERS and _RENDERERS[family] is not fn:
            raise ValueError(f"a renderer for {family!r} is registered twice")
        _RENDERERS[family] = fn
        return fn

    return register


def render(row: Outbox, now: datetime) -> Message | None:
    fn = _RENDERERS.get(row.family)
    if fn is None:
        raise LookupError(f"no renderer for outbox kind {row.kind!r}")
    message = fn(row, now)
    if message is None:
        return None
    # Korean particles follow the names put into the message (common.korean), in the mail and in the portal.
    return replace(
        message,
        subject=fix_particles(message.subject),
        text=fix_particles(message.text),
        html=fix_particles(message.html),
        title=fix_particles(message.title),
        body=fix_particles(message.body),
    )


def families() -> frozenset[str]:
    return frozenset(_RENDERERS)
