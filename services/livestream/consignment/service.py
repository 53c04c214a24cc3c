"""Consignment (寄售) at the base: goods stay the supplier's until sold.

In: `repository.consignment.transferred` (received). Out: the operator's returns (to the
supplier or a warehouse: `livestream.consignment.returned`), damage write-offs and
stocktakes. Sold: `livestream.sale_line.recorded` (see `record_sale_line` for the rule),
which also makes the supplier's payable at the supply price at that moment
(`livestream.consignment.payable`). The pool entry's `stock_at_base` follows on hand."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.access import ensure_operator
from services.livestream.consignment.models import (
    ConsignedSale,
    ConsignmentMovement,
    ConsignmentStock,
)
from services.livestream.consignment.repository import (
    MOVEMENT_SORTS,
    STOCK_SORTS,
    ConsignmentRepository,
)
from services.livestream.consignment.rules import month_window, sale_effect
from services.livestream.consignment.schemas import (
    ConsignmentDamageCreate,
    ConsignmentReturnCreate,
    ConsignmentStatement,
    ConsignmentStatementLine,
    ConsignmentStockCreate,
    StocktakeCreate,
)
from services.livestream.directory.repository import DirectoryRepository
from services.livestream.directory.service import timezone_of
from services.livestream.pool.repository import PoolRepository
from services.livestream.pool.service import stock_changed
from services.livestream.problems import CONSIGNMENT_SHORT, STOCKTAKE_REASON
from shared.auth import ensure_readable
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.events import Event, publish
from shared.pagination import ListQuery

log = structlog.get_logger(__name__)
STOCK_SORT_FIELDS = tuple(STOCK_SORTS)
MOVEMENT_SORT_FIELDS = tuple(MOVEMENT_SORTS)
RETURNED = "livestream.consignment.returned"
PAYABLE = "livestream.consignment.payable"


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def _time(value: Any) -> datetime:
    return datetime.fromisoformat(str(value)) if value else utcnow()


async def _move(
    session: AsyncSession,
    stock_id: uuid.UUID,
    kind: str,
    delta: int,
    **fields: Any,
) -> ConsignmentMovement:
    """Apply one movement (conditional UPDATE) and append it; 409 when on hand would go
    below zero (nothing changes). The pool entry's stock follows."""
    repo = ConsignmentRepository(session)
    after = await repo.apply(stock_id, kind, delta)
    if after is None:
        raise Conflict(
            f"Only fewer than {abs(delta)} are on hand at the base", code=CONSIGNMENT_SHORT
        )
    stock = await repo.get(stock_id)
    assert stock is not None
    await session.refresh(stock)
    movement = ConsignmentMovement(
        stock_id=stock_id,
        region_id=stock.region_id,
        supplier_id=stock.supplier_id,
        product_id=stock.product_id,
        kind=kind,
        quantity=delta,
        on_hand_after=after,
        **fields,
    )
    await repo.add(movement)
    await stock_changed(session, stock.product_id, after)
    return movement


# ------------------------------------------------------------------ events in


async def record_transfer(session: AsyncSession, event: Event) -> None:
    """Goods the repository moved from a county warehouse to the base: received (once)."""
    data = event.data
    repo = ConsignmentRepository(session)
    if await repo.movement_exists("receipt", str(data["transfer_id"])):
        return
    stock_id = await repo.ensure(
        region_id=uuid.UUID(data["region_id"]),
        supplier_id=uuid.UUID(data["supplier_org_id"]),
        product_id=uuid.UUID(data["catalog_product_id"]),
    )
    await _move(
        session,
        stock_id,
        "receipt",
        int(data["quantity"]),
        source_id=str(data["transfer_id"]),
        warehouse_id=_uuid(data.get("warehouse_id")),
        reason="transfer from the county warehouse",
        at=_time(data.get("at")),
    )


async def _stock_of_line(
    session: AsyncSession,
    data: dict[str, Any],
    known: dict[uuid.UUID, uuid.UUID | None] | None = None,
) -> uuid.UUID | None:
    """The line's product at the base: by its pool entry, else by its catalog product
    (`known`: the stock of products already looked up in this batch)."""
    repo = ConsignmentRepository(session)
    product_id = _uuid(data.get("catalog_product_id"))
    entry_id = _uuid(data.get("pool_entry_id"))
    if entry_id is not None:
        entry = await PoolRepository(session).get(entry_id)
        if entry is not None:
            product_id = entry.product_id
    if product_id is None:
        return None
    if known is not None and product_id in known:
        return known[product_id]
    stock = await repo.by_product(product_id)
    found = stock.id if stock is not None else None
    if known is not None:
        known[product_id] = found
    return found


