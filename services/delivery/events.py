"""Events the delivery service consumes: orders ready for delivery, livestream samples
shipped (their parcels), regions' time zones."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.regions.service import record_region
from services.delivery.runs.service import register_order
from services.delivery.samples.service import register_sample
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("repository.order.ready_for_delivery")
async def on_order_ready(session: AsyncSession, event: Event) -> None:
    await register_order(session, event)


@handlers.on("livestream.sample.shipped")
async def on_sample_shipped(session: AsyncSession, event: Event) -> None:
    """A supplier shipped a livestream sample: its parcel, once per sample."""
    await register_sample(session, event)


@handlers.on("identity.region.created")
@handlers.on("identity.organisation.approved")
@handlers.on("identity.organisation.suspended")
async def on_organisation(session: AsyncSession, event: Event) -> None:
    await record_region(session, event)
