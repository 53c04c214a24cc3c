"""SQL over the read model's roll-ups for the figures (never commits)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.figures.rules import Period
from services.insights.readmodel.models import (
    DeliveriesByMonth,
    HouseholdLink,
    Organisation,
    Product,
    Region,
    Run,
    SalesByStation,
    SalesByVariant,
    StreamSalesByMonth,
    StreamSession,
    Supplier,
    Variant,
)
from services.insights.records.models import RecordedFigure, RegionSettings


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
        # sum the months first (a few rows per variant), then name what is left
        sums = select(
            s.variant_id,
            s.supplier_id,
            func.sum(s.amount_fen).filter(_between(s.month, f.period)).label("current"),
            func.sum(s.amount_fen).filter(_between(s.month, prev)).label("previous"),
            func.sum(s.lines).filter(_between(s.month, f.period)).label("lines"),
        ).where(
            s.region_id == f.region_id,
            s.month.between(prev.start, f.period.end),
            (s.month <= prev.end) | (s.month >= f.period.start),
        )
        if f.supplier_id:
            sums = sums.where(s.supplier_id == f.supplier_id)
        per_variant = sums.group_by(s.variant_id, s.supplier_id).subquery()
        v = per_variant
        stmt = select(
            v.c.supplier_id,
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
            func.coalesce(v.c.current, 0).label("current"),
            func.coalesce(v.c.previous, 0).label("previous"),
            func.coalesce(v.c.lines, 0).label("lines"),
        ).select_from(
            v.outerjoin(Variant, Variant.variant_id == v.c.variant_id)
            .outerjoin(Product, Product.product_id == Variant.product_id)
            .outerjoin(Supplier, Supplier.supplier_id == v.c.supplier_id)
            .outerjoin(links, links.c.supplier_id == v.c.supplier_id)
        )
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

    async def region_settings(self, region_id: uuid.UUID) -> tuple[str | None, Any, int | None]:
        """The region's time zone, the operator's target overrides and national average."""
        row = (
            await self.session.execute(
                select(
                    select(Region.timezone)
                    .where(Region.region_id == region_id)
                    .scalar_subquery()
                    .label("timezone"),
                    select(RegionSettings.targets)
                    .where(RegionSettings.region_id == region_id)
                    .scalar_subquery()
                    .label("targets"),
                    select(RegionSettings.national_rural_growth_bp)
                    .where(RegionSettings.region_id == region_id)
                    .scalar_subquery()
                    .label("national"),
                )
            )
        ).one()
        return row.timezone, row.targets, row.national

    async def stations(self, f: Filters) -> tuple[list[Any], list[Any]]:
        """Per month, this period and a year before: stations that ordered (reported
        transactions) and their order value."""
        s = SalesByStation
        prev = f.period.previous()
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
                _between(s.month, f.period) | _between(s.month, prev),
                Organisation.kind == "station",
            )
            .group_by(s.month)
            .order_by(s.month)
        )
        if f.township:
            stmt = stmt.where(Organisation.township == f.township)
        rows = list((await self.session.execute(stmt)).all())
        return (
            [r for r in rows if f.period.start <= r.month <= f.period.end],
            [r for r in rows if prev.start <= r.month <= prev.end],
        )

    async def deliveries(self, f: Filters) -> list[Any]:
        """Per month and carrier: parcels delivered, timed (their run's dispatch known) and
        delivered within 24 h of it, from the roll-up."""
        d = DeliveriesByMonth
        stmt = (
            select(
                d.month,
                d.carrier,
                func.sum(d.delivered).label("delivered"),
                func.sum(d.timed).label("timed"),
                func.sum(d.within).label("within"),
            )
            .where(d.region_id == f.region_id, _between(d.month, f.period))
            .group_by(d.month, d.carrier)
            .order_by(d.month, d.carrier)
        )
        if f.township:
            stmt = stmt.where(d.township == f.township)
        return list((await self.session.execute(stmt)).all())

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

    async def livestream(self, f: Filters) -> tuple[int, int, int, int, int, int]:
        """Sessions that went live in the period, their GMV, the peak live at once; and
        the GMV of sale lines (paid less refunded) this period, a year before, and lines."""
        t = StreamSession
        scope = and_(t.region_id == f.region_id, _between(t.month, f.period))
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
        sessions = (
            select(
                func.count().filter(t.started_at.is_not(None)).label("n"),
                func.coalesce(func.sum(t.gmv_fen).filter(t.started_at.is_not(None)), 0).label(
                    "gmv"
                ),
            )
            .where(scope)
            .subquery()
        )
        g = StreamSalesByMonth
        prev = f.period.previous()
        sales = select(
            func.coalesce(func.sum(g.gmv_fen).filter(_between(g.month, f.period)), 0).label("now"),
            func.coalesce(func.sum(g.gmv_fen).filter(_between(g.month, prev)), 0).label("before"),
            func.coalesce(func.sum(g.lines).filter(_between(g.month, f.period)), 0).label("lines"),
        ).where(g.region_id == f.region_id, g.month.between(prev.start, f.period.end))
        if f.supplier_id:
            sales = sales.where(g.supplier_id == f.supplier_id)
        if f.product_id:
            sales = sales.where(g.product_id == f.product_id)
        if f.township:
            sales = sales.join(Supplier, Supplier.supplier_id == g.supplier_id).where(
                Supplier.township == f.township
            )
        totals = sales.subquery()
        row = (
            await self.session.execute(
                select(
                    sessions.c.n,
                    sessions.c.gmv,
                    select(func.max(running.c.live)).scalar_subquery(),
                    totals.c.now,
                    totals.c.before,
                    totals.c.lines,
                ).select_from(sessions.join(totals, literal(True)))
            )
        ).one()
        return tuple(int(x or 0) for x in row)  # type: ignore[return-value]

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
