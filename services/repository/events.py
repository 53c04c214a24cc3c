"""Events the repository consumes: organisations, suppliers, catalog products, delivery
routes and parcels, and payments' decisions on orders."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.consignment import service as consignment
from services.repository.directory import service as directory
from services.repository.orders import service as orders
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("identity.region.created")
async def on_region(session: AsyncSession, event: Event) -> None:
    await directory.record_region(session, event)


@handlers.on("identity.organisation.approved")
@handlers.on("identity.organisation.suspended")
async def on_organisation(session: AsyncSession, event: Event) -> None:
    await directory.record_organisation(session, event)


@handlers.on("suppliers.supplier.approved")
@handlers.on("suppliers.supplier.reinstated")
async def on_supplier_active(session: AsyncSession, event: Event) -> None:
    await directory.record_supplier(session, event, "active")


@handlers.on("suppliers.supplier.suspended")
async def on_supplier_suspended(session: AsyncSession, event: Event) -> None:
    await directory.record_supplier(session, event, "suspended")


@handlers.on("catalog.product.published")
@handlers.on("catalog.product.updated")
async def on_product(session: AsyncSession, event: Event) -> None:
    await directory.record_product(session, event)


@handlers.on("catalog.product.delisted")
async def on_product_delisted(session: AsyncSession, event: Event) -> None:
    await directory.record_product_delisted(session, event)


@handlers.on("delivery.route.published")
async def on_route(session: AsyncSession, event: Event) -> None:
    await directory.record_route(session, event)


@handlers.on("payments.payment.succeeded")
@handlers.on("payments.order.accepted_on_credit")
async def on_order_paid(session: AsyncSession, event: Event) -> None:
    await orders.confirm_after_payment(session, event)


@handlers.on("payments.payment.failed")
async def on_payment_failed(session: AsyncSession, event: Event) -> None:
    await orders.cancel_after_failed_payment(session, event)


@handlers.on("delivery.parcel.delivered")
async def on_parcel_delivered(session: AsyncSession, event: Event) -> None:
    await orders.record_parcel_delivered(session, event)


@handlers.on("livestream.consignment.returned")
async def on_consignment_returned(session: AsyncSession, event: Event) -> None:
    """Goods back from the livestream base: to a warehouse, into its stock again."""
    await consignment.record_return(session, event)
