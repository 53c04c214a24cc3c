"""Bulk order rules: carts, placement, the order's life and what other services tell us.

Placement checks every line at once (orders/validation.py) and either places the whole
order, with its stocked lines reserved, or nothing. Every later change of status goes
through `transition`, which records it and publishes `repository.order.<status>`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.buyers.access import account_for_caller, terms_for_caller
from services.repository.buyers.models import BUYER_KINDS, BuyerAccount, BuyerTerms
from services.repository.buyers.repository import BuyerRepository
from services.repository.directory import service as directory
from services.repository.directory.models import Region, RegionRules, supplier_sellable
from services.repository.inventory import service as inventory
from services.repository.offers import rules
from services.repository.orders import repository
from services.repository.orders.cutoff import window_closing_after
from services.repository.orders.lifecycle import EVENT_OF, ORDER
from services.repository.orders.models import (
    CartLine,
    Order,
    OrderLine,
    OrderTransition,
    PlacedLine,
    WindowClosure,
)
from services.repository.orders.repository import OfferRow, OrderRepository
from services.repository.orders.schemas import CartLineUpdate, OrderCreate, OrderLineCreate
from services.repository.orders.validation import (
    LineRequest,
    OfferTerms,
    describe,
    line_problems,
    order_problems,
    unit_price_fen,
)
from services.repository.problems import (
    CUTOFF_PASSED,
    ORDER_REJECTED,
    OUT_OF_STOCK,
    WINDOW_NOT_CURRENT,
)
from shared.auth import ensure_readable
from shared.auth.principal import Principal
from shared.auth.scope import scope_to_caller
from shared.db import is_transient_conflict, new_id, utcnow
from shared.errors import AppError, Conflict, FieldError, NotFound, RuleViolation
from shared.events import Event, publish
from shared.pagination import Sort, paginate

ORDER_NUMBER_PREFIX = "FQ"
# Paid at the door: the order is confirmed when placed and holds its stock until delivery.
PAID_ON_DELIVERY = "cod"
BATCH = 200
RECORDED = "repository.order_transitions"


# ------------------------------------------------------------------ transitions


async def transition(
    session: AsyncSession,
    order: Order,
    action: str,
    *,
    actor_user_id: uuid.UUID | None = None,
    reason: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Order:
    """Apply one step of orders/lifecycle.py ORDER, record it and publish its event.

    `extra` is merged into the event's data. Raises InvalidTransition (409) when the
    order's status does not allow `action`.
    """
    source = order.status
    target = ORDER.next_state(source, action)
    order.status = target
    order.version += 1
    if target == "cancelled":
        await inventory.release(
            session, order, reason=reason or "cancelled", actor_user_id=actor_user_id
        )
        order.reserved_until = None
    elif target == "confirmed":
        await inventory.keep_until_consolidated(session, order)
        order.reserved_until = None
    elif target == "ready_for_delivery":
        await inventory.pick(session, order, actor_user_id=actor_user_id)
    elif target == "delivered":
        order.delivered_at = order.delivered_at or utcnow()
    _record(session, order, source, target, action, actor_user_id, reason)
    data = await _event_data(session, order, source, target, reason)
    data.update(extra or {})
    event_type = EVENT_OF.get(action, f"repository.order.{target}")
    await publish(session, event_type, data, region_id=order.region_id)
    await session.flush()
    return order


def _record(
    session: AsyncSession,
    order: Order,
    source: str | None,
    target: str,
    action: str,
    actor_user_id: uuid.UUID | None,
    reason: str | None,
) -> OrderTransition:
    step = OrderTransition(
        id=new_id(),
        order_id=order.id,
        from_status=source,
        to_status=target,
        action=action,
        actor_user_id=actor_user_id,
        reason=reason,
        at=utcnow(),
    )
    session.add(step)
    # kept for the answer to a placement (the session holds its objects weakly)
    session.info.setdefault(RECORDED, []).append(step)
    return step


async def _event_data(
    session: AsyncSession, order: Order, source: str | None, target: str, reason: str | None
) -> dict[str, Any]:
    """The payload docs/events.md promises for the new status."""
    if target == "cancelled":
        return {
            "order_id": str(order.id),
            "buyer_org_id": str(order.buyer_org_id),
            "reason": reason,
        }
    if target == "closed":
        return {"order_id": str(order.id)}
    if target == "ready_for_delivery":
        return await _ready_for_delivery_data(session, order)
    return {
        "order_id": str(order.id),
        "buyer_org_id": str(order.buyer_org_id),
        "region_id": str(order.region_id),
        "from_status": source,
        "to_status": target,
    }


def placed_event_data(order: Order, lines: Sequence[OrderLine | PlacedLine]) -> dict[str, Any]:
    return {
        "order_id": str(order.id),
        "buyer_org_id": str(order.buyer_org_id),
        "region_id": str(order.region_id),
        "total_fen": sum(line.amount_fen for line in lines),
        "payment_method": order.payment_method,
        "lines": [
            {
                "line_id": str(line.id),
                "variant_id": str(line.variant_id),
                "supplier_id": str(line.supplier_id),
                "quantity": line.cases,
                "unit_price_fen": line.unit_price_fen,
                "amount_fen": line.amount_fen,
            }
            for line in lines
        ],
    }


async def _ready_for_delivery_data(session: AsyncSession, order: Order) -> dict[str, Any]:
    """One parcel per line that ships, sized from the catalog's per-unit weight and volume."""
    lines = await OrderRepository(session).lines_of(order.id)
    variants = await OrderRepository(session).variants([line.variant_id for line in lines])
    parcels = []
    for line in lines:
        cases = line.cases - line.shortened_cases
        if cases <= 0:
            continue
        variant = variants.get(line.variant_id)
        units = cases * line.case_pack
        parcels.append(
            {
                "weight_g": units * ((variant.net_weight_g if variant else None) or 0),
                "volume_cm3": units * ((variant.volume_cm3 if variant else None) or 0),
                "chilled": bool(variant and variant.storage in ("chilled", "frozen")),
            }
        )
    # Delivery registers at least one parcel for an order.
    order.parcels_expected = max(len(parcels), 1)
    return {
        "order_id": str(order.id),
        "buyer_org_id": str(order.buyer_org_id),
        "region_id": str(order.region_id),
        "station_org_id": str(order.station_org_id) if order.station_org_id else None,
        "delivery_date": order.delivery_date.isoformat() if order.delivery_date else None,
        "payment_method": order.payment_method,
        "cod_amount_fen": order.total_fen if order.payment_method == PAID_ON_DELIVERY else 0,
        "parcels": parcels,
    }


