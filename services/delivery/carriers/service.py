"""Carriers' parcels: registered in bulk, matched to village stations, carried on our runs."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.addresses import StationPlace, match_station
from services.delivery.carriers import repository
from services.delivery.carriers.models import AddressReview
from services.delivery.carriers.schemas import CarrierBatch, CarrierReport, CarrierRow
from services.delivery.runs.models import Parcel, ParcelEvent
from services.delivery.runs.service import route_for
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of

EDIT_ROLES = ("owner", "admin", "dispatcher", "staff")


async def register_batch(
    session: AsyncSession, principal: Principal, body: CarrierBatch
) -> CarrierReport:
    """Each parcel goes to its matched station's route that day, or to the review queue."""
    ensure_operator_of(principal, body.region_id, EDIT_ROLES)
    stops = {stop.id: stop for stop in await repository.station_stops(session, body.region_id)}
    places = [
        StationPlace(
            stop.id, stop.township or "", stop.village or stop.name, tuple(stop.aliases or ())
        )
        for stop in stops.values()
    ]
    known = await repository.known_tracking_numbers(
        session, [p.tracking_number for p in body.parcels]
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
        parcel = Parcel(
            id=uuid.uuid4(),
            region_id=body.region_id,
            tracking_number=item.tracking_number,
            carrier=body.carrier,
            station_org_id=stop.station_org_id,
            stop_id=stop.id,
            route_id=route.id,
            stop_sequence=sequence,
            delivery_date=body.delivery_date,
            weight_g=item.weight_g,
            volume_cm3=item.volume_cm3,
            chilled=False,
        )
        session.add(parcel)
        session.add(ParcelEvent(parcel_id=parcel.id, to_status="registered", action="register"))
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
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> list[AddressReview]:
    ensure_operator_of(principal, region_id)
    return await repository.open_reviews(session, region_id)
