"""Events the suppliers service consumes: identity's organisation lifecycle."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.applications.service import suspend_for_organisation
from services.suppliers.organisations.service import record_organisation
from shared.events import Event, EventHandlers

handlers = EventHandlers()


@handlers.on("identity.organisation.signed_up")
@handlers.on("identity.organisation.approved")
@handlers.on("identity.organisation.rejected")
async def on_organisation_changed(session: AsyncSession, event: Event) -> None:
    await record_organisation(session, event)


@handlers.on("identity.organisation.suspended")
async def on_organisation_suspended(session: AsyncSession, event: Event) -> None:
    if await record_organisation(session, event) is not None:
        await suspend_for_organisation(
            session, uuid.UUID(event.data["organisation_id"]), event.data.get("reason")
        )
