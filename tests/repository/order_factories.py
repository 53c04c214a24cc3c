"""Arranging stock and bulk-order stories through the API: warehouses, stock, orders."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from tests.factories import Actor, County, eventually, unique_code
from tests.repository.factories import R, new_buyer, supply


async def new_warehouse(client, county: County, **overrides: Any) -> dict:
    body = {
        "region_id": str(county.region_id),
        "code": unique_code("wh"),
        "name": "县级仓储中心",
        **overrides,
    }
    r = await client.post(f"{R}/warehouses", json=body, headers=county.operator.headers)
    assert r.status_code == 201, r.text
    return r.json()


async def receive(client, county: County, warehouse_id: str, variant_id: str, cases: int) -> dict:
    r = await client.post(
        f"{R}/warehouses/{warehouse_id}/receipts",
        json={"variant_id": str(variant_id), "cases": cases},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def stocked_offer(
    client, county: County, cases: int, *, warehouse: dict | None = None, **offer: Any
) -> tuple[dict, dict]:
    """A stocked offer with `cases` on the shelf of the county warehouse (created if needed)."""
    warehouse = warehouse or await new_warehouse(client, county)
    created = await supply(client, county, fulfilment="stocked", **offer)
    if cases:
        await receive(client, county, warehouse["id"], created["variant_id"], cases)
    return created, warehouse


async def stock_of(client, county: County, warehouse_id: str, variant_id: str) -> dict:
    r = await client.get(
        f"{R}/warehouses/{warehouse_id}/stock",
        params={"variant_id": str(variant_id)},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    return items[0] if items else {"on_hand": 0, "reserved": 0, "available": 0}


async def verify(client, county: County, warehouse_id: str) -> dict:
    r = await client.get(
        f"{R}/warehouses/{warehouse_id}/stock/verify", headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    return r.json()


async def buyer_with(client, county: County, *methods: str, **terms: Any) -> Actor:
    """A station allowed to pay by `methods` (card when none are named)."""
    return await new_buyer(client, county, payment_methods=list(methods or ["card"]), **terms)


def lines(*pairs: tuple[dict, int]) -> list[dict[str, Any]]:
    return [{"offer_id": offer["id"], "cases": cases} for offer, cases in pairs]


async def place(
    client,
    buyer: Actor,
    order_lines: list[dict[str, Any]] | None = None,
    *,
    method: str = "card",
    key: str | None = None,
    **body: Any,
):
    """POST /orders with an Idempotency-Key (a fresh one unless given); the raw response."""
    payload: dict[str, Any] = {"payment_method": method, **body}
    if order_lines is not None:
        payload["lines"] = order_lines
    headers = {**buyer.headers, "Idempotency-Key": key or uuid.uuid4().hex}
    return await client.post(f"{R}/orders", json=payload, headers=headers)


async def placed(client, buyer: Actor, order_lines: list[dict[str, Any]], **kw: Any) -> dict:
    r = await place(client, buyer, order_lines, **kw)
    assert r.status_code == 201, r.text
    return r.json()


async def order_of(client, actor: Actor, order_id: str) -> dict:
    r = await client.get(f"{R}/orders/{order_id}", headers=actor.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def order_status_becomes(client, actor: Actor, order_id: str, status: str) -> dict:
    async def reached() -> dict | None:
        order = await order_of(client, actor, order_id)
        return order if order["status"] == status else None

    return await eventually(reached, timeout=30)


async def orders_of_buyer(buyer_org_id: uuid.UUID | str) -> int:
    """How many orders the buyer has, read straight from the table (placing nothing shows)."""
    from services.repository.db import kernel
    from services.repository.orders.models import Order
    from shared.db import sessionmaker_for

    async with sessionmaker_for(kernel)() as session:
        return await session.scalar(
            select(func.count())
            .select_from(Order)
            .where(Order.buyer_org_id == uuid.UUID(str(buyer_org_id)))
        )


async def place_at(
    buyer: Actor, when, order_lines: list[dict[str, Any]], *, method: str = "card"
) -> dict:
    """Place through the service with the clock at `when` (a cut-off story's chosen instant)."""
    from services.repository.db import kernel
    from services.repository.orders import service
    from services.repository.orders.schemas import OrderCreate
    from shared.auth.tokens import get_verifier
    from shared.db import sessionmaker_for
    from shared.tasks import kick_relay

    principal = await get_verifier().principal(buyer.access_token)
    async with sessionmaker_for(kernel)() as session:
        detail = await service.place_order(
            session, principal, OrderCreate(payment_method=method, lines=order_lines), now=when
        )
        await session.commit()
    kick_relay("repository")
    order = detail.order
    return {
        "id": str(order.id),
        "number": order.number,
        "status": order.status,
        "window_date": order.window_date.isoformat(),
        "cutoff_at": order.cutoff_at,
        "delivery_date": order.delivery_date.isoformat() if order.delivery_date else None,
        "reserved_until": order.reserved_until,
    }


async def as_purchasing(order_id: str, *actions: str) -> None:
    """Move an order on as the purchasing job would (allocating its stock before it ships)."""
    from services.repository.db import kernel
    from services.repository.inventory import service as inventory
    from services.repository.orders import service
    from services.repository.orders.repository import OrderRepository
    from shared.db import sessionmaker_for
    from shared.tasks import kick_relay

    async with sessionmaker_for(kernel)() as session:
        repository = OrderRepository(session)
        order = await repository.order_for_update(uuid.UUID(order_id))
        assert order is not None
        for action in actions:
            if action == "mark_ready":
                for line in await repository.lines_of(order.id):
                    await inventory.allocate(session, order, line)
                    line.allocated_cases = line.cases
            await service.transition(session, order, action, reason="test: purchasing job")
        await session.commit()
    kick_relay("repository")


def run_task(name: str) -> None:
    """Ask the real worker to run one of the repository's scheduled jobs now."""
    from shared.tasks import celery_app

    celery_app.send_task(name, queue="repository")
