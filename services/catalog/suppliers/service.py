"""The supplier read model, and what follows when a supplier may or may no longer sell."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.listing import refresh_listing
from services.catalog.problems import SUPPLIER_NOT_SELLABLE
from services.catalog.products.repository import ProductRepository
from services.catalog.suppliers.models import CatalogSupplier
from services.catalog.suppliers.repository import SupplierRepository
from shared.auth.access import acting_membership
from shared.auth.principal import Principal
from shared.errors import Conflict
from shared.events import Event


async def supplier_for_caller(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID | None
) -> CatalogSupplier:
    """The supplier organisation the caller acts for (known from its signed token).

    identity's approval event may not have reached catalog yet: the token's membership
    (an active supplier organisation) is enough to start the read model.
    """
    membership = acting_membership(principal, supplier_id, kinds=("supplier",))
    repo = SupplierRepository(session)
    supplier = await repo.get(membership.org_id)
    if supplier is None:
        supplier = await repo.ensure(membership.org_id, membership.region_id)
    if not supplier.sellable:
        raise Conflict("The supplier is suspended", code=SUPPLIER_NOT_SELLABLE)
    return supplier


async def _relist(session: AsyncSession, supplier_id: uuid.UUID, reason: str) -> None:
    for product in await ProductRepository(session).of_supplier(supplier_id, lock=True):
        await refresh_listing(session, product, reason=reason)


async def record_organisation(session: AsyncSession, event: Event) -> None:
    """identity.organisation.*: a supplier organisation's name and platform status."""
    data = event.data
    if data.get("kind") != "supplier":
        return
    repo = SupplierRepository(session)
    org_id = uuid.UUID(data["organisation_id"])
    supplier = await repo.ensure(org_id, uuid.UUID(data["region_id"]), lock=True)
    supplier.name = data.get("name") or supplier.name
    status = data.get("status") or ""
    supplier.organisation_status = "active" if status in ("approved", "active") else status
    await session.flush()
    await _relist(session, org_id, reason=f"organisation_{status}")


async def record_supplier(session: AsyncSession, event: Event, status: str) -> None:
    """suppliers.supplier.approved / suspended / reinstated."""
    data = event.data
    repo = SupplierRepository(session)
    org_id = uuid.UUID(data["supplier_id"])
    supplier = await repo.ensure(org_id, uuid.UUID(data["region_id"]), lock=True)
    supplier.name = data.get("legal_name") or supplier.name
    supplier.display_name = data.get("display_name") or supplier.display_name
    supplier.township = data.get("township") or supplier.township
    supplier.supplier_status = status
    supplier.suspension_reason = data.get("reason") if status == "suspended" else None
    await session.flush()
    await _relist(session, org_id, reason=f"supplier_{status}")
