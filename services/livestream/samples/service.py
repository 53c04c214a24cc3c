"""Sample requests: thresholds and automatic approval, the monthly quota, one open request
per product and streamer, the supplier's decision within 7 days, shipment, receipt and the
14-day window to feature the product live."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream import lifecycle
from services.livestream.access import ensure_may_change, ensure_operator, ensure_readable_by_any
from services.livestream.directory.service import timezone_of
from services.livestream.pool.repository import PoolRepository
from services.livestream.problems import NOT_IN_POOL, SAMPLE_OPEN, SAMPLE_THRESHOLD
from services.livestream.samples import rules
from services.livestream.samples.models import SampleRequest
from services.livestream.samples.repository import SORTS, SampleRepository
from services.livestream.samples.schemas import QuotaBandsWrite, SampleCreate, SampleShipment
from services.livestream.streamers.repository import StreamerRepository
from shared.auth import acting_membership
from shared.auth.principal import Principal
from shared.db import sqlstate_of, utcnow
from shared.errors import Conflict, Forbidden, NotFound, RuleViolation
from shared.events import Event, publish
from shared.pagination import ListQuery

SAMPLE_SORT_FIELDS = tuple(SORTS)


async def _publish(session: AsyncSession, sample: SampleRequest, **extra: Any) -> None:
    await publish(
        session,
        f"livestream.sample.{sample.status}",
        {
            "sample_id": str(sample.id),
            "pool_entry_id": str(sample.pool_entry_id),
            "product_id": str(sample.product_id),
            "supplier_id": str(sample.supplier_id),
            "streamer_id": str(sample.streamer_id),
            "status": sample.status,
            "carrier": sample.carrier,
            "tracking_number": sample.tracking_number,
            "return_required": sample.return_required,
            **extra,
        },
        region_id=sample.region_id,
    )


async def _bands(session: AsyncSession, region_id: uuid.UUID) -> list[tuple[int, int]]:
    found = await SampleRepository(session).bands(region_id)
    if found is None:
        return list(rules.DEFAULT_BANDS)
    return [(int(a), int(b)) for a, b in found.bands]


async def request_sample(
    session: AsyncSession, principal: Principal, body: SampleCreate
) -> SampleRequest:
    me = acting_membership(principal, kinds=["streamer"])
    # the streamer's row is the quota's lock: one request of this streamer counts at a time
    streamer = await StreamerRepository(session).get(me.org_id, lock=True)
    if streamer is None:
        raise RuleViolation("Set up your streamer profile first")
    entry = await PoolRepository(session).get(body.pool_entry_id)
    if entry is None or entry.region_id != streamer.region_id:
        raise NotFound("No such pool entry")
    if entry.status != "active":
        raise RuleViolation("The product is not in the pool now", code=NOT_IN_POOL)
    now = utcnow()
    timezone = await timezone_of(session, entry.region_id)
    start, end = rules.local_month(now, timezone)
    repo = SampleRepository(session)
    quota = rules.monthly_quota(streamer.gmv_30d_fen, await _bands(session, entry.region_id))
    used = await repo.counted_in(streamer.id, start, end)
    if used >= quota:
        raise Conflict(
            f"This month's sample quota ({quota}) is used up",
            code=SAMPLE_THRESHOLD,
            extra={"quota": quota, "used": used},
        )
    sample = SampleRequest(
        region_id=entry.region_id,
        pool_entry_id=entry.id,
        product_id=entry.product_id,
        supplier_id=entry.supplier_id,
        streamer_id=streamer.id,
        requested_at=now,
        decide_by=now + rules.DECISION_WINDOW,
        return_required=entry.sample_return_required,
        note=body.note,
    )
    try:
        async with session.begin_nested():
            await repo.add(sample)
    except IntegrityError as exc:
        if sqlstate_of(exc) != "23505":
            raise
        raise Conflict(
            "You have an open sample request for this product", code=SAMPLE_OPEN
        ) from None
    await lifecycle.created(
        session,
        lifecycle.SAMPLE,
        sample.id,
        "requested",
        "request",
        actor_id=principal.user_id,
    )
    await _publish(session, sample)
    thresholds = rules.Thresholds(
        entry.sample_min_followers, entry.sample_min_gmv_30d_fen, entry.sample_min_level
    )
    if rules.meets(thresholds, streamer.followers, streamer.gmv_30d_fen, streamer.level):
        sample.auto_approved = True
        await lifecycle.apply(
            session,
            lifecycle.SAMPLE,
            sample,
            "approve",
            actor_id=None,
            reason="meets the thresholds",
        )
        await _publish(session, sample, decided_by="rule")
    return sample


async def _get(
    session: AsyncSession, principal: Principal, sample_id: uuid.UUID, *, lock: bool = False
) -> SampleRequest:
    sample = await SampleRepository(session).get(sample_id, lock=lock)
    if sample is None:
        raise NotFound("No such sample request")
    ensure_readable_by_any(
        principal,
        org_ids=[sample.streamer_id, sample.supplier_id],
        region_id=sample.region_id,
        what="sample request",
    )
    return sample


async def get_sample(
    session: AsyncSession, principal: Principal, sample_id: uuid.UUID
) -> SampleRequest:
    return await _get(session, principal, sample_id)


async def list_samples(
    session: AsyncSession, principal: Principal, status: str | None, query: ListQuery
) -> tuple[list[SampleRequest], str | None]:
    repo = SampleRepository(session)
    return await repo.page(repo.readable(principal), query, status=status)


async def supplier_action(
    session: AsyncSession,
    principal: Principal,
    sample_id: uuid.UUID,
    action: str,
    reason: str | None = None,
    shipment: SampleShipment | None = None,
) -> SampleRequest:
    sample = await _get(session, principal, sample_id, lock=True)
    ensure_may_change(
        principal, org_id=sample.supplier_id, region_id=sample.region_id, what="sample request"
    )
    await lifecycle.apply(
        session, lifecycle.SAMPLE, sample, action, actor_id=principal.user_id, reason=reason
    )
    if shipment is not None:
        sample.carrier = shipment.carrier
        sample.tracking_number = shipment.tracking_number
        sample.shipped_at = utcnow()
    await _publish(
        session, sample, decided_by="supplier" if action in ("approve", "reject") else None
    )
    return sample


async def streamer_action(
    session: AsyncSession, principal: Principal, sample_id: uuid.UUID, action: str
) -> SampleRequest:
    sample = await _get(session, principal, sample_id, lock=True)
    if sample.streamer_id not in principal.org_ids(["streamer"]):
        raise Forbidden("Only the streamer who asked for the sample can do this")
    if action == "return" and not sample.return_required:
        raise RuleViolation("This sample is the streamer's to keep")
    await lifecycle.apply(session, lifecycle.SAMPLE, sample, action, actor_id=principal.user_id)
    if action == "receive":
        sample.received_at = utcnow()
        sample.feature_by = sample.received_at + rules.FEATURE_WINDOW
    await _publish(session, sample)
    return sample


async def record_parcel_delivered(session: AsyncSession, event: Event) -> None:
    """delivery.parcel.delivered for a sample's parcel: the sample is received (once; a
    sample the streamer already confirmed with `/receive` stays as it is)."""
    if event.data.get("source") != "livestream_sample" or not event.data.get("reference_id"):
        return  # an order's or a carrier's parcel
    sample = await SampleRepository(session).get(
        uuid.UUID(str(event.data["reference_id"])), lock=True
    )
    if sample is None or sample.status != "shipped":
        return
    await lifecycle.apply(
        session,
        lifecycle.SAMPLE,
        sample,
        "receive",
        actor_id=None,
        reason=f"delivered by {event.data.get('carrier') or 'carrier'}",
    )
    delivered_at = event.data.get("delivered_at")
    sample.received_at = datetime.fromisoformat(delivered_at) if delivered_at else utcnow()
    sample.feature_by = sample.received_at + rules.FEATURE_WINDOW
    await _publish(session, sample)


async def feature_samples(
    session: AsyncSession,
    streamer_id: uuid.UUID,
    product_ids: list[uuid.UUID],
    session_id: uuid.UUID,
) -> None:
    """A session going live features every received sample of its lineup's products."""
    for sample in await SampleRepository(session).awaiting_feature(streamer_id, product_ids):
        await lifecycle.apply(
            session,
            lifecycle.SAMPLE,
            sample,
            "feature",
            actor_id=None,
            reason="featured live",
            data={"session_id": str(session_id)},
        )
        sample.featured_session_id = session_id
        await _publish(session, sample, session_id=str(session_id))


