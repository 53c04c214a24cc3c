"""Events the livestream service consumes: identity's regions and organisations, suppliers'
standing, catalog's products (on sale, brand licence, certificates), and its own pool
changes (which feed its search index), payments' commission payouts (statements paid) and
delivery's parcels (a sample's parcel delivered: the sample is received)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.consignment.service import (
    record_sale_line,
    record_sale_lines,
    record_transfer,
)
from services.livestream.directory.service import (
    record_organisation,
    record_product,
    record_region,
    record_supplier,
)
from services.livestream.pool.service import (
    ENTRY_CHANGED,
    reconcile_product,
    reconcile_supplier,
    sync_index,
)
from services.livestream.samples.service import record_parcel_delivered
from services.livestream.statements.service import record_payout
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("identity.region.created")
async def on_region(session: AsyncSession, event: Event) -> None:
    await record_region(session, event)


@handlers.on("identity.organisation.approved")
@handlers.on("identity.organisation.suspended")
async def on_organisation(session: AsyncSession, event: Event) -> None:
    await record_organisation(session, event)


@handlers.on("suppliers.supplier.approved")
@handlers.on("suppliers.supplier.reinstated")
@handlers.on("suppliers.supplier.suspended")
async def on_supplier(session: AsyncSession, event: Event) -> None:
    status = "suspended" if event.type.endswith("suspended") else "active"
    await record_supplier(session, event, status)
    await reconcile_supplier(session, uuid.UUID(event.data["supplier_id"]), event.type)


@handlers.on("catalog.product.published")
@handlers.on("catalog.product.updated")
@handlers.on("catalog.product.delisted")
async def on_product(session: AsyncSession, event: Event) -> None:
    """A product off sale, or without a valid brand licence (brand null), leaves the pool."""
    product_id = await record_product(session, event)
    await reconcile_product(session, product_id, event.type)


@handlers.on(ENTRY_CHANGED)
async def on_pool_entry(session: AsyncSession, event: Event) -> None:
    await sync_index(session, event)


@handlers.on("payments.commission_payout.paid")
async def on_payout_paid(session: AsyncSession, event: Event) -> None:
    """payments paid a commission statement's bank batch: the statement is paid."""
    await record_payout(session, event)


@handlers.on("delivery.parcel.delivered")
async def on_parcel_delivered(session: AsyncSession, event: Event) -> None:
    """A sample's parcel reached the base: the sample is received (other parcels: nothing)."""
    await record_parcel_delivered(session, event)


@handlers.on("repository.consignment.transferred")
async def on_consignment_transferred(session: AsyncSession, event: Event) -> None:
    """Goods from a county warehouse arrive at the base: received, still the supplier's."""
    await record_transfer(session, event)


@handlers.on("livestream.sale_line.recorded")
async def on_sale_line(session: AsyncSession, event: Event) -> None:
    """A platform sale of consigned goods takes them from on hand and makes the payable."""
    await record_sale_line(session, event)


@handlers.on("livestream.sale_lines.recorded")
async def on_sale_lines(session: AsyncSession, event: Event) -> None:
    """An import's new lines, as many `livestream.sale_line.recorded` in one."""
    await record_sale_lines(session, event)
