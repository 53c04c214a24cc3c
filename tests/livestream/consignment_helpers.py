"""Arranging consignment at the base: warehouse stock sent through the repository, sale
lines as livestream's import publishes them, and reading livestream's outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from shared.events import Event
from shared.tasks import send_task
from tests.factories import eventually
from tests.livestream.helpers import L
from tests.repository.factories import R, new_offer

SALE_LINE = "livestream.sale_line.recorded"


async def published(event_type: str, **match: str) -> list[dict[str, Any]]:
    """Events of `event_type` in livestream's outbox whose data has the `match` values."""
    from sqlalchemy import select

    from services.livestream.db import kernel
    from shared.db import sessionmaker_for

    outbox = kernel.outbox
    async with sessionmaker_for(kernel)() as session:
        rows = await session.execute(
            select(outbox.c.payload).where(outbox.c.event_type == event_type).order_by(outbox.c.seq)
        )
        payloads = [row[0] for row in rows]
    return [
        p["data"]
        for p in payloads
        if all(str(p["data"].get(key)) == str(value) for key, value in match.items())
    ]


def sale_line(
    county,
    entry: dict[str, Any],
    *,
    line_id: uuid.UUID,
    quantity: int,
    status: str = "paid",
    version: int = 1,
    paid_at: datetime | None = None,
    settled_at: datetime | None = None,
    paid_fen: int = 3990,
) -> None:
    """A sale line as livestream's import publishes it (the agreed
    `livestream.sale_line.recorded` contract), handed to livestream's worker as the relay
    would."""
    data = {
        "line_id": str(line_id),
        "region_id": str(county.region_id),
        "platform": "douyin",
        "platform_order_id": f"DY{line_id.hex[:12]}",
        "session_id": None,
        "streamer_org_id": None,
        "agency_org_id": None,
        "supplier_org_id": str(entry["supplier_id"]),
        "catalog_product_id": str(entry["product_id"]),
        "pool_entry_id": str(entry["id"]),
        "quantity": quantity,
        "paid_fen": paid_fen * quantity,
        "refunded_fen": paid_fen * quantity if status == "refunded" else 0,
        "status": status,
        "paid_at": (paid_at or datetime.now(UTC)).isoformat(),
        "settled_at": settled_at.isoformat() if settled_at else None,
        "version": version,
    }
    event = Event(type=SALE_LINE, producer="livestream", region_id=county.region_id, data=data)
    send_task("livestream.handle_event", event.model_dump(mode="json"), "livestream")


async def stock_of(client, actor, product_id: str) -> dict[str, Any] | None:
    r = await client.get(
        f"{L}/consignment/stock", params={"product_id": product_id}, headers=actor.headers
    )
    assert r.status_code == 200, r.text
    rows = r.json()["items"]
    return rows[0] if rows else None


async def until_stock(client, actor, product_id: str, **want: int) -> dict[str, Any]:
    """Wait until the product's stock at the base shows the `want` counters."""

    async def shows() -> dict[str, Any] | None:
        row = await stock_of(client, actor, product_id)
        if row and all(row[k] == v for k, v in want.items()):
            return row
        return None

    return await eventually(shows, timeout=30)


async def warehouse_with_stock(client, county, seller, product: dict[str, Any], cases: int):
    """The county warehouse holding `cases` of the seller's product (offered by the case of
    12), once the repository has learnt the product from catalog."""
    variant_id = product["variants"][0]["id"]

    async def known() -> bool:
        r = await client.get(f"{R}/variants/{variant_id}", headers=seller.headers)
        return r.status_code == 200

    await eventually(known, timeout=30)
    offer = await new_offer(client, seller, uuid.UUID(variant_id), case_pack=12)
    r = await client.post(
        f"{R}/warehouses",
        json={
            "region_id": str(county.region_id),
            "code": f"W{uuid.uuid4().hex[:6]}",
            "name": "封丘县仓配中心",
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    warehouse = r.json()
    r = await client.post(
        f"{R}/warehouses/{warehouse['id']}/receipts",
        json={"variant_id": variant_id, "cases": cases, "reason": "到货"},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    return warehouse, offer


async def warehouse_cases(client, county, warehouse_id: str, variant_id: str) -> int:
    r = await client.get(
        f"{R}/warehouses/{warehouse_id}/stock",
        params={"variant_id": variant_id},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    items = body["items"] if isinstance(body, dict) else body
    return items[0]["on_hand"] if items else 0
