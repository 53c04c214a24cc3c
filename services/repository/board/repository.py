"""All SQL for the cut-off board: a window's orders, purchase orders and shortages."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.buyers.models import BuyerAccount
from services.repository.directory.models import CatalogVariant, KnownSupplier
from services.repository.orders.models import Order, OrderLine
from services.repository.purchasing.models import (
    ConsolidationRun,
    PurchaseOrder,
    PurchaseOrderLine,
)


class BoardRepository:
    """The cut-off board's reads of one window. Built from a session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def run_of(self, region_id: uuid.UUID, window_date: date) -> ConsolidationRun | None:
        return await self.session.get(ConsolidationRun, (region_id, window_date))

    async def orders(self, region_id: uuid.UUID, window_date: date) -> list[Any]:
        """Per order: number, buyer, status, payment, lines, cases, value placed and shortened."""
        lines = (
            select(
                OrderLine.order_id,
                func.count(OrderLine.id).label("lines"),
                func.sum(OrderLine.cases).label("cases"),
            )
            .group_by(OrderLine.order_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(
                Order.id,
                Order.number,
                Order.buyer_org_id,
                BuyerAccount.name.label("buyer_name"),
                Order.status,
                Order.payment_method,
                Order.placed_at,
                Order.delivery_date,
                Order.placed_total_fen,
                Order.shortened_fen,
                func.coalesce(lines.c.lines, 0).label("lines"),
                func.coalesce(lines.c.cases, 0).label("cases"),
            )
            .outerjoin(lines, lines.c.order_id == Order.id)
            .outerjoin(BuyerAccount, BuyerAccount.org_id == Order.buyer_org_id)
            .where(Order.region_id == region_id, Order.window_date == window_date)
            .order_by(Order.placed_at, Order.number)
        )
        return list(rows.all())

    async def purchase_orders(self, region_id: uuid.UUID, window_date: date) -> list[Any]:
        """Per purchase order (one per supplier): state, cases ordered/confirmed/received."""
        lines = (
            select(
                PurchaseOrderLine.purchase_order_id,
                func.count(PurchaseOrderLine.id).label("lines"),
                func.sum(PurchaseOrderLine.ordered_cases).label("ordered"),
                func.sum(PurchaseOrderLine.confirmed_cases).label("confirmed"),
                func.sum(PurchaseOrderLine.accepted_cases).label("accepted"),
                func.sum(PurchaseOrderLine.rejected_cases).label("rejected"),
            )
            .group_by(PurchaseOrderLine.purchase_order_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(
                PurchaseOrder.id,
                PurchaseOrder.number,
                PurchaseOrder.supplier_id,
                KnownSupplier.name.label("supplier_name"),
                PurchaseOrder.status,
                PurchaseOrder.expected_arrival,
                PurchaseOrder.total_cost_fen,
                func.coalesce(lines.c.lines, 0).label("lines"),
                func.coalesce(lines.c.ordered, 0).label("ordered"),
                lines.c.confirmed,
                func.coalesce(lines.c.accepted, 0).label("accepted"),
                func.coalesce(lines.c.rejected, 0).label("rejected"),
            )
            .outerjoin(lines, lines.c.purchase_order_id == PurchaseOrder.id)
            .outerjoin(KnownSupplier, KnownSupplier.org_id == PurchaseOrder.supplier_id)
            .where(PurchaseOrder.region_id == region_id, PurchaseOrder.window_date == window_date)
            .order_by(KnownSupplier.name, PurchaseOrder.supplier_id)
        )
        return list(rows.all())

    async def shortages(self, region_id: uuid.UUID, window_date: date) -> list[Any]:
        """Per variant with a shortened case: cases ordered and shortened, value, orders hit."""
        rows = await self.session.execute(
            select(
                OrderLine.variant_id,
                CatalogVariant.product_name,
                CatalogVariant.variant_name,
                OrderLine.supplier_id,
                KnownSupplier.name.label("supplier_name"),
                func.sum(OrderLine.cases).label("ordered"),
                func.sum(OrderLine.shortened_cases).label("shortened"),
                func.sum(OrderLine.shortened_cases * OrderLine.unit_price_fen).label(
                    "shortened_fen"
                ),
                func.count(func.distinct(OrderLine.order_id))
                .filter(OrderLine.shortened_cases > 0)
                .label("orders"),
            )
            .join(Order, Order.id == OrderLine.order_id)
            .outerjoin(CatalogVariant, CatalogVariant.variant_id == OrderLine.variant_id)
            .outerjoin(KnownSupplier, KnownSupplier.org_id == OrderLine.supplier_id)
            .where(Order.region_id == region_id, Order.window_date == window_date)
            .group_by(
                OrderLine.variant_id,
                CatalogVariant.product_name,
                CatalogVariant.variant_name,
                OrderLine.supplier_id,
                KnownSupplier.name,
            )
            .having(func.sum(OrderLine.shortened_cases) > 0)
            .order_by(func.sum(OrderLine.shortened_cases).desc(), OrderLine.variant_id)
        )
        return list(rows.all())