# ------------------------------------------------------------------ buyers and terms


@dataclass
class Terms:
    """An offer as one buyer sees it right now (`offer`: a row of
    OrderRepository.offers_for_ordering, with its variant's names)."""

    offer: OfferRow
    terms: OfferTerms
    warehouse_id: uuid.UUID | None = None


async def terms_for(
    session: AsyncSession, buyer: BuyerAccount | BuyerTerms, offer_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Terms]:
    """Each known offer's terms for this buyer, with stock available in the county warehouse."""
    found = await OrderRepository(session).offers_for_ordering(offer_ids)
    stocked = [o.variant_id for o in found.values() if o.fulfilment == "stocked"]
    warehouse_id, available = await inventory.county_stock(session, buyer.region_id, stocked)
    result = {}
    for offer_id, offer in found.items():
        is_stocked = offer.fulfilment == "stocked"
        tiers = tuple(offer.price_tiers or ())
        result[offer_id] = Terms(
            offer=offer,
            warehouse_id=warehouse_id if is_stocked else None,
            terms=OfferTerms(
                open_to_buyer=rules.open_to(
                    offer.region_id,
                    offer.open_regions or [],
                    offer.buyer_kinds or [],
                    buyer.region_id,
                    buyer.kind,
                ),
                selling=offer.catalog_variant_id is not None
                and rules.selling(
                    offer.status,
                    offer.listed,
                    offer.channels or [],
                    supplier_sellable(offer.organisation_status, offer.supplier_status),
                ),
                min_order_cases=offer.min_order_cases,
                multiple_cases=offer.multiple_cases,
                available_cases=available.get(offer.variant_id, 0) if is_stocked else None,
                price_fen_per_case=int(tiers[0]["price_fen"]) if tiers else 0,
                price_tiers=tiers,
            ),
        )
    return result


