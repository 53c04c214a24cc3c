"""Events the payments service consumes."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.commissions import service as commissions
from services.payments.intents import service
from services.payments.receipts import service as receipts
from services.payments.regions import service as regions
from services.payments.settlement import service as settlement
from services.payments.statements import service as statements
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("repository.order.placed")
async def on_order_placed(session: AsyncSession, event: Event) -> None:
    await service.record_order(session, event)
    await settlement.after_order_placed(session, uuid.UUID(str(event.data["order_id"])))


@handlers.on("repository.order.line_shortened")
async def on_line_shortened(session: AsyncSession, event: Event) -> None:
    await settlement.on_line_shortened(session, event)


@handlers.on("repository.order.cancelled")
async def on_order_cancelled(session: AsyncSession, event: Event) -> None:
    await settlement.on_order_cancelled(session, event)
    await service.cancel_for_order(
        session,
        uuid.UUID(str(event.data["order_id"])),
        f"order cancelled: {event.data.get('reason') or 'unknown'}",
    )


@handlers.on("delivery.cod.collected")
async def on_cod_collected(session: AsyncSession, event: Event) -> None:
    await settlement.on_cod_collected(session, event)


@handlers.on("delivery.parcel.delivered")
async def on_parcel_delivered(session: AsyncSession, event: Event) -> None:
    await settlement.on_parcel_delivered(session, event)


@handlers.on("repository.order.closed")
async def on_order_closed(session: AsyncSession, event: Event) -> None:
    await settlement.on_order_closed(session, event)


@handlers.on("repository.buyer.credit_terms_set")
async def on_credit_terms_set(session: AsyncSession, event: Event) -> None:
    await settlement.on_credit_terms_set(session, event)


@handlers.on("repository.purchase_order.received")
async def on_purchase_order_received(session: AsyncSession, event: Event) -> None:
    await receipts.record_goods_received(session, event)


@handlers.on("identity.region.created")
@handlers.on("identity.organisation.approved")
@handlers.on("identity.organisation.suspended")
async def on_region_news(session: AsyncSession, event: Event) -> None:
    await regions.record_region(session, event)


@handlers.on("livestream.statement.approved")
async def on_statement_approved(session: AsyncSession, event: Event) -> None:
    await commissions.on_statement_approved(session, event)


@handlers.on("livestream.consignment.payable")
async def on_consignment_payable(session: AsyncSession, event: Event) -> None:
    await statements.record_consignment_payable(session, event)
