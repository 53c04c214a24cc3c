"""Read models fed by other services' events, and the rules built on them: a region's
order window settings and the delivery date a buyer's route gives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.buyers.models import BUYER_KINDS, BuyerAccount, BuyerTerms
from services.repository.buyers.repository import BuyerRepository
from services.repository.directory.models import (
    CatalogVariant,
    KnownSupplier,
    Region,
    RegionRules,
    RouteSchedule,
    RouteStopRef,
)
from services.repository.directory.repository import DirectoryRepository
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of
from shared.errors import NotFound
from shared.events import Event

ACTIVE_STATUSES = ("approved", "active")


def _valid_timezone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


# ------------------------------------------------------------------ identity


async def record_region(session: AsyncSession, event: Event) -> None:
    """identity.region.created: the county's time zone, before any of its organisations."""
    data = event.data
    await DirectoryRepository(session).ensure_region(
        uuid.UUID(str(data["region_id"])),
        code=data.get("code"),
        name=data.get("name"),
        timezone=_valid_timezone(data.get("timezone")),
    )


async def record_organisation(session: AsyncSession, event: Event) -> None:
    """identity.organisation.approved / suspended: the region, and buyers' and suppliers'
    standing on the platform."""
    data = event.data
    region_id = uuid.UUID(str(data["region_id"]))
    await DirectoryRepository(session).ensure_region(
        region_id,
        code=data.get("region_code"),
        name=data.get("region_name"),
        timezone=_valid_timezone(data.get("timezone")),
    )
    org_id = uuid.UUID(str(data["organisation_id"]))
    status = "active" if data.get("status") in ACTIVE_STATUSES else str(data.get("status"))
    kind = data.get("kind")
    if kind in BUYER_KINDS:
        await _record_buyer_organisation(session, org_id, region_id, kind, data, status)
    elif kind == "supplier":
        supplier = await _known_supplier(session, org_id, region_id)
        supplier.name = data.get("name") or supplier.name
        supplier.organisation_status = status
    await session.flush()


async def _record_buyer_organisation(
    session: AsyncSession,
    org_id: uuid.UUID,
    region_id: uuid.UUID,
    kind: str,
    data: dict,
    status: str,
) -> None:
    account = await BuyerRepository(session).ensure(org_id, region_id, kind, lock=True)
    if kind == "station" and account.stop_id is None:
        # A station is served at its own stop: learn it if delivery told us already.
        served = await DirectoryRepository(session).route_serving(
            stop_id=None, station_org_id=org_id
        )
        if served is not None:
            account.stop_id = served.stop_id
            account.station_org_id = org_id
    account.name = data.get("name") or account.name
    account.status = status


async def _known_supplier(
    session: AsyncSession, org_id: uuid.UUID, region_id: uuid.UUID
) -> KnownSupplier:
    return await DirectoryRepository(session).ensure_supplier(org_id, region_id, lock=True)


# ------------------------------------------------------------------ suppliers


async def record_supplier(session: AsyncSession, event: Event, status: str) -> None:
    """suppliers.supplier.approved / reinstated ("active") or suspended: offers of a
    suspended supplier stop selling at once (offers read `sellable` when quoted)."""
    data = event.data
    supplier = await _known_supplier(
        session, uuid.UUID(str(data["supplier_id"])), uuid.UUID(str(data["region_id"]))
    )
    supplier.name = data.get("display_name") or data.get("legal_name") or supplier.name
    supplier.supplier_status = status
    supplier.reason = data.get("reason") if status != "active" else None
    await session.flush()


# ------------------------------------------------------------------ catalog


async def record_product(session: AsyncSession, event: Event) -> None:
    """catalog.product.published / updated: the variants a wholesale offer can sell."""
    data = event.data
    product_id = uuid.UUID(str(data["product_id"]))
    existing = {
        v.variant_id: v for v in await DirectoryRepository(session).variants_of_product(product_id)
    }
    seen: set[uuid.UUID] = set()
    for item in data.get("variants", []):
        variant_id = uuid.UUID(str(item["variant_id"]))
        seen.add(variant_id)
        variant = existing.get(variant_id)
        if variant is None:
            variant = CatalogVariant(variant_id=variant_id, product_id=product_id)
            DirectoryRepository(session).add(variant)
        variant.region_id = uuid.UUID(str(data["region_id"]))
        variant.supplier_id = uuid.UUID(str(data["supplier_id"]))
        variant.product_name = data.get("name") or ""
        variant.variant_name = item.get("name") or ""
        variant.sku = item.get("sku")
        variant.unit = item.get("unit")
        variant.category = data.get("category")
        variant.brand = data.get("brand")
        variant.storage = data.get("storage") or "ambient"
        variant.net_weight_g = item.get("net_weight_g")
        variant.volume_cm3 = item.get("volume_cm3")
        variant.channels = list(data.get("channels") or [])
        variant.listed = True
        variant.delist_reason = None
    for variant_id, variant in existing.items():
        if variant_id not in seen:
            variant.listed = False
            variant.delist_reason = "variant_removed"
    await session.flush()


