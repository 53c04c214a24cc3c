"""Arranging supplier stories through the HTTP API."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from services.suppliers.db import kernel
from services.suppliers.identifiers import USCC_ALPHABET, org_code_check_char, uscc_check_char
from shared.db import sessionmaker_for
from tests.factories import Actor, County, new_org

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ORG_CODE_CHARS = [c for c in USCC_ALPHABET if c != "Y"]


def credit_code(rng: random.Random | None = None) -> str:
    """A fresh, valid unified social credit code (farmer cooperative, Fengqiu county)."""
    rng = rng or random.Random()
    org8 = "".join(rng.choice(ORG_CODE_CHARS) for _ in range(8))
    body = "93410727" + org8 + org_code_check_char(org8)
    return body + uscc_check_char(body)


def today() -> date:
    from services.suppliers.applications.service import local_today

    return local_today()


def in_days(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()


def application_fields(**overrides: Any) -> dict[str, Any]:
    fields = {
        "supplier_kind": "cooperative",
        "legal_name": "封丘县金银花种植专业合作社",
        "display_name": "金银花合作社",
        "credit_code": credit_code(),
        "legal_representative": "王建国",
        "contacts": [{"name": "王建国", "phone": "13837300001", "role": "理事长"}],
        "address": "封丘县应举镇前吴村村委会东100米",
        "township": "应举镇",
        "village": "前吴村",
        "products": ["金银花", "金银花茶"],
        "capacity": [
            {"product": "金银花干花", "season": "summer", "quantity": 5000, "unit": "kg"},
            {"product": "金银花茶", "season": "all_year", "quantity": 20000, "unit": "盒"},
        ],
        "household_relation": "buys_from_households",
        "households": [
            {
                "household_kind": "poverty_alleviated",
                "household_ref": "FQ-TP-0001",
                "head_name": "李桂兰",
            },
            {"household_kind": "monitored", "household_ref": "FQ-JC-0042", "village": "前吴村"},
        ],
    }
    fields.update(overrides)
    return fields


async def upload(
    client: httpx.AsyncClient,
    actor: Actor,
    supplier_id: Any,
    *,
    kind: str = "business_licence",
    content: bytes = PDF,
    filename: str = "licence.pdf",
    valid_until: str | None = None,
    **fields: Any,
) -> httpx.Response:
    data = {
        "kind": kind,
        "number": fields.pop("number", f"NO-{uuid.uuid4().hex[:8]}"),
        "issuer": fields.pop("issuer", "封丘县市场监督管理局"),
        "valid_until": valid_until or in_days(3 * 365),
        **fields,
    }
    return await client.post(
        f"/v1/suppliers/{supplier_id}/documents",
        data=data,
        files={"file": (filename, content, "application/pdf")},
        headers=actor.headers,
    )


async def draft(client: httpx.AsyncClient, supplier: Actor, **overrides: Any) -> dict[str, Any]:
    r = await client.post(
        "/v1/suppliers", json=application_fields(**overrides), headers=supplier.headers
    )
    assert r.status_code == 201, r.text
    return r.json()


async def act(
    client: httpx.AsyncClient, actor: Actor, supplier_id: Any, action: str, body: dict | None = None
) -> httpx.Response:
    return await client.post(
        f"/v1/suppliers/{supplier_id}/{action}", json=body or {}, headers=actor.headers
    )


async def submitted_supplier(
    client: httpx.AsyncClient,
    county: County,
    *,
    licence_valid_until: str | None = None,
    **overrides: Any,
) -> tuple[Actor, dict[str, Any]]:
    supplier = await new_org(client, county, "supplier")
    application = await draft(client, supplier, **overrides)
    r = await upload(client, supplier, supplier.org_id, valid_until=licence_valid_until)
    assert r.status_code == 201, r.text
    r = await act(client, supplier, supplier.org_id, "submit")
    assert r.status_code == 200, r.text
    return supplier, application


async def approved_supplier(client: httpx.AsyncClient, county: County, **kwargs: Any) -> Actor:
    supplier, _ = await submitted_supplier(client, county, **kwargs)
    for action in ("start-review", "approve"):
        r = await act(client, county.operator, supplier.org_id, action)
        assert r.status_code == 200, r.text
    return supplier


async def outbox_events(supplier_id: Any, event_type: str) -> list[tuple[dict, Any]]:
    """(payload, published_at) of this supplier's events of one type."""
    outbox = kernel.outbox
    async with sessionmaker_for(kernel)() as session:
        rows = (
            await session.execute(
                select(outbox.c.payload, outbox.c.published_at)
                .where(outbox.c.event_type == event_type)
                .order_by(outbox.c.seq)
            )
        ).all()
    return [(p, at) for p, at in rows if p["data"].get("supplier_id") == str(supplier_id)]