def _field_errors(
    problems: dict[str, list[str]],
    lines: list[LineRequest],
    terms: dict[str, OfferTerms],
    positions: list[int] | None = None,
) -> list[FieldError]:
    """Field errors for the rule problems; `positions` maps each checked line back to
    its place in the request (malformed lines were left out of the check)."""
    errors = []
    for problem_path, codes in problems.items():
        path = problem_path
        line = terms_of_line = None
        if path.startswith("lines."):
            _, number, rest = path.split(".", 2)
            line = lines[int(number)]
            terms_of_line = terms.get(line.offer_id)
            if positions is not None:
                path = f"lines.{positions[int(number)]}.{rest}"
        for code in codes:
            errors.append(FieldError(path, describe(code, line, terms_of_line), code))
    return errors


# ------------------------------------------------------------------ placement


@dataclass
class Placement:
    order: Order
    lines: list[PlacedLine]


async def place_order(
    session: AsyncSession,
    principal: Principal,
    body: OrderCreate,
    *,
    now: datetime | None = None,
) -> OrderDetail:
    """Check every line, then place the whole order with its stock reserved, or nothing.

    `now` is the placement instant (tests pass one to place at a chosen local time).
    """
    now = now or utcnow()
    buyer = await terms_for_caller(
        session, principal, body.buyer_org_id, lock=body.payment_method == "credit"
    )
    request = await _requested_lines(session, buyer, body)
    by_offer = await terms_for(session, buyer, [r.offer_id for r in request.lines])
    await _refuse_unless_placeable(session, buyer, body.payment_method, request, by_offer)
    requested = request.lines
    region = await directory.placement_rules(session, buyer.region_id)
    placement = await _create(session, principal, buyer, region, body, requested, by_offer, now)
    await _reserve(session, placement, region.reservation_minutes)
    await publish(
        session,
        "repository.order.placed",
        placed_event_data(placement.order, placement.lines),
        region_id=placement.order.region_id,
    )
    if body.from_cart:
        await OrderRepository(session).empty_cart(buyer.org_id)
    if placement.order.payment_method == PAID_ON_DELIVERY:
        await transition(
            session, placement.order, "confirm", actor_user_id=principal.user_id, reason="cod"
        )
    await session.flush()
    return _placed_detail(session, placement)


def _placed_detail(session: AsyncSession, placement: Placement) -> OrderDetail:
    """The answer to the placement from what was just written (no re-reading)."""
    order = placement.order
    steps = [t for t in session.info.get(RECORDED, []) if t.order_id == order.id]
    return OrderDetail(
        order=order,
        lines=sorted(placement.lines, key=lambda line: line.line_no),
        transitions=steps,
        allowed_actions=allowed_actions(order),
    )


async def _refuse_unless_placeable(
    session: AsyncSession,
    buyer: BuyerAccount | BuyerTerms,
    payment_method: str,
    requested: _Request,
    by_offer: dict[uuid.UUID, Terms],
) -> None:
    """Raise ORDER_REJECTED naming every problem of every line (orders/validation.py),
    malformed lines included."""
    line_requests = [LineRequest(str(r.offer_id), r.cases) for r in requested.lines]
    terms = {str(k): v.terms for k, v in by_offer.items()}
    credit_used = (
        await BuyerRepository(session).open_credit_fen(buyer.org_id)
        if payment_method == "credit"
        else 0
    )
    problems = order_problems(
        line_requests,
        terms,
        payment_method,
        set(buyer.payment_methods or []),
        buyer.credit_limit_fen,
        credit_used,
    )
    errors = _field_errors(problems, line_requests, terms, [r.index for r in requested.lines])
    errors.extend(requested.malformed)
    if errors:
        errors.sort(key=lambda e: _field_order(e.field))
        raise RuleViolation(
            f"{len(errors)} part(s) of the order cannot be accepted; nothing was placed",
            code=ORDER_REJECTED,
            errors=errors,
        )


