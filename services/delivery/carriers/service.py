"""Carriers' parcels: registered in bulk, matched to village stations, carried on our runs."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.addresses import StationPlace, match_station
from services.delivery.carriers.lifecycle import REVIEW
from services.delivery.carriers.models import AddressReview
from services.delivery.carriers.repository import REVIEW_SORTS, CarrierRepository
from services.delivery.carriers.schemas import (
    CarrierBatch,
    CarrierReport,
    CarrierRow,
    ReviewAssign,
    ReviewOutcome,
    ReviewReturn,
)
from services.delivery.network.models import Stop
from services.delivery.runs.models import Parcel, ParcelEvent
from services.delivery.runs.service import route_for
from shared.auth.access import ensure_writable
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.pagination import Sort

EDIT_ROLES = ("owner", "admin", "dispatcher", "staff")
# the documented sort keys of the review queue (the repository keeps the columns)
REVIEW_SORT_FIELDS = tuple(REVIEW_SORTS)


def _carry(
    session: AsyncSession,
    *,
    region_id: uuid.UUID,
    carrier: str,
    tracking_number: str,
    stop: Stop,
    route_id: uuid.UUID,
    sequence: int,
    delivery_date: date,
    weight_g: int,
    volume_cm3: int,
) -> Parcel:
    """A carrier's parcel on our run to its station's stop."""
    parcel = Parcel(
        id=uuid.uuid4(),
        region_id=region_id,
        tracking_number=tracking_number,
        carrier=carrier,
        station_org_id=stop.station_org_id,
        stop_id=stop.id,
        route_id=route_id,
        stop_sequence=sequence,
        delivery_date=delivery_date,
        weight_g=weight_g,
        volume_cm3=volume_cm3,
        chilled=False,
    )
    session.add(parcel)
    session.add(ParcelEvent(parcel_id=parcel.id, to_status="registered", action="register"))
    return parcel


async def register_batch(
    session: AsyncSession, principal: Principal, body: CarrierBatch
) -> CarrierReport:
    """Each parcel goes to its matched station's route that day, or to the review queue."""
    ensure_operator_of(principal, body.region_id, EDIT_ROLES)
    stops = {
        stop.id: stop for stop in await CarrierRepository(session).station_stops(body.region_id)
    }
    places = [
        StationPlace(
            stop.id, stop.township or "", stop.village or stop.name, tuple(stop.aliases or ())
        )
        for stop in stops.values()
    ]
    known = await CarrierRepository(session).known_tracking_numbers(
        [p.tracking_number for p in body.parcels]
    )
    rows: list[CarrierRow] = []
    for item in body.parcels:
        if item.tracking_number in known:
            rows.append(CarrierRow(tracking_number=item.tracking_number, status="duplicate"))
            continue
        known.add(item.tracking_number)
        place = match_station(places, item.township, item.village, item.address)
        stop = stops[place.stop_id] if place else None
        placed = await route_for(session, stop, body.delivery_date) if stop else None
        if stop is None or placed is None:
            session.add(
                AddressReview(
                    region_id=body.region_id,
                    carrier=body.carrier,
                    delivery_date=body.delivery_date,
                    **item.model_dump(),
                )
            )
            rows.append(CarrierRow(tracking_number=item.tracking_number, status="review"))
            continue
        route, sequence = placed
        parcel = _carry(
            session,
            region_id=body.region_id,
            carrier=body.carrier,
            tracking_number=item.tracking_number,
            stop=stop,
            route_id=route.id,
            sequence=sequence,
            delivery_date=body.delivery_date,
            weight_g=item.weight_g,
            volume_cm3=item.volume_cm3,
        )
        rows.append(
            CarrierRow(
                tracking_number=item.tracking_number,
                status="matched",
                parcel_id=parcel.id,
                station_org_id=stop.station_org_id,
            )
        )
    await session.flush()
    matched = sum(row.status == "matched" for row in rows)
    review = sum(row.status == "review" for row in rows)
    return CarrierReport(matched=matched, review=review, rows=rows)


async def review_queue(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    *,
    status: str,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[AddressReview], str | None]:
    """The region's carrier parcels waiting for a person (or already resolved), operator only."""
    ensure_operator_of(principal, region_id)
    return await CarrierRepository(session).reviews_page(
        region_id, status=status, sort=sort, cursor=cursor, limit=limit
    )


async def _open_review(
    session: AsyncSession, principal: Principal, review_id: uuid.UUID
) -> AddressReview:
    review = await CarrierRepository(session).get_review(review_id, lock=True)
    if review is None:
        raise NotFound("No such parcel in review")
    # another county's parcel is a 404; a region member whose role may not resolve it, 403
    ensure_writable(
        principal,
        org_id=None,
        region_id=review.region_id,
        operator_roles=EDIT_ROLES,
        what="parcel in review",
    )
    if review.status != "open":
        raise Conflict(f"The parcel was already {review.status}", code="invalid-transition")
    return review


async def _resolve(
    session: AsyncSession, principal: Principal, review: AddressReview, action: str, why: str
) -> None:
    """Apply the review's transition from its table, recorded with who and why."""
    await REVIEW.apply(session, review, action, actor_id=principal.user_id, reason=why)
    review.resolution = why


async def assign_review(
    session: AsyncSession, principal: Principal, review_id: uuid.UUID, body: ReviewAssign
) -> ReviewOutcome:
    """A person reads the address and names the station: the parcel joins that stop's
    route on its day, and (by default) the village spelling is learnt for next time."""
    review = await _open_review(session, principal, review_id)
    stop = await CarrierRepository(session).get_stop(body.stop_id)
    if stop is None or stop.region_id != review.region_id or stop.station_org_id is None:
        raise RuleViolation(
            "No such village station stop in the region",
            errors=[FieldError("stop_id", "not a station stop of this region", "unknown")],
        )
    placed = await route_for(session, stop, review.delivery_date)
    if placed is None:
        raise RuleViolation(
            "No route serves that stop on the parcel's delivery date",
            errors=[FieldError("stop_id", "no route that day", "no_route")],
        )
    route, sequence = placed
    parcel = _carry(
        session,
        region_id=review.region_id,
        carrier=review.carrier,
        tracking_number=review.tracking_number,
        stop=stop,
        route_id=route.id,
        sequence=sequence,
        delivery_date=review.delivery_date,
        weight_g=review.weight_g,
        volume_cm3=review.volume_cm3,
    )
    spelling = (review.village or "").strip()
    if body.learn_alias and spelling and spelling not in (stop.aliases or []):
        stop.aliases = [*(stop.aliases or []), spelling]
    await _resolve(session, principal, review, "assign", f"stop {stop.id}")
    await session.flush()
    return ReviewOutcome(
        id=review.id,
        tracking_number=review.tracking_number,
        status=review.status,
        parcel_id=parcel.id,
        station_org_id=stop.station_org_id,
    )


async def return_review(
    session: AsyncSession, principal: Principal, review_id: uuid.UUID, body: ReviewReturn
) -> ReviewOutcome:
    """No station can be found: the parcel goes back to its carrier."""
    review = await _open_review(session, principal, review_id)
    await _resolve(session, principal, review, "return", body.reason)
    await session.flush()
    return ReviewOutcome(id=review.id, tracking_number=review.tracking_number, status="returned")