async def record_product_delisted(session: AsyncSession, event: Event) -> None:
    """catalog.product.delisted: every variant of the product stops selling at once."""
    data = event.data
    for variant in await DirectoryRepository(session).variants_of_product(
        uuid.UUID(str(data["product_id"]))
    ):
        variant.listed = False
        variant.delist_reason = data.get("reason") or "delisted"
    await session.flush()


async def visible_variant(
    session: AsyncSession, principal: Principal, variant_id: uuid.UUID
) -> CatalogVariant:
    """A catalog variant as the repository knows it (its supplier or the operator)."""
    variant = await DirectoryRepository(session).get_variant(variant_id)
    if variant is None or not (
        principal.platform_admin
        or principal.membership_in(variant.supplier_id) is not None
        or principal.is_operator_of(variant.region_id)
    ):
        raise NotFound("No such variant")
    return variant


# ------------------------------------------------------------------ delivery routes


async def record_route(session: AsyncSession, event: Event) -> None:
    """delivery.route.published: which weekdays each stop is served; a station buyer
    without a stop is served at the stop that carries its organisation."""
    data = event.data
    route_id = uuid.UUID(str(data["route_id"]))
    stops = data.get("stops") or []
    await DirectoryRepository(session).replace_route(
        RouteSchedule(
            route_id=route_id,
            region_id=uuid.UUID(str(data["region_id"])),
            name=data.get("name") or "",
            weekdays=[int(d) for d in data.get("weekdays") or []],
            departure_time=data.get("departure_time") or "06:00",
            stops=stops,
        ),
        [
            RouteStopRef(
                route_id=route_id,
                stop_id=uuid.UUID(str(s["stop_id"])),
                station_org_id=uuid.UUID(str(s["station_org_id"]))
                if s.get("station_org_id")
                else None,
                sequence=int(s.get("sequence") or 0),
            )
            for s in stops
        ],
    )
    for s in stops:
        if not s.get("station_org_id"):
            continue
        account = await BuyerRepository(session).get(uuid.UUID(str(s["station_org_id"])))
        if account is not None and account.stop_id is None:
            account.stop_id = uuid.UUID(str(s["stop_id"]))
            account.station_org_id = account.org_id
    await session.flush()


@dataclass(frozen=True)
class DeliverySlot:
    route_id: uuid.UUID | None
    stop_id: uuid.UUID | None
    station_org_id: uuid.UUID | None
    delivery_date: date | None


def next_run_day(weekdays: list[int], earliest: date) -> date | None:
    """The first day on or after `earliest` the route runs (ISO weekdays, Monday = 1)."""
    if not weekdays:
        return None
    for offset in range(7):
        day = earliest + timedelta(days=offset)
        if day.isoweekday() in weekdays:
            return day
    return None


async def delivery_slot(
    session: AsyncSession,
    buyer: BuyerAccount | BuyerTerms,
    window_date: date,
    lead_time_days: int = 0,
) -> DeliverySlot:
    """Goods of a window leave the county warehouse on its stop's first route day after
    the cut-off (later when a supplier needs lead time to bring to-order goods in)."""
    served = await DirectoryRepository(session).route_serving(
        stop_id=buyer.stop_id,
        station_org_id=buyer.station_org_id or (buyer.org_id if buyer.kind == "station" else None),
    )
    if served is None:
        return DeliverySlot(None, buyer.stop_id, buyer.station_org_id, None)
    earliest = window_date + timedelta(days=1 + max(0, lead_time_days))
    return DeliverySlot(
        served.route_id,
        served.stop_id,
        served.station_org_id or buyer.station_org_id,
        next_run_day(served.weekdays, earliest),
    )


# ------------------------------------------------------------------ region rules


async def region_rules(session: AsyncSession, region_id: uuid.UUID) -> Region:
    """The region's time zone and order-window settings (defaults until told otherwise)."""
    region = await DirectoryRepository(session).get_region(region_id)
    return (
        region
        if region is not None
        else await DirectoryRepository(session).ensure_region(region_id)
    )


async def placement_rules(session: AsyncSession, region_id: uuid.UUID) -> RegionRules:
    """region_rules as a plain row (placement reads it on every order)."""
    rules = await DirectoryRepository(session).region_rules_of(region_id)
    if rules is None:
        region = await DirectoryRepository(session).ensure_region(region_id)
        rules = RegionRules(*(getattr(region, name) for name in RegionRules._fields))
    return rules


async def update_region_rules(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    *,
    cutoff_time: time | None,
    reservation_minutes: int | None,
    close_after_hours: int | None,
) -> Region:
    ensure_operator_of(principal, region_id, roles=("owner", "admin"))
    region = await region_rules(session, region_id)
    if cutoff_time is not None:
        region.cutoff_time = cutoff_time.replace(tzinfo=None, microsecond=0)
    if reservation_minutes is not None:
        region.reservation_minutes = reservation_minutes
    if close_after_hours is not None:
        region.close_after_hours = close_after_hours
    await session.flush()
    return region


async def visible_region_rules(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> Region:
    if not (
        principal.platform_admin or any(m.region_id == region_id for m in principal.memberships)
    ):
        raise NotFound("No such region")
    return await region_rules(session, region_id)
