"""Arranging payments stories: orders arrive as repository events through the real worker."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import stripe
from sqlalchemy import func, select

from services.payments.db import kernel
from services.payments.ledger.models import JournalLine, JournalRecord
from shared.db import sessionmaker_for
from shared.events import Event
from shared.settings import get_settings
from shared.tasks import send_task
from tests.factories import eventually

P = "/v1/payments"


def deliver(
    event_type: str, data: dict[str, Any], region_id=None, occurred_at: datetime | None = None
) -> Event:
    """Send an event from another service to the payments worker, as the relay would."""
    event = Event(
        type=event_type, producer=event_type.split(".")[0], region_id=region_id, data=data
    )
    if occurred_at is not None:
        event.occurred_at = occurred_at
    send_task("payments.handle_event", event.model_dump(mode="json"), "payments")
    return event


def redeliver(event: Event) -> None:
    """The same event (same id) once more, as an at-least-once relay may send it."""
    send_task("payments.handle_event", event.model_dump(mode="json"), "payments")


async def handled(*events: Event) -> None:
    """Wait until the payments worker has handled (and committed) every one of `events`."""
    ids = [e.id for e in events]

    async def all_in_inbox() -> bool:
        async with sessionmaker_for(kernel)() as session:
            seen = await session.scalar(
                select(func.count())
                .select_from(kernel.inbox)
                .where(kernel.inbox.c.event_id.in_(ids))
            )
            return seen == len(ids)

    await eventually(all_in_inbox)


async def place_order(
    client, buyer, lines_fen: list[int], method: str = "card", placed_at: datetime | None = None
) -> uuid.UUID:
    order_id, _ = await place_order_with_lines(
        client, buyer, lines_fen, method, placed_at=placed_at
    )
    return order_id


def order_placed_event(
    buyer,
    lines_fen: list[int],
    method: str = "card",
    supplier_id=None,
    placed_at: datetime | None = None,
) -> tuple[Event, list[dict[str, Any]]]:
    """The repository's `repository.order.placed` for a new order (not sent yet)."""
    order_id = uuid.uuid4()
    supplier = supplier_id or uuid.uuid4()
    lines = [
        {
            "line_id": str(uuid.uuid4()),
            "variant_id": str(uuid.uuid4()),
            "supplier_id": str(supplier),
            "quantity": 1,
            "unit_price_fen": fen,
            "amount_fen": fen,
        }
        for fen in lines_fen
    ]
    event = Event(
        type="repository.order.placed",
        producer="repository",
        region_id=buyer.region_id,
        data={
            "order_id": str(order_id),
            "buyer_org_id": str(buyer.org_id),
            "region_id": str(buyer.region_id),
            "total_fen": sum(lines_fen),
            "payment_method": method,
            "lines": lines,
        },
    )
    if placed_at is not None:
        event.occurred_at = placed_at
    return event, lines


async def place_order_with_lines(
    client,
    buyer,
    lines_fen: list[int],
    method: str = "card",
    supplier_id=None,
    placed_at: datetime | None = None,
) -> tuple[uuid.UUID, list[dict[str, Any]]]:
    """The repository places an order (at `placed_at`, the event's time, when given)."""
    event, lines = order_placed_event(buyer, lines_fen, method, supplier_id, placed_at)
    order_id = uuid.UUID(event.data["order_id"])
    send_task("payments.handle_event", event.model_dump(mode="json"), "payments")

    async def known() -> bool:
        r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
        return r.status_code == 200

    await eventually(known)
    return order_id, lines


def last_month(tz: str = "Asia/Shanghai") -> tuple[str, datetime]:
    """The calendar month before this one in `tz` (one that can be closed) and an instant
    in the middle of it."""
    today = datetime.now(ZoneInfo(tz)).date().replace(day=1)
    mid = (today - timedelta(days=1)).replace(day=15)
    instant = datetime.combine(mid, clock(12), ZoneInfo(tz)).astimezone(UTC)
    return mid.strftime("%Y-%m"), instant


def stripe_client() -> stripe.StripeClient:
    settings = get_settings()
    return stripe.StripeClient(
        settings.stripe_api_key, base_addresses={"api": settings.stripe_api_base}
    )


def card(number: str) -> str:
    pm = stripe_client().payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        }
    )
    return pm.id


def signed(event: dict[str, Any], secret: str | None = None) -> tuple[bytes, dict[str, str]]:
    payload = json.dumps(event).encode()
    ts = int(time.time())
    key = (secret or get_settings().stripe_webhook_secret).encode()
    sig = hmac.new(key, f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, {"Stripe-Signature": f"t={ts},v1={sig}", "Content-Type": "application/json"}


def intent_event(event_id: str, type_: str, ref: str, status: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": type_,
        "created": int(time.time()),
        "data": {"object": {"id": ref, "object": "payment_intent", "status": status}},
    }


async def journal_count(cause_type: str, cause_id: str) -> int:
    async with sessionmaker_for(kernel)() as session:
        return await session.scalar(
            select(func.count())
            .select_from(JournalRecord)
            .where(JournalRecord.cause_type == cause_type, JournalRecord.cause_id == cause_id)
        )


async def ledger_totals() -> tuple[int, int]:
    async with sessionmaker_for(kernel)() as session:
        row = (
            await session.execute(
                select(func.sum(JournalLine.debit_fen), func.sum(JournalLine.credit_fen))
            )
        ).one()
        return int(row[0] or 0), int(row[1] or 0)


async def outbox_events(event_type: str, order_id: uuid.UUID) -> list[dict]:
    async with sessionmaker_for(kernel)() as session:
        rows = await session.execute(
            select(kernel.outbox.c.payload).where(kernel.outbox.c.event_type == event_type)
        )
        return [p for (p,) in rows if p.get("data", {}).get("order_id") == str(order_id)]