def _field_order(field: str) -> tuple[int, str]:
    parts = field.split(".")
    if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit():
        return int(parts[1]), field
    return 1 << 30, field


@dataclass(frozen=True)
class _Requested:
    offer_id: uuid.UUID
    cases: int
    index: int = 0  # the line's position in the request


@dataclass
class _Request:
    lines: list[_Requested]
    malformed: list[FieldError]


async def _requested_lines(
    session: AsyncSession, buyer: BuyerAccount | BuyerTerms, body: OrderCreate
) -> _Request:
    if body.from_cart:
        request = _Request(
            [
                _Requested(c.offer_id, c.cases, index)
                for index, c in enumerate(await OrderRepository(session).cart_lines(buyer.org_id))
            ],
            [],
        )
    else:
        request = _parse_lines(body.lines or [])
    if not request.lines and not request.malformed:
        raise RuleViolation(
            "The order has no lines",
            code=ORDER_REJECTED,
            errors=[FieldError("lines", "add at least one line (or fill the cart)", "empty")],
        )
    return request


def _parse_lines(raw: list[Any]) -> _Request:
    """Each line against OrderLineCreate; a malformed line becomes field errors and
    the others still go through the rules, so the buyer sees everything at once."""
    request = _Request([], [])
    for index, item in enumerate(raw):
        if isinstance(item, OrderLineCreate):
            request.lines.append(_Requested(item.offer_id, item.cases, index))
            continue
        try:
            line = OrderLineCreate.model_validate(item)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"])
                request.malformed.append(
                    FieldError(
                        f"lines.{index}.{where}" if where else f"lines.{index}",
                        error["msg"],
                        error["type"],
                    )
                )
            continue
        request.lines.append(_Requested(line.offer_id, line.cases, index))
    return request


async def _create(
    session: AsyncSession,
    principal: Principal,
    buyer: BuyerAccount | BuyerTerms,
    region: Region | RegionRules,
    body: OrderCreate,
    requested: list[_Requested],
    by_offer: dict[uuid.UUID, Terms],
    now: datetime,
) -> Placement:
    zone = ZoneInfo(region.timezone)
    # To-order goods must first come in from their suppliers.
    lead_time = max(
        (
            by_offer[r.offer_id].offer.lead_time_days
            for r in requested
            if by_offer[r.offer_id].offer.fulfilment == "to_order"
        ),
        default=0,
    )
    cutoff_at, window_date, found_slot = await _window_for(session, region, buyer, now, lead_time)
    assert found_slot is not None
    slot = found_slot
    serial = await OrderRepository(session).next_order_serial()
    order = Order(
        id=uuid.uuid4(),
        serial=serial,
        number=order_number(now.astimezone(zone).date(), serial),
        region_id=buyer.region_id,
        buyer_org_id=buyer.org_id,
        placed_by_user_id=principal.user_id,
        status="placed",
        payment_method=body.payment_method,
        window_date=window_date,
        cutoff_at=cutoff_at,
        delivery_date=slot.delivery_date,
        route_id=slot.route_id,
        stop_id=slot.stop_id,
        station_org_id=slot.station_org_id,
        placed_at=now,
        reserved_until=(
            None
            if body.payment_method == PAID_ON_DELIVERY
            else now + timedelta(minutes=region.reservation_minutes)
        ),
        note=body.note,
        shortened_fen=0,
        parcels_expected=0,
        parcels_delivered=0,
        delivered_parcel_ids=[],
        delivered_at=None,
        version=1,
        created_at=now,
        updated_at=now,
    )
    lines = _lines(order, requested, by_offer)
    order.placed_total_fen = sum(line.amount_fen for line in lines)
    first_step = OrderTransition(
        id=new_id(),
        order_id=order.id,
        from_status=None,
        to_status="placed",
        action="place",
        actor_user_id=principal.user_id,
        reason=None,
        at=now,
    )
    session.info.setdefault(RECORDED, []).append(first_step)
    # the order (and its first transition) first, for the lines' foreign key
    await OrderRepository(session).insert_placed(order, first_step)
    await OrderRepository(session).insert_lines(lines)
    return Placement(order, lines)


