"""Livestream samples' parcels: `livestream.sample.shipped` makes one per sample (the
supplier's carrier and tracking number), the supplier and the streamer follow it, and the
carrier's status update delivers it (`delivery.parcel.delivered`, with the reference)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.planning import new_tracking_number
from services.delivery.samples import schemas
from services.delivery.samples.lifecycle import SAMPLE_PARCEL
from services.delivery.samples.models import SampleParcel
from services.delivery.samples.repository import SampleParcelRepository
from shared.auth.access import may_read
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Forbidden, NotFound
from shared.events import Event, publish
from shared.state_machine import status_history

SOURCE = "livestream_sample"
# the base's operator enters the carrier's update (the same roles as carriers' parcels)
EDIT_ROLES = ("owner", "admin", "dispatcher", "staff")


def _uuid(value: object) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


async def register_sample(session: AsyncSession, event: Event) -> uuid.UUID | None:
    """livestream.sample.shipped: the sample's parcel, once per sample (a replay, or the
    same sample shipped again, makes none). The new parcel's id, or None."""
    data = event.data
    sample_id = _uuid(data.get("sample_id"))
    supplier_id = _uuid(data.get("supplier_id"))
    streamer_id = _uuid(data.get("streamer_id"))
    if sample_id is None or supplier_id is None or streamer_id is None or event.region_id is None:
        return None
    shipped = data.get("shipped_at")
    return await SampleParcelRepository(session).add_once(
        {
            "id": uuid.uuid4(),
            "region_id": event.region_id,
            "source": SOURCE,
            "reference_id": sample_id,
            "sender_org_id": supplier_id,
            "recipient_org_id": streamer_id,
            "product_id": _uuid(data.get("product_id")),
            # the supplier's carrier carries it; without its number delivery issues one
            "carrier": data.get("carrier") or "supplier",
            "tracking_number": data.get("tracking_number") or new_tracking_number(),
            "status": "in_transit",
            "shipped_at": datetime.fromisoformat(shipped) if shipped else event.occurred_at,
        }
    )


def _may_see(principal: Principal, parcel: SampleParcel) -> bool:
    return any(
        may_read(principal, org_id=org, region_id=parcel.region_id)
        for org in (parcel.sender_org_id, parcel.recipient_org_id)
    )


async def _visible(
    session: AsyncSession, principal: Principal, parcel: SampleParcel | None
) -> SampleParcel:
    if parcel is None or not _may_see(principal, parcel):
        raise NotFound("No such sample parcel")
    return parcel


async def _read(session: AsyncSession, parcel: SampleParcel) -> schemas.SampleParcel:
    """The parcel with its tracking history (every status change, who and why)."""
    history = await status_history(session, SAMPLE_PARCEL, parcel.id)
    return schemas.SampleParcel.model_validate(parcel).model_copy(
        update={
            "history": [
                schemas.SampleParcelHistoryEntry(
                    from_status=change.from_state,
                    to_status=change.to_state,
                    action=change.action,
                    reason=change.reason,
                    at=change.at,
                )
                for change in history
            ]
        }
    )


async def get_parcel(
    session: AsyncSession, principal: Principal, parcel_id: uuid.UUID
) -> schemas.SampleParcel:
    """The supplier, the streamer and the region's operator see it; anyone else gets 404."""
    parcel = await _visible(
        session, principal, await SampleParcelRepository(session).get(parcel_id)
    )
    return await _read(session, parcel)


async def parcel_of_sample(
    session: AsyncSession, principal: Principal, sample_id: uuid.UUID
) -> schemas.SampleParcel:
    repo = SampleParcelRepository(session)
    parcel = await _visible(session, principal, await repo.by_reference(SOURCE, sample_id))
    return await _read(session, parcel)


async def carrier_update(
    session: AsyncSession,
    principal: Principal,
    parcel_id: uuid.UUID,
    body: schemas.SampleParcelStatusUpdate,
) -> schemas.SampleParcel:
    """The carrier's status update: delivered to the streamer at the base, or returned to
    the supplier. Delivered publishes `delivery.parcel.delivered` with the reference."""
    parcel = await _visible(
        session, principal, await SampleParcelRepository(session).get(parcel_id, lock=True)
    )
    if not (principal.platform_admin or principal.is_operator_of(parcel.region_id, EDIT_ROLES)):
        # the supplier and the streamer follow it; the carrier's update is the operator's
        raise Forbidden("Only the base's operator enters the carrier's status update")
    action = "deliver" if body.status == "delivered" else "return"
    await SAMPLE_PARCEL.apply(
        session, parcel, action, actor_id=principal.user_id, reason=body.reason
    )
    if action == "deliver":
        parcel.delivered_at = utcnow()
        parcel.recipient_name = body.recipient_name
        await publish(
            session,
            "delivery.parcel.delivered",
            {
                "parcel_id": str(parcel.id),
                "order_id": None,
                "station_org_id": None,
                "delivered_at": parcel.delivered_at.isoformat(),
                "run_id": None,
                "dispatched_at": None,
                "carrier": parcel.carrier,
                "township": None,
                "source": parcel.source,
                "reference_id": str(parcel.reference_id),
                "recipient_org_id": str(parcel.recipient_org_id),
                "tracking_number": parcel.tracking_number,
            },
            region_id=parcel.region_id,
        )
    await session.flush()
    return await _read(session, parcel)
