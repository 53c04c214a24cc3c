"""Events catalog consumes: identity's organisations, suppliers' status, and its own products."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.search.indexer import sync_product
from services.catalog.suppliers.service import record_organisation, record_supplier
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("identity.organisation.approved")
@handlers.on("identity.organisation.suspended")
async def on_organisation(session: AsyncSession, event: Event) -> None:
    await record_organisation(session, event)


@handlers.on("suppliers.supplier.approved")
async def on_supplier_approved(session: AsyncSession, event: Event) -> None:
    await record_supplier(session, event, "active")


@handlers.on("suppliers.supplier.suspended")
async def on_supplier_suspended(session: AsyncSession, event: Event) -> None:
    await record_supplier(session, event, "suspended")


@handlers.on("suppliers.supplier.reinstated")
async def on_supplier_reinstated(session: AsyncSession, event: Event) -> None:
    await record_supplier(session, event, "active")


@handlers.on("catalog.product.published")
@handlers.on("catalog.product.updated")
@handlers.on("catalog.product.delisted")
async def on_own_product_change(session: AsyncSession, event: Event) -> None:
    """Catalog's own outbox feeds the search index (a failure retries the event)."""
    await sync_product(session, uuid.UUID(event.data["product_id"]))