def _lines(
    order: Order, requested: list[_Requested], by_offer: dict[uuid.UUID, Terms]
) -> list[PlacedLine]:
    """The order's lines at the offer's tier price for each line's quantity."""
    lines = []
    for line_no, request in enumerate(requested, start=1):
        found = by_offer[request.offer_id]
        price = unit_price_fen(found.terms, request.cases)
        lines.append(
            PlacedLine(
                id=uuid.uuid4(),
                order_id=order.id,
                line_no=line_no,
                offer_id=found.offer.id,
                variant_id=found.offer.variant_id,
                supplier_id=found.offer.supplier_id,
                fulfilment=found.offer.fulfilment,
                warehouse_id=found.warehouse_id,
                cases=request.cases,
                case_pack=found.offer.case_pack,
                unit_price_fen=price,
                amount_fen=price * request.cases,
                allocated_cases=0,
                shortened_cases=0,
            )
        )
    return lines


def order_number(local_day: date, serial: int) -> str:
    return f"{ORDER_NUMBER_PREFIX}-{local_day:%Y%m%d}-{serial:06d}"


async def _reserve(session: AsyncSession, placement: Placement, minutes: int) -> None:
    """Hold stock for the stocked lines, all in one statement (inventory.reserve_lines:
    rows locked in a fixed order, so concurrent orders cannot deadlock); a line that
    lost the race fails the whole order."""
    index_of = {line.id: index for index, line in enumerate(placement.lines)}
    stocked = [line for line in placement.lines if line.warehouse_id is not None]
    if not stocked:
        return
    try:
        short = await inventory.reserve_lines(session, placement.order, stocked, minutes)
    except DBAPIError as exc:
        # lock waits and deadlocks while reserving are lost races, not server errors
        if is_transient_conflict(exc):
            raise _lost(index_of[stocked[0].id], stocked[0]) from exc
        raise
    if short is not None:
        raise _lost(index_of[short.id], short)


def _lost(index: int, line: OrderLine | PlacedLine) -> AppError:
    return Conflict(
        "Another order took the last cases first; nothing was placed",
        code=OUT_OF_STOCK,
        errors=[
            FieldError(
                f"lines.{index}.cases", "Not enough stock is available", "insufficient_stock"
            )
        ],
    )


# ------------------------------------------------------------------ cancelling


async def cancel_by_buyer(
    session: AsyncSession,
    principal: Principal,
    order_id: uuid.UUID,
    reason: str,
    *,
    now: datetime | None = None,
) -> OrderDetail:
    """The buyer (or the region's operator) cancels while the order's window is open."""
    order = await _visible_order(session, principal, order_id, lock=True)
    ORDER.next_state(order.status, "cancel")  # 409 when the status no longer allows it
    if (now or utcnow()) >= order.cutoff_at:
        raise Conflict(
            "The order's window has closed; it is being purchased and can no longer be cancelled",
            code=CUTOFF_PASSED,
            extra={"cutoff_at": order.cutoff_at.isoformat()},
        )
    await transition(session, order, "cancel", actor_user_id=principal.user_id, reason=reason)
    return await detail_of(session, order)


# ------------------------------------------------------------------ what other services say


def _order_id(event: Event) -> uuid.UUID:
    return uuid.UUID(str(event.data["order_id"]))


async def confirm_after_payment(session: AsyncSession, event: Event) -> None:
    """payments.payment.succeeded / payments.order.accepted_on_credit: confirm once."""
    order = await OrderRepository(session).order_for_update(_order_id(event))
    if order is None or order.status != "placed":
        return  # already confirmed, or cancelled meanwhile (payments refunds that)
    reason = "accepted_on_credit" if event.type.endswith("accepted_on_credit") else "paid"
    if await OrderRepository(session).window_consolidated(order.region_id, order.window_date):
        # Paid after its window was bought: it joins the next open window, never a
        # purchase order already sent.
        await roll_over(session, order)
    await transition(session, order, "confirm", reason=reason)