async def record_sale_line(session: AsyncSession, event: Event) -> None:
    """`livestream.sale_line.recorded`: one line (see `_record_line`)."""
    await _record_line(session, event.data)


async def record_sale_lines(session: AsyncSession, event: Event) -> None:
    """`livestream.sale_lines.recorded`: an import's new lines, each as `_record_line`,
    in one transaction; in the order of their products so that two batches lock the
    stock rows they share in the same order."""
    fields = event.data["fields"]
    lines = [dict(zip(fields, values, strict=True)) for values in event.data["lines"]]
    lines.sort(key=lambda d: (str(d.get("catalog_product_id")), str(d.get("line_id"))))
    counted = await ConsignmentRepository(session).counted_lines(
        [uuid.UUID(str(d["line_id"])) for d in lines]
    )
    stocks: dict[uuid.UUID, uuid.UUID | None] = {}
    for data in lines:
        await _record_line(
            session, data, maybe_counted=uuid.UUID(str(data["line_id"])) in counted, stocks=stocks
        )


async def _record_line(
    session: AsyncSession,
    data: dict[str, Any],
    *,
    maybe_counted: bool = True,
    stocks: dict[uuid.UUID, uuid.UUID | None] | None = None,
) -> None:
    """A platform sale line (new or changed): the base counts what it sold from on hand.

    Rule (`rules.sale_effect`): a line in status paid or later counts its quantity; a line
    refunded before settlement puts its goods back (the platform refunds before the
    return window closes, the parcel comes back to the base); a refund after settlement
    leaves the goods sold (a return that does come back is counted in a stocktake). A
    partial refund keeps the quantity sold. Only what is on hand is taken; the rest is
    recorded as `unconsigned` (sold beyond the goods at the base, not the base's payable).
    Older versions than the one counted are ignored. (A batch says which of its lines
    may be counted already and shares the stock look-ups of its products.)"""
    line_id = uuid.UUID(str(data["line_id"]))
    version = int(data.get("version") or 0)
    repo = ConsignmentRepository(session)
    counted = await repo.sale(line_id) if maybe_counted else None
    stock_id = counted.stock_id if counted else await _stock_of_line(session, data, stocks)
    if stock_id is None:
        return  # not consigned goods
    # the stock row's lock serialises every change of its goods (and of this line)
    stock = await repo.lock(stock_id)
    assert stock is not None
    counted = await repo.sale(line_id, lock=True)
    if counted is not None and version <= counted.version:
        return
    want = sale_effect(
        str(data.get("status")), int(data.get("quantity") or 0), data.get("settled_at")
    )
    if want is None:
        log.info("consignment.sale_status_ignored", status=data.get("status"))
        return
    if counted is None:
        entry = await PoolRepository(session).by_product(stock.product_id)
        counted = ConsignedSale(
            line_id=line_id,
            stock_id=stock_id,
            version=version,
            status=str(data.get("status")),
            quantity=0,
            unconsigned=0,
            supply_price_fen=entry.supply_price_fen if entry else 0,
            sold_at=_time(data.get("paid_at")),
        )
        await repo.add(counted)
    # the quantity the base should have counted now vs what it has
    target_total = want
    have_total = counted.quantity + counted.unconsigned
    delta = target_total - have_total
    if delta > 0:
        take = min(delta, stock.on_hand)
        if take:
            await _sale_movement(session, counted, stock_id, "sale", take, data, version)
        counted.quantity += take
        counted.unconsigned += delta - take
    elif delta < 0:
        back = -delta
        from_unconsigned = min(back, counted.unconsigned)
        counted.unconsigned -= from_unconsigned
        to_stock = back - from_unconsigned
        if to_stock:
            await _sale_movement(
                session, counted, stock_id, "sale_reversal", to_stock, data, version
            )
        counted.quantity -= to_stock
    counted.version = version
    counted.status = str(data.get("status"))


