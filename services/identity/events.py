"""Events the identity service consumes: sign-ups and supplier approval (organisations), and
what a supplier must hear about in its notification inbox (suppliers' and catalog's events)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.notifications.service import (
    notify_operators_of_application,
    notify_supplier,
)
from services.identity.organisations.repository import OrganisationRepository
from services.identity.organisations.service import (
    ORGANISATION_LIFECYCLE,
    _record,
    organisation_event_data,
)
from shared.events import Event, EventHandlers, publish

handlers = EventHandlers()


@handlers.on("identity.organisation.signed_up")
async def on_signed_up(session: AsyncSession, event: Event) -> None:
    await notify_operators_of_application(session, event)


@handlers.on("suppliers.supplier.approved")
async def on_supplier_approved(session: AsyncSession, event: Event) -> None:
    """One onboarding path: the operator's approval of the supplier application approves the
    organisation that signed up (pending, or rejected before), recorded and published as any
    approval; a suspended organisation stays suspended (identity reinstates it itself)."""
    org_id = uuid.UUID(event.data["supplier_id"])
    org = await OrganisationRepository(session).get(org_id, for_update=True)
    if org is not None and org.kind == "supplier" and org.status in ("pending", "rejected"):
        src = org.status
        # the reviewer is in suppliers' history; here the approval follows the event
        reason = "supplier application approved"
        await ORGANISATION_LIFECYCLE.apply(session, org, "approve", actor_id=None, reason=reason)
        await _record(session, org, src, "approve", None, reason)
        await publish(
            session,
            "identity.organisation.approved",
            await organisation_event_data(session, org, action="approve", reason=reason),
            region_id=org.region_id,
        )
    await notify_supplier(session, event)


@handlers.on("suppliers.supplier.suspended")
@handlers.on("suppliers.supplier.reinstated")
@handlers.on("suppliers.document.expiry_warning")
@handlers.on("catalog.licence.status_changed")
@handlers.on("catalog.certificate.expiring")
@handlers.on("catalog.certificate.lapsed")
async def on_supplier_notice(session: AsyncSession, event: Event) -> None:
    await notify_supplier(session, event)