async def miss_cutoff(session: AsyncSession, orders: list[Order], *, reason: str) -> None:
    """The window is being consolidated and these orders are still unpaid: each stays
    placed, the step is recorded and `repository.order.missed_cutoff` tells the buyer
    (and payments) that, paid before `reserved_until`, it rolls to the next window."""
    for order in orders:
        await transition(
            session,
            order,
            "miss_cutoff",
            reason=reason,
            extra={
                "window_date": order.window_date.isoformat(),
                "reserved_until": order.reserved_until.isoformat()
                if order.reserved_until
                else None,
            },
        )


async def roll_over(session: AsyncSession, order: Order, *, now: datetime | None = None) -> None:
    """Move an unpaid order whose window was consolidated to the window open now: new
    cut-off, window and delivery date; recorded, `repository.order.rolled_over`."""
    now = now or utcnow()
    region = await directory.region_rules(session, order.region_id)
    buyer = await BuyerRepository(session).get(order.buyer_org_id)
    before = order.window_date
    lead_time = await OrderRepository(session).lead_time_of(order.id)
    cutoff_at, window_date, slot = await _window_for(session, region, buyer, now, lead_time)
    order.cutoff_at, order.window_date = cutoff_at, window_date
    if slot is not None:
        order.delivery_date, order.route_id = slot.delivery_date, slot.route_id
    await transition(
        session,
        order,
        "roll_over",
        reason=f"paid after window {before.isoformat()} was consolidated",
        extra={
            "from_window_date": before.isoformat(),
            "window_date": window_date.isoformat(),
            "cutoff_at": cutoff_at.isoformat(),
            "delivery_date": order.delivery_date.isoformat() if order.delivery_date else None,
        },
    )


async def _window_for(
    session: AsyncSession,
    region: Region | RegionRules,
    buyer: BuyerAccount | BuyerTerms | None,
    now: datetime,
    lead_time: int,
) -> tuple[datetime, date, directory.DeliverySlot | None]:
    """The window an order made at `now` joins: the next cut-off, or the one after when
    the operator closed this one early (for the region or the buyer's route)."""
    zone = ZoneInfo(region.timezone)
    cutoff_at = window_closing_after(now, region.cutoff_time, zone)
    for _ in range(2):
        window_date = cutoff_at.astimezone(zone).date()
        slot = (
            await directory.delivery_slot(session, buyer, window_date, lead_time)
            if buyer is not None
            else None
        )
        route_id = slot.route_id if slot else None
        if not await OrderRepository(session).window_closed_early(region.id, window_date, route_id):
            return cutoff_at, window_date, slot
        cutoff_at = window_closing_after(cutoff_at, region.cutoff_time, zone)
    return cutoff_at, cutoff_at.astimezone(zone).date(), slot


async def cancel_after_failed_payment(session: AsyncSession, event: Event) -> None:
    """payments.payment.failed: an order still waiting for its money is cancelled."""
    order = await OrderRepository(session).order_for_update(_order_id(event))
    if order is None or order.status != "placed":
        return
    reason = f"payment_failed: {event.data.get('reason') or 'unknown'}"
    await transition(session, order, "cancel", reason=reason[:500])


async def record_parcel_delivered(session: AsyncSession, event: Event) -> None:
    """delivery.parcel.delivered: the order is delivered when its last parcel arrives."""
    if not event.data.get("order_id"):
        return  # a collection or a livestream sample parcel belongs to no buyer order
    parcel_id = event.data.get("parcel_id")
    order = await OrderRepository(session).count_parcel(
        _order_id(event), uuid.UUID(str(parcel_id)) if parcel_id else None
    )
    if order is None or order.status != "ready_for_delivery":
        return
    if order.parcels_delivered >= max(order.parcels_expected, 1):
        delivered_at = event.data.get("delivered_at")
        order.delivered_at = datetime.fromisoformat(delivered_at) if delivered_at else utcnow()
        await transition(session, order, "deliver", reason="all parcels delivered")