async def _sale_movement(
    session: AsyncSession,
    counted: ConsignedSale,
    stock_id: uuid.UUID,
    kind: str,
    quantity: int,
    data: dict[str, Any],
    version: int,
) -> None:
    sign = -1 if kind == "sale" else 1
    amount = quantity * counted.supply_price_fen
    movement = await _move(
        session,
        stock_id,
        kind,
        sign * quantity,
        source_id=str(counted.line_id),
        source_version=version,
        supply_price_fen=counted.supply_price_fen,
        amount_fen=-sign * amount,
        reason=f"{data.get('platform')} order {data.get('platform_order_id')}",
        at=counted.sold_at if kind == "sale" else utcnow(),
    )
    await publish(
        session,
        PAYABLE,
        {
            "entry_id": str(movement.id),
            "region_id": str(movement.region_id),
            "supplier_org_id": str(movement.supplier_id),
            "catalog_product_id": str(movement.product_id),
            "quantity": -movement.quantity,
            "supply_price_fen": counted.supply_price_fen,
            "amount_fen": movement.amount_fen,
            "sold_at": movement.at.isoformat(),
            "sale_line_id": str(counted.line_id),
        },
        region_id=movement.region_id,
    )


# ------------------------------------------------------------------ reads


async def _stock(
    session: AsyncSession, principal: Principal, stock_id: uuid.UUID
) -> ConsignmentStock:
    stock = await ConsignmentRepository(session).get(stock_id)
    if stock is None:
        raise NotFound("No such consignment stock")
    ensure_readable(
        principal, org_id=stock.supplier_id, region_id=stock.region_id, what="consignment stock"
    )
    return stock


async def get_stock(
    session: AsyncSession, principal: Principal, stock_id: uuid.UUID
) -> ConsignmentStock:
    return await _stock(session, principal, stock_id)


async def list_stock(
    session: AsyncSession, principal: Principal, product_id: uuid.UUID | None, query: ListQuery
) -> tuple[list[ConsignmentStock], str | None]:
    repo = ConsignmentRepository(session)
    stmt = repo.readable(principal)
    if product_id is not None:
        stmt = stmt.where(ConsignmentStock.product_id == product_id)
    return await repo.page(stmt, query)


async def movements(
    session: AsyncSession, principal: Principal, stock_id: uuid.UUID, query: ListQuery
) -> tuple[list[ConsignmentMovement], str | None]:
    stock = await _stock(session, principal, stock_id)
    return await ConsignmentRepository(session).movements_page(stock.id, query)


async def on_hand(session: AsyncSession, product_id: uuid.UUID) -> int:
    return await ConsignmentRepository(session).on_hand(product_id)


# ------------------------------------------------------------------ the operator's actions


async def register_stock(
    session: AsyncSession, principal: Principal, body: ConsignmentStockCreate
) -> ConsignmentStock:
    product = await DirectoryRepository(session).product(body.product_id)
    if product is None:
        raise NotFound("No such product")
    ensure_operator(principal, product.region_id)
    repo = ConsignmentRepository(session)
    stock_id = await repo.ensure(
        region_id=product.region_id, supplier_id=product.supplier_id, product_id=product.id
    )
    stock = await repo.get(stock_id)
    assert stock is not None
    return stock


async def _operated(
    session: AsyncSession, principal: Principal, stock_id: uuid.UUID
) -> ConsignmentStock:
    stock = await _stock(session, principal, stock_id)
    ensure_operator(principal, stock.region_id)
    locked = await ConsignmentRepository(session).lock(stock.id)
    assert locked is not None
    return locked


async def return_goods(
    session: AsyncSession, principal: Principal, stock_id: uuid.UUID, body: ConsignmentReturnCreate
) -> ConsignmentMovement:
    """Unsold goods leave the base: to the supplier, or back to a warehouse that sent them."""
    stock = await _operated(session, principal, stock_id)
    if body.warehouse_id is not None and not await ConsignmentRepository(session).received_from(
        stock.region_id, body.warehouse_id
    ):
        raise RuleViolation(
            "Goods go back only to a warehouse that sent consignment to this base",
            errors=[FieldError("warehouse_id", "no transfer came from it", "unknown_warehouse")],
        )
    movement = await _move(
        session,
        stock.id,
        "return",
        -body.quantity,
        destination=body.destination,
        warehouse_id=body.warehouse_id,
        reason=body.reason,
        actor_id=principal.user_id,
        at=utcnow(),
    )
    await publish(
        session,
        RETURNED,
        {
            "return_id": str(movement.id),
            "region_id": str(stock.region_id),
            "supplier_org_id": str(stock.supplier_id),
            "catalog_product_id": str(stock.product_id),
            "quantity": body.quantity,
            "destination": body.destination,
            "warehouse_id": str(body.warehouse_id) if body.warehouse_id else None,
            "at": movement.at.isoformat(),
        },
        region_id=stock.region_id,
    )
    return movement


