"""SQL over the read model's roll-ups for the figures (never commits)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.figures.rules import WITHIN_HOURS, Period
from services.insights.readmodel.models import (
    HouseholdLink,
    Organisation,
    Parcel,
    Product,
    Run,
    SalesByStation,
    SalesByVariant,
    StreamSession,
    Supplier,
    Variant,
)
from services.insights.records.models import RecordedFigure


@dataclass(frozen=True)
class Filters:
    region_id: uuid.UUID
    period: Period
    township: str | None = None
    supplier_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None


def _between(column: Any, period: Period) -> Any:
    return column.between(period.start, period.end)


class FiguresRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def supply(self, f: Filters) -> list[Any]:
        """Net sales per supplier and product, this period and the same months a year before."""
        prev = f.period.previous()
        s = SalesByVariant
        h = HouseholdLink
        # links in force at some time of the period (not ended before it began)
        in_force = h.ended_on.is_(None) | (h.ended_on >= f.period.start)
        links = (
            select(
                h.supplier_id,
                func.count().filter(in_force, h.household_kind == "poverty_alleviated").label("pa"),
                func.count().filter(in_force, h.household_kind == "monitored").label("mon"),
            )
            .where(h.region_id == f.region_id)
            .group_by(h.supplier_id)
            .subquery()
        )
        pa = func.coalesce(links.c.pa, 0)
        mon = func.coalesce(links.c.mon, 0)
        stmt = (
            select(
                s.supplier_id,
                Variant.product_id,
                Product.name.label("product_name"),
                Product.brand,
                Supplier.name.label("supplier_name"),
                Supplier.township,
                (func.coalesce(Supplier.supports_households, False) | (pa + mon > 0)).label(
                    "households"
                ),
                pa.label("poverty_alleviated"),
                mon.label("monitored"),
                func.sum(case((_between(s.month, f.period), s.amount_fen), else_=0)).label(
                    "current"
                ),
                func.sum(case((_between(s.month, prev), s.amount_fen), else_=0)).label("previous"),
                func.sum(case((_between(s.month, f.period), s.lines), else_=0)).label("lines"),
            )
            .outerjoin(Variant, Variant.variant_id == s.variant_id)
            .outerjoin(Product, Product.product_id == Variant.product_id)
            .outerjoin(Supplier, Supplier.supplier_id == s.supplier_id)
            .outerjoin(links, links.c.supplier_id == s.supplier_id)
            .where(
                s.region_id == f.region_id,
                s.month.between(prev.start, f.period.end),
                (s.month <= prev.end) | (s.month >= f.period.start),
            )
            .group_by(
                s.supplier_id,
                Variant.product_id,
                Product.name,
                Product.brand,
                Supplier.name,
                Supplier.township,
                Supplier.supports_households,
                links.c.pa,
                links.c.mon,
            )
        )
        if f.supplier_id:
            stmt = stmt.where(s.supplier_id == f.supplier_id)
        if f.product_id:
            stmt = stmt.where(Variant.product_id == f.product_id)
        if f.township:
            stmt = stmt.where(Supplier.township == f.township)
        return list((await self.session.execute(stmt)).all())

    async def brand_products(self, f: Filters) -> list[Any]:
        stmt = (
            select(Product.product_id, Product.name, Product.brand, Product.first_published_at)
            .outerjoin(Supplier, Supplier.supplier_id == Product.supplier_id)
            .where(
                Product.region_id == f.region_id,
                Product.brand.is_not(None),
                Product.delisted_at.is_(None),
            )
            .order_by(Product.brand, Product.name)
        )
        if f.supplier_id:
            stmt = stmt.where(Product.supplier_id == f.supplier_id)
        if f.product_id:
            stmt = stmt.where(Product.product_id == f.product_id)
        if f.township:
            stmt = stmt.where(Supplier.township == f.township)
        return list((await self.session.execute(stmt)).all())

    async def brand_products_before(self, f: Filters, before: date) -> int:
        stmt = select(func.count()).where(
            Product.region_id == f.region_id,
            Product.brand.is_not(None),
            Product.first_published_at < before,
        )
        if f.supplier_id:
            stmt = stmt.where(Product.supplier_id == f.supplier_id)
        return int(await self.session.scalar(stmt) or 0)

    async def stations(self, f: Filters, period: Period) -> list[Any]:
        """Per month: stations that ordered (reported transactions) and their order value."""
        s = SalesByStation
        stmt = (
            select(
                s.month,
                func.count().filter(s.orders > 0).label("stations"),
                func.sum(s.amount_fen).label("amount"),
                func.sum(s.orders).label("orders"),
            )
            .join(Organisation, Organisation.org_id == s.buyer_org_id)
            .where(
                s.region_id == f.region_id,
                _between(s.month, period),
                Organisation.kind == "station",
            )
            .group_by(s.month)
            .order_by(s.month)
        )
        if f.township:
            stmt = stmt.where(Organisation.township == f.township)
        return list((await self.session.execute(stmt)).all())

    async def parcels(self, f: Filters) -> list[Any]:
        p = Parcel
        hours = (func.extract("epoch", p.delivered_at - p.dispatched_at) / 3600).label("h")
        stmt = (
            select(
                p.month,
                func.count().label("delivered"),
                func.count().filter(p.dispatched_at.is_not(None)).label("timed"),
                func.count().filter(hours <= WITHIN_HOURS).label("within"),
            )
            .where(p.region_id == f.region_id, _between(p.month, f.period))
            .group_by(p.month)
            .order_by(p.month)
        )
        if f.township:
            stmt = stmt.where(p.township == f.township)
        return list((await self.session.execute(stmt)).all())

    async def carriers(self, f: Filters) -> list[str]:
        stmt = (
            select(Parcel.carrier)
            .where(
                Parcel.region_id == f.region_id,
                _between(Parcel.month, f.period),
                Parcel.carrier.is_not(None),
            )
            .distinct()
            .order_by(Parcel.carrier)
        )
        if f.township:
            stmt = stmt.where(Parcel.township == f.township)
        return [c for c in (await self.session.execute(stmt)).scalars() if c]

    async def runs(self, f: Filters) -> list[Any]:
        r = Run
        stmt = (
            select(
                r.month,
                r.kind,
                func.count().label("runs"),
                func.sum(r.cost_fen).label("cost"),
                func.sum(r.parcels).label("parcels"),
                func.sum(r.weight_g).label("weight_g"),
            )
            .where(
                r.region_id == f.region_id,
                _between(r.month, f.period),
                r.completed_at.is_not(None),
            )
            .group_by(r.month, r.kind)
            .order_by(r.month, r.kind)
        )
        return list((await self.session.execute(stmt)).all())

    async def livestream(self, f: Filters, period: Period) -> Any:
        t = StreamSession
        scope = and_(t.region_id == f.region_id, _between(t.month, period))
        totals = (
            await self.session.execute(
                select(
                    func.count().filter(t.started_at.is_not(None)),
                    func.coalesce(func.sum(t.gmv_fen), 0),
                ).where(scope)
            )
        ).one()
        edges = union_all(
            select(t.started_at.label("at"), literal(1).label("d")).where(
                scope, t.started_at.is_not(None)
            ),
            select(t.ended_at.label("at"), literal(-1).label("d")).where(
                scope, t.started_at.is_not(None), t.ended_at.is_not(None)
            ),
        ).subquery()
        running = select(
            func.sum(edges.c.d).over(order_by=(edges.c.at, edges.c.d)).label("live")
        ).subquery()
        peak = await self.session.scalar(select(func.max(running.c.live)))
        return int(totals[0]), int(totals[1]), int(peak or 0)

    async def recorded(self, f: Filters) -> dict[str, tuple[int, int, int]]:
        r = RecordedFigure
        stmt = (
            select(
                r.kind,
                func.count(),
                func.sum(r.value),
                func.sum(r.advanced),
            )
            .where(
                r.region_id == f.region_id,
                r.on_date >= f.period.start,
                r.on_date < _after(f.period),
            )
            .group_by(r.kind)
        )
        if f.township:
            stmt = stmt.where(r.township == f.township)
        return {
            kind: (int(n), int(total or 0), int(adv or 0))
            for kind, n, total, adv in await self.session.execute(stmt)
        }


def _after(period: Period) -> date:
    if period.last_month == 12:
        return date(period.year + 1, 1, 1)
    return date(period.year, period.last_month + 1, 1)
