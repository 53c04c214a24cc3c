"""Arranging repository stories: suppliers, catalog variants, offers and buyers.

Catalog variants arrive the way the relay brings them: a catalog.product.published event
handed to the repository worker (tests/repository/test_offers.py also follows one from
the real catalog service).
"""

from __future__ import annotations

import uuid
from typing import Any

from shared.events import Event
from shared.tasks import send_task
from tests.factories import Actor, County, eventually, new_org

R = "/v1/repository"


def deliver(event_type: str, data: dict[str, Any], region_id: uuid.UUID | None = None) -> Event:
    """Send an event from another service to the repository worker, as the relay would."""
    event = Event(
        type=event_type, producer=event_type.split(".")[0], region_id=region_id, data=data
    )
    send_task("repository.handle_event", event.model_dump(mode="json"), "repository")
    return event


async def new_supplier(client, county: County, name: str | None = None) -> Actor:
    """An approved supplier organisation (identity's approval reaches the repository)."""
    return await new_org(client, county, "supplier", name or "封丘县金银花种植合作社")


def product_event(
    county: County,
    supplier: Actor,
    *,
    product_id: uuid.UUID | None = None,
    variant_ids: list[uuid.UUID] | None = None,
    name: str = "封丘金银花 特级",
    category: str = "金银花",
    storage: str = "ambient",
    net_weight_g: int = 250,
    volume_cm3: int = 600,
    channels: tuple[str, ...] = ("wholesale", "retail"),
) -> dict[str, Any]:
    product_id = product_id or uuid.uuid4()
    variant_ids = variant_ids or [uuid.uuid4()]
    return {
        "product_id": str(product_id),
        "region_id": str(county.region_id),
        "supplier_id": str(supplier.org_id),
        "name": name,
        "brand": "封丘金银花",
        "category": category,
        "channels": list(channels),
        "storage": storage,
        "variants": [
            {
                "variant_id": str(variant_id),
                "sku": f"SKU-{variant_id.hex[:8]}",
                "name": f"{net_weight_g} g",
                "unit": "罐",
                "net_weight_g": net_weight_g,
                "volume_cm3": volume_cm3,
            }
            for variant_id in variant_ids
        ],
    }


async def new_variant(client, county: County, supplier: Actor, **product: Any) -> uuid.UUID:
    """A catalog variant of the supplier's, published to the repository."""
    data = product_event(county, supplier, **product)
    deliver("catalog.product.published", data, county.region_id)
    variant_id = data["variants"][0]["variant_id"]

    async def arrived() -> bool:
        r = await client.get(f"{R}/variants/{variant_id}", headers=supplier.headers)
        return r.status_code == 200

    await eventually(arrived)
    return uuid.UUID(variant_id)


def offer_body(variant_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "variant_id": str(variant_id),
        "direction": "upstream",
        "unit_name": "罐 (250 g)",
        "case_pack": 12,
        "min_order_cases": 1,
        "multiple_cases": 1,
        "price_tiers": [{"min_cases": 1, "price_fen": 36000}],
        "buyer_kinds": ["station", "retailer"],
        "fulfilment": "to_order",
        "lead_time_days": 1,
    }
    body.update(overrides)
    return body


async def new_offer(client, seller: Actor, variant_id: uuid.UUID, **overrides: Any) -> dict:
    r = await client.post(
        f"{R}/offers", json=offer_body(variant_id, **overrides), headers=seller.headers
    )
    assert r.status_code == 201, r.text
    return r.json()


async def supply(
    client,
    county: County,
    supplier: Actor | None = None,
    *,
    product: dict | None = None,
    **offer: Any,
) -> dict:
    """A supplier's catalog variant on offer in the repository (the offer as created)."""
    supplier = supplier or await new_supplier(client, county)
    variant_id = await new_variant(client, county, supplier, **(product or {}))
    return await new_offer(client, supplier, variant_id, **offer)


async def new_buyer(
    client,
    county: County,
    kind: str = "station",
    *,
    name: str | None = None,
    **terms: Any,
) -> Actor:
    """An approved station or rural shop with its buyer account (and terms, if given)."""
    buyer = await new_org(client, county, kind, name or f"{kind}-{uuid.uuid4().hex[:6]}")

    async def opened() -> bool:
        r = await client.get(f"{R}/buyers/{buyer.org_id}", headers=county.operator.headers)
        return r.status_code == 200

    await eventually(opened)
    if terms:
        r = await client.put(
            f"{R}/buyers/{buyer.org_id}/terms", json=terms, headers=county.operator.headers
        )
        assert r.status_code == 200, r.text
    return buyer


async def published(event_type: str, **match: str) -> list[dict[str, Any]]:
    """Events of `event_type` in the repository's outbox whose data has the `match` values."""
    from sqlalchemy import select

    from services.repository.db import kernel
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
