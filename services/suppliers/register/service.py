"""The supplier register of a county, for the operator (exported as XLSX)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.applications.models import Supplier
from services.suppliers.applications.repository import SupplierRepository
from services.suppliers.documents.models import QualificationDocument
from services.suppliers.documents.repository import DocumentRepository
from services.suppliers.register.workbook import build_register
from shared.auth import Principal
from shared.auth.scope import ensure_operator_of


def register_row(supplier: Supplier, documents: list[QualificationDocument]) -> dict[str, Any]:
    dated = sorted((d for d in documents if d.valid_until), key=lambda d: d.valid_until or date.min)
    contact = supplier.contacts[0] if supplier.contacts else None
    return {
        "legal_name": supplier.legal_name,
        "display_name": supplier.display_name,
        "supplier_kind": supplier.supplier_kind,
        "status": supplier.status,
        "credit_code": supplier.credit_code,
        "id_number": supplier.id_number_masked,
        "legal_representative": supplier.legal_representative,
        "contact": f"{contact['name']} {contact['phone']}" if contact else None,
        "township": supplier.township,
        "village": supplier.village,
        "address": supplier.address,
        "products": "、".join(supplier.products),
        "capacity": "; ".join(
            f"{c['product']} {c['season']} {c['quantity']}{c['unit']}" for c in supplier.capacity
        ),
        "household_relation": supplier.household_relation,
        "household_count": len(supplier.households),
        "submitted_at": supplier.submitted_at,
        "approved_at": supplier.approved_at,
        "next_expiry": f"{dated[0].kind} {dated[0].valid_until}" if dated else None,
    }


async def export_register(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> bytes:
    ensure_operator_of(principal, region_id)
    suppliers = await SupplierRepository(session).all_in_region(region_id)
    documents: dict[uuid.UUID, list[QualificationDocument]] = defaultdict(list)
    for d in await DocumentRepository(session).of_suppliers(s.id for s in suppliers):
        documents[d.supplier_id].append(d)
    return build_register(register_row(s, documents[s.id]) for s in suppliers)
