"""Events the identity service consumes."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.notifications.service import notify_operators_of_application
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("identity.organisation.signed_up")
async def on_signed_up(session: AsyncSession, event: Event) -> None:
    await notify_operators_of_application(session, event)
