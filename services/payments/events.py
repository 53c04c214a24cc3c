"""Events the payments service consumes."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents import service
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("repository.order.placed")
async def on_order_placed(session: AsyncSession, event: Event) -> None:
    await service.record_order(session, event)