# ------------------------------------------------------------------ scheduled jobs


async def expire_unpaid_orders(session: AsyncSession, *, now: datetime | None = None) -> int:
    """Cancel placed orders whose hold ran out unpaid, giving their stock back."""
    orders = await OrderRepository(session).unpaid_orders_expired(now or utcnow(), BATCH)
    for order in orders:
        await transition(session, order, "cancel", reason="reservation_expired")
    return len(orders)


async def close_delivered_orders(session: AsyncSession, *, now: datetime | None = None) -> int:
    """Delivered orders without a dispute close after the region's close-after hours."""
    orders = await OrderRepository(session).orders_due_to_close(now or utcnow(), BATCH)
    for order in orders:
        await transition(session, order, "close", reason="close_after_hours")
    return len(orders)


# ------------------------------------------------------------------ closing a window now


@dataclass
class ClosedWindow:
    closure: WindowClosure
    orders_closed: int


async def close_window(
    session: AsyncSession,
    region_id: uuid.UUID,
    window_date: date,
    route_id: uuid.UUID | None,
    *,
    actor_user_id: uuid.UUID | None,
    reason: str | None,
    now: datetime | None = None,
) -> ClosedWindow:
    """The operator closes the window open now, for the region or one route: its
    orders' cut-off becomes now (they can be consolidated at once, no longer be
    cancelled) and orders placed afterwards join the next window. Repeating it
    changes nothing."""
    now = now or utcnow()
    region = await directory.region_rules(session, region_id)
    zone = ZoneInfo(region.timezone)
    open_date = window_closing_after(now, region.cutoff_time, zone).astimezone(zone).date()
    # after a close-now for the region, the next window is the one open now
    _, open_now, _ = await _window_for(session, region, None, now, 0)
    if window_date not in (open_date, open_now):
        raise Conflict(
            "Only the window open now can be closed early; "
            + ("this one has closed" if window_date < open_date else "this one is not open yet"),
            code=WINDOW_NOT_CURRENT,
            extra={"open_window_date": open_date.isoformat()},
        )
    closure = await OrderRepository(session).closure(region_id, window_date, route_id)
    if closure is None:
        closure = WindowClosure(
            region_id=region_id,
            window_date=window_date,
            route_id=route_id,
            closed_at=now,
            closed_by_user_id=actor_user_id,
            reason=reason,
        )
        await OrderRepository(session).add(closure)
    count = await OrderRepository(session).bring_cutoff_forward(
        region_id, window_date, route_id, closure.closed_at
    )
    return ClosedWindow(closure, count)


# ------------------------------------------------------------------ reads


async def _visible_order(
    session: AsyncSession, principal: Principal, order_id: uuid.UUID, *, lock: bool = False
) -> Order:
    order = await (
        OrderRepository(session).order_for_update(order_id)
        if lock
        else OrderRepository(session).get_order(order_id)
    )
    if order is None:
        raise NotFound("No such order")
    # the buyer's (active) organisation, the region's operator or an admin; else 404
    ensure_readable(principal, org_id=order.buyer_org_id, region_id=order.region_id, what="order")
    return order


@dataclass
class OrderDetail:
    order: Order
    lines: Sequence[OrderLine | PlacedLine]
    transitions: list[OrderTransition]
    allowed_actions: list[str]


def allowed_actions(order: Order, now: datetime | None = None) -> list[str]:
    """What the buyer (or the operator) may still do to the order through the API; the
    other steps are taken by payments, the purchasing job and delivery."""
    if "cancel" in ORDER.allowed_actions(order.status) and (now or utcnow()) < order.cutoff_at:
        return ["cancel"]
    return []


async def order_detail(
    session: AsyncSession, principal: Principal, order_id: uuid.UUID
) -> OrderDetail:
    order = await _visible_order(session, principal, order_id)
    return OrderDetail(
        order=order,
        lines=await OrderRepository(session).lines_of(order.id),
        transitions=await OrderRepository(session).transitions_of(order.id),
        allowed_actions=allowed_actions(order),
    )


