"""Fengqiu demo suppliers: applications with a business licence, reviewed and approved.

Called by `python -m gateway seed` (gateway/seed.py) through the public API; idempotent.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from services.suppliers.identifiers import org_code_check_char, uscc_check_char

# A tiny valid PDF: the demo's stand-in for a scanned licence.
DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

DEMO_SUPPLIERS: dict[str, dict[str, Any]] = {
    "supplier-honeysuckle": {
        "supplier_kind": "cooperative",
        "legal_name": "封丘县金银花种植专业合作社",
        "display_name": "金银花合作社",
        "org8": "MA3FQ001",
        "township": "应举镇",
        "village": "前吴村",
        "products": ["金银花", "金银花茶"],
        "household_relation": "buys_from_households",
        "households": [
            {
                "household_kind": "poverty_alleviated",
                "household_ref": "FQ-TP-0001",
                "head_name": "李桂兰",
            },
            {"household_kind": "monitored", "household_ref": "FQ-JC-0042", "village": "前吴村"},
        ],
    },
    "supplier-raspberry": {
        "supplier_kind": "enterprise",
        "legal_name": "封丘县树莓产业发展有限公司",
        "display_name": "封丘树莓",
        "org8": "MA3FQ002",
        "township": "城关镇",
        "village": "东街村",
        "products": ["鲜树莓", "树莓果酱"],
        "household_relation": "none",
    },
    "supplier-celery": {
        "supplier_kind": "family_farm",
        "legal_name": "封丘县黄河滩封芹家庭农场",
        "display_name": "黄河滩封芹",
        "org8": "MA3FQ003",
        "township": "荆乡回族乡",
        "village": "荆隆宫村",
        "products": ["封芹"],
        "household_relation": "is_household",
        "households": [
            {
                "household_kind": "poverty_alleviated",
                "household_ref": "FQ-TP-0107",
                "head_name": "张秀英",
            }
        ],
    },
    "supplier-goods": {
        "supplier_kind": "enterprise",
        "legal_name": "封丘县日用百货配送中心",
        "display_name": "百货配送中心",
        "org8": "MA3FQ004",
        "township": "城关镇",
        "village": "西关村",
        "products": ["食用油", "洗衣粉", "化肥"],
        "household_relation": "none",
    },
}


def demo_credit_code(org8: str) -> str:
    body = "93410727" + org8 + org_code_check_char(org8)
    return body + uscc_check_char(body)


def application(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "supplier_kind": spec["supplier_kind"],
        "legal_name": spec["legal_name"],
        "display_name": spec["display_name"],
        "credit_code": demo_credit_code(spec["org8"]),
        "legal_representative": "王建国",
        "contacts": [{"name": "王建国", "phone": "13837300001", "role": "负责人"}],
        "address": f"封丘县{spec['township']}{spec['village']}",
        "township": spec["township"],
        "village": spec["village"],
        "products": spec["products"],
        "household_relation": spec["household_relation"],
        "households": spec.get("households", []),
    }


async def load(client: httpx.AsyncClient, ctx: Any) -> None:
    operator = ctx.headers["operator"]
    for key, spec in DEMO_SUPPLIERS.items():
        headers = ctx.headers[key]
        supplier_id = ctx.orgs[key]
        r = await client.get(f"/v1/suppliers/{supplier_id}", headers=headers)
        if r.status_code == 404:
            r = await client.post("/v1/suppliers", json=application(spec), headers=headers)
            r.raise_for_status()
        status = r.json()["status"]
        if status == "draft":
            r = await client.patch(
                f"/v1/suppliers/{supplier_id}", json=application(spec), headers=headers
            )
            r.raise_for_status()
            documents = await client.get(f"/v1/suppliers/{supplier_id}/documents", headers=headers)
            documents.raise_for_status()
        if status == "draft" and not documents.json()["items"]:
            r = await client.post(
                f"/v1/suppliers/{supplier_id}/documents",
                data={
                    "kind": "business_licence",
                    "number": "91410727" + spec["org8"],
                    "issuer": "封丘县市场监督管理局",
                    "valid_until": (date.today() + timedelta(days=3 * 365)).isoformat(),
                },
                files={"file": ("licence.pdf", DEMO_PDF, "application/pdf")},
                headers=headers,
            )
            r.raise_for_status()
            (
                await client.post(f"/v1/suppliers/{supplier_id}/submit", json={}, headers=headers)
            ).raise_for_status()
            status = "submitted"
        if status == "submitted":
            r = await client.post(
                f"/v1/suppliers/{supplier_id}/start-review", json={}, headers=operator
            )
            r.raise_for_status()
            status = "under_review"
        if status == "under_review":
            r = await client.post(f"/v1/suppliers/{supplier_id}/approve", json={}, headers=operator)
            r.raise_for_status()
