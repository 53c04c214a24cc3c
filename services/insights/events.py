"""Events the insights service consumes: everything its figures are made of."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.readmodel import service
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("identity.region.created")
@handlers.on("identity.organisation.approved")
@handlers.on("identity.organisation.suspended")
async def on_organisation(session: AsyncSession, event: Event) -> None:
    await service.record_region(session, event)


@handlers.on("suppliers.supplier.approved")
@handlers.on("suppliers.supplier.suspended")
@handlers.on("suppliers.supplier.reinstated")
async def on_supplier(session: AsyncSession, event: Event) -> None:
    await service.record_supplier(session, event)


@handlers.on("suppliers.households.changed")
async def on_households_changed(session: AsyncSession, event: Event) -> None:
    await service.record_household_link(session, event)


@handlers.on("catalog.product.published")
@handlers.on("catalog.product.updated")
@handlers.on("catalog.product.delisted")
async def on_product(session: AsyncSession, event: Event) -> None:
    await service.record_product(session, event)


@handlers.on("repository.order.placed")
async def on_order_placed(session: AsyncSession, event: Event) -> None:
    await service.record_order_placed(session, event)


@handlers.on("repository.order.line_shortened")
async def on_line_shortened(session: AsyncSession, event: Event) -> None:
    await service.record_line_shortened(session, event)


@handlers.on("repository.order.cancelled")
async def on_order_cancelled(session: AsyncSession, event: Event) -> None:
    await service.record_order_cancelled(session, event)


@handlers.on("repository.order.closed")
async def on_order_closed(session: AsyncSession, event: Event) -> None:
    await service.record_order_closed(session, event)


@handlers.on("delivery.parcel.delivered")
async def on_parcel_delivered(session: AsyncSession, event: Event) -> None:
    await service.record_parcel_delivered(session, event)


@handlers.on("delivery.run.started")
@handlers.on("delivery.run.completed")
@handlers.on("delivery.run.cancelled")
async def on_run(session: AsyncSession, event: Event) -> None:
    await service.record_run(session, event)


@handlers.on("livestream.session.live")
@handlers.on("livestream.session.ended")
@handlers.on("livestream.session.cancelled")
async def on_stream_session(session: AsyncSession, event: Event) -> None:
    await service.record_stream_session(session, event)


@handlers.on("livestream.sale_line.recorded")
async def on_sale_line(session: AsyncSession, event: Event) -> None:
    await service.record_sale_line(session, event)


@handlers.on("livestream.sale_lines.recorded")
async def on_sale_lines(session: AsyncSession, event: Event) -> None:
    await service.record_sale_lines(session, event)