async def detail_of(session: AsyncSession, order: Order) -> OrderDetail:
    """The placed order as its buyer sees it (answer to the placement)."""
    return OrderDetail(
        order=order,
        lines=await OrderRepository(session).lines_of(order.id),
        transitions=await OrderRepository(session).transitions_of(order.id),
        allowed_actions=allowed_actions(order),
    )


async def orders_page(
    session: AsyncSession,
    principal: Principal,
    *,
    status: str | None,
    window_date: date | None,
    region_id: uuid.UUID | None,
    buyer_org_id: uuid.UUID | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Order], dict[uuid.UUID, list[OrderLine]], str | None]:
    """Buyers see their own orders, operators their region's; newest first."""
    stmt = scope_to_caller(
        repository.orders_query(
            region_id=region_id, buyer_org_id=buyer_org_id, status=status, window_date=window_date
        ),
        principal,
        Order.buyer_org_id,
        region_column=Order.region_id,
        kinds=BUYER_KINDS,
    )
    orders, next_cursor = await paginate(
        session,
        stmt,
        sort=Sort("placed_at", True),
        sort_columns={"placed_at": Order.placed_at},
        id_column=Order.id,
        cursor=cursor,
        limit=limit,
    )
    lines = await OrderRepository(session).lines_of_orders([o.id for o in orders])
    return orders, lines, next_cursor


# ------------------------------------------------------------------ cart


@dataclass
class CartView:
    buyer_org_id: uuid.UUID
    lines: list[dict[str, Any]]
    total_fen: int


async def put_cart_line(
    session: AsyncSession, principal: Principal, offer_id: uuid.UUID, body: CartLineUpdate
) -> CartView:
    buyer = await account_for_caller(session, principal, body.buyer_org_id)
    if offer_id not in await OrderRepository(session).offers_for_ordering([offer_id]):
        raise NotFound("No such offer")
    await OrderRepository(session).put_cart_line(buyer.org_id, offer_id, body.cases)
    return await _cart(session, buyer)


async def remove_cart_line(
    session: AsyncSession,
    principal: Principal,
    offer_id: uuid.UUID,
    buyer_org_id: uuid.UUID | None,
) -> CartView:
    buyer = await account_for_caller(session, principal, buyer_org_id)
    if not await OrderRepository(session).delete_cart_line(buyer.org_id, offer_id):
        raise NotFound("This offer is not in the cart")
    return await _cart(session, buyer)


async def cart(
    session: AsyncSession, principal: Principal, buyer_org_id: uuid.UUID | None
) -> CartView:
    return await _cart(session, await account_for_caller(session, principal, buyer_org_id))


async def _cart(session: AsyncSession, buyer: BuyerAccount) -> CartView:
    """Each line with today's price for its quantity and what would stop it being ordered."""
    cart_lines: list[CartLine] = await OrderRepository(session).cart_lines(buyer.org_id)
    by_offer = await terms_for(session, buyer, [c.offer_id for c in cart_lines])
    lines, total = [], 0
    for cart_line in cart_lines:
        found = by_offer.get(cart_line.offer_id)
        request = LineRequest(str(cart_line.offer_id), cart_line.cases)
        codes = line_problems(request, found.terms if found else None)
        price = unit_price_fen(found.terms, cart_line.cases) if found else None
        amount = price * cart_line.cases if price is not None else None
        total += amount or 0
        offer = found.offer if found else None
        lines.append(
            {
                "offer_id": cart_line.offer_id,
                "variant_id": offer.variant_id if offer else None,
                "product_name": offer.product_name if offer else None,
                "variant_name": offer.variant_name if offer else None,
                "cases": cart_line.cases,
                "unit_price_fen": price,
                "amount_fen": amount,
                "available_cases": found.terms.available_cases if found else None,
                "problems": [
                    {
                        "code": code,
                        "message": describe(code, request, found.terms if found else None),
                    }
                    for code in codes
                ],
            }
        )
    return CartView(buyer_org_id=buyer.org_id, lines=lines, total_fen=total)
