"""Read schemas built from models: what each audience may see of a supplier."""

from __future__ import annotations

from services.suppliers.applications import rules
from services.suppliers.applications.models import Supplier
from services.suppliers.applications.schemas import (
    HouseholdLink,
    PublicDocument,
    SupplierForOperator,
    SupplierProfile,
)
from services.suppliers.applications.schemas import (
    Supplier as SupplierView,
)
from services.suppliers.documents.models import QualificationDocument


def _common(supplier: Supplier) -> dict:
    return {
        "id": supplier.id,
        "region_id": supplier.region_id,
        "status": supplier.status,
        "supplier_kind": supplier.supplier_kind,
        "legal_name": supplier.legal_name,
        "display_name": supplier.display_name,
        "credit_code": supplier.credit_code,
        "id_number_masked": supplier.id_number_masked,
        "legal_representative": supplier.legal_representative,
        "contacts": supplier.contacts,
        "address": supplier.address,
        "township": supplier.township,
        "village": supplier.village,
        "products": supplier.products,
        "capacity": supplier.capacity,
        "makes_processed_food": supplier.makes_processed_food,
        "household_relation": supplier.household_relation,
        "supports_households": supplier.supports_households,
        "household_count": len(supplier.current_households),
        "description": supplier.description,
        "can_sell": supplier.can_sell,
        "status_reason": supplier.status_reason,
        "allowed_actions": rules.SUPPLIER_LIFECYCLE.allowed_actions(supplier.status),
        "submitted_at": supplier.submitted_at,
        "approved_at": supplier.approved_at,
        "created_at": supplier.created_at,
        "updated_at": supplier.updated_at,
    }


def for_supplier(supplier: Supplier) -> SupplierView:
    return SupplierView(**_common(supplier))


def for_operator(supplier: Supplier) -> SupplierForOperator:
    return SupplierForOperator(
        **_common(supplier),
        households=[HouseholdLink.model_validate(h) for h in supplier.current_households],
        reviewer_user_id=supplier.reviewer_user_id,
        review_started_at=supplier.review_started_at,
    )


def public(supplier: Supplier, documents: list[QualificationDocument]) -> SupplierProfile:
    return SupplierProfile(
        id=supplier.id,
        region_id=supplier.region_id,
        display_name=supplier.display_name or supplier.legal_name,
        legal_name=supplier.legal_name,
        supplier_kind=supplier.supplier_kind,
        township=supplier.township,
        village=supplier.village,
        products=supplier.products,
        capacity=supplier.capacity,
        supports_households=supplier.supports_households,
        can_sell=supplier.can_sell,
        description=supplier.description,
        qualifications=[
            PublicDocument(
                kind=d.kind, valid_until=d.valid_until.isoformat() if d.valid_until else None
            )
            for d in documents
        ],
    )