async def expire_requests(
    session: AsyncSession, as_of: datetime | None = None, region_id: uuid.UUID | None = None
) -> int:
    """Job: requests the supplier left undecided for 7 days expire."""
    as_of = as_of or utcnow()
    due = await SampleRepository(session).due_for_decision(as_of, region_id)
    for sample in due:
        await lifecycle.apply(
            session,
            lifecycle.SAMPLE,
            sample,
            "expire",
            actor_id=None,
            reason="no decision in 7 days",
        )
        await _publish(session, sample)
    return len(due)


async def mark_overdue(
    session: AsyncSession, as_of: datetime | None = None, region_id: uuid.UUID | None = None
) -> int:
    """Job: samples received 14 days ago and not featured live are overdue on the record."""
    as_of = as_of or utcnow()
    due = await SampleRepository(session).due_for_feature(as_of, region_id)
    streamers = StreamerRepository(session)
    for sample in due:
        await lifecycle.apply(
            session,
            lifecycle.SAMPLE,
            sample,
            "overdue",
            actor_id=None,
            reason="not featured within 14 days of receipt",
        )
        streamer = await streamers.get(sample.streamer_id, lock=True)
        if streamer is not None:
            streamer.overdue_samples += 1
        await _publish(session, sample)
    return len(due)


async def set_bands(
    session: AsyncSession, principal: Principal, body: QuotaBandsWrite
) -> list[list[int]]:
    ensure_operator(principal, body.region_id)
    bands = sorted([b.min_gmv_30d_fen, b.monthly_quota] for b in body.bands)
    await SampleRepository(session).save_bands(body.region_id, bands, principal.user_id)
    return bands


async def get_bands(session: AsyncSession, region_id: uuid.UUID) -> list[tuple[int, int]]:
    return await _bands(session, region_id)
