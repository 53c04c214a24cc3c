"""All SQL for offers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.directory.models import CatalogVariant, KnownSupplier
from services.repository.inventory.models import StockBalance, Warehouse
from services.repository.offers.models import Offer


def listing() -> Select[Any]:
    return (
        select(Offer)
        .join(CatalogVariant, CatalogVariant.variant_id == Offer.variant_id)
        .join(KnownSupplier, KnownSupplier.org_id == Offer.supplier_id)
    )


def selling_clause() -> Any:
    return and_(
        Offer.status == "active",
        CatalogVariant.listed.is_(True),
        CatalogVariant.channels.any(literal("wholesale")),
        KnownSupplier.organisation_status == "active",
        KnownSupplier.supplier_status == "active",
    )


def open_to_clause(region_id: uuid.UUID, kind: str) -> Any:
    return and_(
        or_(Offer.region_id == region_id, Offer.open_regions.any(literal(region_id))),
        Offer.buyer_kinds.any(literal(kind)),
    )


def filters(
    stmt: Select[Any],
    *,
    direction: str | None,
    fulfilment: str | None,
    supplier_id: uuid.UUID | None,
    category: str | None,
    q: str | None,
) -> Select[Any]:
    if direction:
        stmt = stmt.where(Offer.direction == direction)
    if fulfilment:
        stmt = stmt.where(Offer.fulfilment == fulfilment)
    if supplier_id:
        stmt = stmt.where(Offer.supplier_id == supplier_id)
    if category:
        stmt = stmt.where(CatalogVariant.category == category)
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(
            or_(
                CatalogVariant.product_name.ilike(pattern),
                CatalogVariant.variant_name.ilike(pattern),
            )
        )
    return stmt


class OfferRepository:
    """Wholesale offers and the catalog and stock rows they are quoted with. Built from a session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, offer_id: uuid.UUID, *, lock: bool = False) -> Offer | None:
        return await self.session.get(Offer, offer_id, with_for_update=lock or None)

    async def by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Offer]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Offer).where(Offer.id.in_(ids)))
        return {o.id: o for o in rows.scalars()}

    async def for_variant(self, region_id: uuid.UUID, variant_id: uuid.UUID) -> Offer | None:
        return await self.session.scalar(
            select(Offer).where(Offer.region_id == region_id, Offer.variant_id == variant_id)
        )

    def add(self, offer: Offer) -> None:
        self.session.add(offer)

    async def available_cases(
        self, region_id: uuid.UUID, variant_ids: set[uuid.UUID]
    ) -> dict[uuid.UUID, int]:
        """Cases on hand and not reserved in the region's warehouses."""
        if not variant_ids:
            return {}
        rows = await self.session.execute(
            select(
                StockBalance.variant_id,
                func.sum(StockBalance.on_hand - StockBalance.reserved),
            )
            .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
            .where(Warehouse.region_id == region_id, StockBalance.variant_id.in_(variant_ids))
            .group_by(StockBalance.variant_id)
        )
        return {r[0]: int(r[1] or 0) for r in rows}
