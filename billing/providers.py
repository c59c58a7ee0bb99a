"""Online payment providers behind one interface. A real provider is a class named in settings
(`BILLING_ONLINE_PROVIDER`, `BILLING_PROVIDERS`), never code in the views. The sandbox ships for development and
tests: its checkout is a page of the portal that says no money moves, and it signs its webhooks like a provider
does (HMAC-SHA256 of the timestamp and the body with a shared secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

SIGNATURE_HEADER = "X-Sandbox-Signature"
TOLERANCE_SECONDS = 300  # a signed event older (or newer) than this is refused: a replay from long ago


class WebhookRejected(Exception):
    """The webhook is not from the provider (no or a wrong signature, a stale timestamp, an unreadable body)."""


@dataclass(frozen=True)
class ProviderEvent:
    event_id: str
    type: str  # "payment.succeeded" or "payment.failed"
    intent_id: str
    amount_won: int
    payment_ref: str


class Provider(Protocol):
    name: str

    def checkout_url(self, intent: Any) -> str: ...

    def verify(self, body: bytes, headers: dict[str, str], *, now: datetime) -> ProviderEvent: ...

    def refund(self, payment_ref: str, amount_won: int) -> str: ...


class SandboxProvider:
    """A provider that takes no money: for development, the demo and the tests."""

    name = "sandbox"
    is_sandbox = True

    @property
    def secret(self) -> bytes:
        return (settings.BILLING_SANDBOX_SECRET or settings.SECRET_KEY + ":billing-sandbox").encode()

    def checkout_url(self, intent: Any) -> str:
        return reverse("billing:sandbox_checkout", kwargs={"pk": intent.pk})

    def sign(self, body: bytes, *, timestamp: int) -> str:
        mac = hmac.new(self.secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={mac}"

    def event(self, *, intent: Any, succeeded: bool, now: datetime) -> tuple[bytes, dict[str, str]]:
        """The body and headers the sandbox sends for a payment made (or failed) at its checkout."""
        body = json.dumps(
            {
                "id": f"evt_{secrets.token_hex(12)}",
                "type": "payment.succeeded" if succeeded else "payment.failed",
                "intent": str(intent.pk),
                "amount": intent.amount_won,
                "payment": f"sbx_{secrets.token_hex(12)}",
            },
            separators=(",", ":"),
        ).encode()
        return body, {SIGNATURE_HEADER: self.sign(body, timestamp=int(now.timestamp()))}

    def verify(self, body: bytes, headers: dict[str, str], *, now: datetime) -> ProviderEvent:
        signature = headers.get(SIGNATURE_HEADER, "")
        parts = dict(p.split("=", 1) for p in signature.split(",") if "=" in p)
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError:
            raise WebhookRejected("no timestamp") from None
        if abs(now.timestamp() - timestamp) > TOLERANCE_SECONDS:
            raise WebhookRejected("stale timestamp")
        expected = self.sign(body, timestamp=timestamp).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise WebhookRejected("bad signature")
        try:
            data = json.loads(body)
            return ProviderEvent(
                event_id=str(data["id"])[:100],
                type=str(data["type"]),
                intent_id=str(data["intent"]),
                amount_won=int(data["amount"]),
                payment_ref=str(data.get("payment", ""))[:100],
            )
        except (ValueError, KeyError, TypeError):
            raise WebhookRejected("unreadable body") from None

    def refund(self, payment_ref: str, amount_won: int) -> str:
        return f"sbx_refund_{secrets.token_hex(8)}"


def provider(name: str | None = None) -> Any:
    """The configured online provider (or the one named)."""
    name = name or settings.BILLING_ONLINE_PROVIDER
    path = settings.BILLING_PROVIDERS.get(name)
    if path is None:
        raise LookupError(name)
    return import_string(path)()