async def write_off(
    session: AsyncSession, principal: Principal, stock_id: uuid.UUID, body: ConsignmentDamageCreate
) -> ConsignmentMovement:
    stock = await _operated(session, principal, stock_id)
    return await _move(
        session,
        stock.id,
        "damage",
        -body.quantity,
        reason=body.reason,
        actor_id=principal.user_id,
        at=utcnow(),
    )


async def stocktake(
    session: AsyncSession, principal: Principal, stock_id: uuid.UUID, body: StocktakeCreate
) -> ConsignmentMovement:
    """A count: the variance (counted − on hand) adjusts on hand, with its reason."""
    stock = await _operated(session, principal, stock_id)
    variance = body.counted - stock.on_hand
    if variance and not body.reason:
        raise RuleViolation(
            f"The count differs from on hand ({stock.on_hand}) by {variance}: give a reason",
            code=STOCKTAKE_REASON,
            errors=[FieldError("reason", "required when the count differs", "required")],
        )
    expected = stock.on_hand
    if variance == 0:
        movement = ConsignmentMovement(
            stock_id=stock.id,
            region_id=stock.region_id,
            supplier_id=stock.supplier_id,
            product_id=stock.product_id,
            kind="stocktake",
            quantity=0,
            on_hand_after=stock.on_hand,
            counted=body.counted,
            expected=expected,
            reason=body.reason,
            actor_id=principal.user_id,
            at=utcnow(),
        )
        await ConsignmentRepository(session).add(movement)
        return movement
    return await _move(
        session,
        stock.id,
        "stocktake",
        variance,
        counted=body.counted,
        expected=expected,
        reason=body.reason,
        actor_id=principal.user_id,
        at=utcnow(),
    )


# ------------------------------------------------------------------ statements


async def statement(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, period: str
) -> ConsignmentStatement:
    """Per supplier and local month: received, sold × supply price, returned, damaged,
    stocktake variance and the payable."""
    org = await DirectoryRepository(session).organisation(supplier_id)
    if org is None:
        raise NotFound("No such consignment statement")
    ensure_readable(
        principal, org_id=supplier_id, region_id=org.region_id, what="consignment statement"
    )
    timezone = await timezone_of(session, org.region_id)
    starts, ends = month_window(period, timezone)
    repo = ConsignmentRepository(session)
    rows = await repo.period_movements(
        region_id=org.region_id, supplier_id=supplier_id, starts=starts, ends=ends
    )
    stocks = {s.product_id: s for s in await repo.stock_of_supplier(org.region_id, supplier_id)}
    directory = DirectoryRepository(session)
    totals: dict[uuid.UUID, dict[str, int]] = {}
    for m in rows:
        t = totals.setdefault(
            m.product_id,
            {k: 0 for k in ("received", "sold", "sold_fen", "returned", "damaged", "variance")},
        )
        if m.kind == "receipt":
            t["received"] += m.quantity
        elif m.kind in ("sale", "sale_reversal"):
            t["sold"] -= m.quantity
            t["sold_fen"] += m.amount_fen or 0
        elif m.kind == "return":
            t["returned"] -= m.quantity
        elif m.kind == "damage":
            t["damaged"] -= m.quantity
        elif m.kind == "stocktake":
            t["variance"] += m.quantity
    lines = []
    for product_id in sorted(totals, key=str):
        t = totals[product_id]
        product = await directory.product(product_id)
        stock = stocks.get(product_id)
        lines.append(
            ConsignmentStatementLine(
                product_id=product_id,
                name=product.name if product else None,
                payable_fen=t["sold_fen"],
                on_hand=stock.on_hand if stock else 0,
                **t,
            )
        )
    return ConsignmentStatement(
        region_id=org.region_id,
        supplier_id=supplier_id,
        period=period,
        timezone=timezone,
        starts_at=starts,
        ends_at=ends,
        lines=lines,
        received=sum(x.received for x in lines),
        sold=sum(x.sold for x in lines),
        returned=sum(x.returned for x in lines),
        damaged=sum(x.damaged for x in lines),
        payable_fen=sum(x.payable_fen for x in lines),
    )


async def statement_xlsx(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, period: str
) -> bytes:
    from services.livestream.consignment.workbook import statement_workbook

    return statement_workbook(await statement(session, principal, supplier_id, period))
