"""Stock rules: every change is one movement applied by one conditional statement.

`move` is the only way stock changes. The balance row and the ledger change together
in the caller's transaction; the balance can always be rebuilt from the ledger (verify).
Reservations hold stock for an order line: held -> allocated -> picked, or released
(inventory/lifecycle.py RESERVATION; every step recorded in status_changes).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.directory.models import CatalogVariant
from services.repository.inventory.ledger import MOVEMENT_EFFECTS
from services.repository.inventory.lifecycle import RESERVATION
from services.repository.inventory.models import (
    Reservation,
    StockBalance,
    StockMovement,
    Warehouse,
)
from services.repository.inventory.repository import (
    MOVEMENT_SORTS,
    STOCK_SORTS,
    WAREHOUSE_SORTS,
    InventoryRepository,
)
from services.repository.inventory.schemas import (
    AdjustmentCreate,
    ReceiptCreate,
    ReturnCreate,
    TransferCreate,
    WarehouseCreate,
)
from services.repository.orders.models import Order, OrderLine, PlacedLine
from services.repository.problems import OUT_OF_STOCK
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.pagination import ListQuery

# Operator members who may book goods in and out (readers: any operator role).
STOCK_ROLES = ("owner", "admin", "staff")
# Kinds that only ever bring goods in: the balance row is created on first use.
INBOUND_KINDS = {k for k, (on_hand, reserved) in MOVEMENT_EFFECTS.items() if on_hand > 0}
# the documented sort keys of the lists (the repository keeps the columns)
WAREHOUSE_SORT_FIELDS = tuple(WAREHOUSE_SORTS)
STOCK_SORT_FIELDS = tuple(STOCK_SORTS)
MOVEMENT_SORT_FIELDS = tuple(MOVEMENT_SORTS)


# ------------------------------------------------------------------ the one primitive


async def move(
    session: AsyncSession,
    *,
    warehouse_id: uuid.UUID,
    variant_id: uuid.UUID,
    kind: str,
    cases: int,
    reason: str | None = None,
    order_id: uuid.UUID | None = None,
    order_line_id: uuid.UUID | None = None,
    purchase_order_id: uuid.UUID | None = None,
    actor_user_id: uuid.UUID | None = None,
) -> StockBalance:
    """Apply one movement to the balance and append it to the ledger.

    Raises Conflict(OUT_OF_STOCK) when the balance would go below zero (nothing changes).
    Returns the balance after the movement (a detached snapshot).
    """
    movement = await _apply(
        session,
        StockMovement(
            warehouse_id=warehouse_id,
            variant_id=variant_id,
            kind=kind,
            cases=cases,
            reason=reason,
            order_id=order_id,
            order_line_id=order_line_id,
            purchase_order_id=purchase_order_id,
            actor_user_id=actor_user_id,
        ),
    )
    return StockBalance(
        warehouse_id=warehouse_id,
        variant_id=variant_id,
        on_hand=movement.on_hand_after,
        reserved=movement.reserved_after,
    )


async def _apply(session: AsyncSession, movement: StockMovement) -> StockMovement:
    kind, cases = movement.kind, movement.cases
    if kind not in MOVEMENT_EFFECTS:
        raise ValueError(f"unknown movement kind {kind!r}")
    if cases == 0 or (cases < 0 and kind != "adjustment"):
        raise ValueError(f"a {kind} moves a positive number of cases, not {cases}")
    on_hand_sign, reserved_sign = MOVEMENT_EFFECTS[kind]
    on_hand_delta, reserved_delta = on_hand_sign * cases, reserved_sign * cases
    after: tuple[int, int] | None
    if kind in INBOUND_KINDS and on_hand_delta > 0:
        after = await InventoryRepository(session).add_on_hand(
            movement.warehouse_id, movement.variant_id, on_hand_delta
        )
    elif on_hand_delta == reserved_delta == 0:
        # An allocation changes no count: recording it must not queue behind placements.
        after = await InventoryRepository(session).current_values(
            movement.warehouse_id, movement.variant_id
        )
    else:
        after = await InventoryRepository(session).apply_deltas(
            movement.warehouse_id, movement.variant_id, on_hand_delta, reserved_delta
        )
    if after is None:
        raise Conflict(
            f"Not enough stock for a {kind} of {abs(cases)} cases",
            code=OUT_OF_STOCK,
            extra={
                "warehouse_id": str(movement.warehouse_id),
                "variant_id": str(movement.variant_id),
            },
        )
    movement.on_hand_after, movement.reserved_after = after
    session.add(movement)
    return movement


# ------------------------------------------------------------------ reservations


async def reserve(
    session: AsyncSession, order: Order, line: OrderLine, minutes: int
) -> Reservation:
    """Hold the line's cases for the order until it is paid (or `minutes` after placing)."""
    assert line.warehouse_id is not None, "only stocked lines are reserved"
    await move(
        session,
        warehouse_id=line.warehouse_id,
        variant_id=line.variant_id,
        kind="reservation",
        cases=line.cases,
        order_id=order.id,
        order_line_id=line.id,
        actor_user_id=order.placed_by_user_id,
    )
    reservation = Reservation(
        order_line_id=line.id,
        order_id=order.id,
        warehouse_id=line.warehouse_id,
        variant_id=line.variant_id,
        cases=line.cases,
        status="held",
        expires_at=order.placed_at + timedelta(minutes=minutes),
    )
    session.add(reservation)
    return reservation


async def reserve_lines(
    session: AsyncSession, order: Order, lines: list[PlacedLine], minutes: int
) -> PlacedLine | None:
    """Hold every stocked line's cases at once: one conditional UPDATE for all the
    balances, then the reservations and the ledger rows as multi-row INSERTs.

    Returns the first line (in lock order) that could not be held, None when all were;
    on a refusal nothing is written here and the caller fails the whole transaction."""
    wanted: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for line in lines:
        assert line.warehouse_id is not None, "only stocked lines are reserved"
        key = (line.warehouse_id, line.variant_id)
        wanted[key] = wanted.get(key, 0) + line.cases
    after = await InventoryRepository(session).reserve_many(wanted)
    ordered = sorted(lines, key=lambda li: (str(li.warehouse_id), str(li.variant_id), li.line_no))
    for line in ordered:
        if (line.warehouse_id, line.variant_id) not in after:
            return line
    # each line's ledger row shows the balance after it: later lines of a key come last
    left = {key: cases for key, cases in wanted.items()}
    expires_at = order.placed_at + timedelta(minutes=minutes)
    movements: list[dict[str, Any]] = []
    reservations: list[dict[str, Any]] = []
    for line in ordered:
        assert line.warehouse_id is not None
        key = (line.warehouse_id, line.variant_id)
        on_hand, reserved = after[key]
        left[key] -= line.cases
        movements.append(
            {
                "warehouse_id": line.warehouse_id,
                "variant_id": line.variant_id,
                "kind": "reservation",
                "cases": line.cases,
                "on_hand_after": on_hand,
                "reserved_after": reserved - left[key],
                "reason": None,
                "order_id": order.id,
                "order_line_id": line.id,
                "purchase_order_id": None,
                "actor_user_id": order.placed_by_user_id,
            }
        )
        reservations.append(
            {
                "order_line_id": line.id,
                "order_id": order.id,
                "warehouse_id": line.warehouse_id,
                "variant_id": line.variant_id,
                "cases": line.cases,
                "status": "held",
                "expires_at": expires_at,
            }
        )
    await InventoryRepository(session).insert_held(movements, reservations)
    return None


async def keep_until_consolidated(session: AsyncSession, order: Order) -> None:
    """A paid (or credited) order's holds no longer expire: consolidation allocates them."""
    await InventoryRepository(session).set_reservation_expiry(order.id, None)


async def release(
    session: AsyncSession,
    order: Order,
    *,
    reason: str,
    actor_user_id: uuid.UUID | None = None,
) -> int:
    """Give back every held reservation of the order; returns the cases released."""
    released = 0
    for reservation in await InventoryRepository(session).reservations_of_order(order.id, "held"):
        await move(
            session,
            warehouse_id=reservation.warehouse_id,
            variant_id=reservation.variant_id,
            kind="release",
            cases=reservation.cases,
            reason=reason,
            order_id=order.id,
            order_line_id=reservation.order_line_id,
            actor_user_id=actor_user_id,
        )
        await RESERVATION.apply(
            session,
            reservation,
            "release",
            actor_id=actor_user_id,
            reason=reason,
            entity_id=reservation.order_line_id,
        )
        reservation.expires_at = None
        released += reservation.cases
    return released


async def allocate(
    session: AsyncSession,
    order: Order,
    line: OrderLine,
    *,
    actor_user_id: uuid.UUID | None = None,
) -> Reservation | None:
    """Commit the line's held stock to the order (None when nothing is held for it)."""
    reservation = await InventoryRepository(session).reservation_of_line(line.id)
    if reservation is None or reservation.status != "held":
        return None
    await move(
        session,
        warehouse_id=reservation.warehouse_id,
        variant_id=reservation.variant_id,
        kind="allocation",
        cases=reservation.cases,
        order_id=order.id,
        order_line_id=line.id,
        actor_user_id=actor_user_id,
    )
    await RESERVATION.apply(
        session, reservation, "allocate", actor_id=actor_user_id, entity_id=line.id
    )
    reservation.expires_at = None
    return reservation


async def pick(
    session: AsyncSession, order: Order, *, actor_user_id: uuid.UUID | None = None
) -> int:
    """The order's allocated stock leaves the shelf for delivery; returns the cases picked."""
    picked = 0
    for reservation in await InventoryRepository(session).reservations_of_order(
        order.id, "allocated"
    ):
        await move(
            session,
            warehouse_id=reservation.warehouse_id,
            variant_id=reservation.variant_id,
            kind="pick",
            cases=reservation.cases,
            order_id=order.id,
            order_line_id=reservation.order_line_id,
            actor_user_id=actor_user_id,
        )
        await RESERVATION.apply(
            session,
            reservation,
            "pick",
            actor_id=actor_user_id,
            reason="picked for delivery",
            entity_id=reservation.order_line_id,
        )
        picked += reservation.cases
    return picked


async def county_warehouse(session: AsyncSession, region_id: uuid.UUID) -> Warehouse | None:
    return await InventoryRepository(session).county_warehouse(region_id)


async def county_stock(
    session: AsyncSession, region_id: uuid.UUID, variant_ids: list[uuid.UUID]
) -> tuple[uuid.UUID | None, dict[uuid.UUID, int]]:
    """(the county warehouse's id or None, available cases there per variant)."""
    return await InventoryRepository(session).county_stock(region_id, variant_ids)


async def available_cases(
    session: AsyncSession, warehouse_id: uuid.UUID, variant_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    return await InventoryRepository(session).available_by_variant(warehouse_id, variant_ids)


# ------------------------------------------------------------------ warehouses


async def create_warehouse(
    session: AsyncSession, principal: Principal, body: WarehouseCreate
) -> Warehouse:
    ensure_operator_of(principal, body.region_id, STOCK_ROLES)
    if await InventoryRepository(session).warehouse_by_code(body.region_id, body.code) is not None:
        raise Conflict(
            "The region already has a warehouse with this code",
            errors=[FieldError("code", "already used in this region", "duplicate")],
        )
    warehouse = Warehouse(
        region_id=body.region_id,
        code=body.code,
        name=body.name,
        is_county_warehouse=body.is_county_warehouse,
    )
    await InventoryRepository(session).add(warehouse)
    return warehouse


async def list_warehouses(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, query: ListQuery
) -> tuple[list[Warehouse], str | None]:
    ensure_operator_of(principal, region_id)
    return await InventoryRepository(session).warehouses_page(region_id, query)


async def _warehouse(
    session: AsyncSession,
    principal: Principal,
    warehouse_id: uuid.UUID,
    roles: tuple[str, ...] | None = None,
) -> Warehouse:
    warehouse = await InventoryRepository(session).get_warehouse(warehouse_id)
    # A warehouse is the region operator's: to anyone else it does not exist (404); an
    # operator whose role may not do this gets the 403.
    if warehouse is None or not (
        principal.platform_admin or principal.is_operator_of(warehouse.region_id)
    ):
        raise NotFound("No such warehouse")
    if roles is not None:
        ensure_operator_of(principal, warehouse.region_id, roles)
    return warehouse


async def _ensure_variant_known(
    session: AsyncSession, warehouse: Warehouse, variant_id: uuid.UUID
) -> None:
    variant = await session.get(CatalogVariant, variant_id)
    if variant is None or variant.region_id != warehouse.region_id:
        raise RuleViolation(
            "The variant is not in this region's catalog",
            errors=[FieldError("variant_id", "unknown in this region", "unknown_variant")],
        )


# ------------------------------------------------------------------ booking goods


async def receive_goods(
    session: AsyncSession, principal: Principal, warehouse_id: uuid.UUID, body: ReceiptCreate
) -> StockMovement:
    warehouse = await _warehouse(session, principal, warehouse_id, STOCK_ROLES)
    await _ensure_variant_known(session, warehouse, body.variant_id)
    return await _book(
        session,
        principal,
        warehouse,
        body.variant_id,
        "receipt",
        body.cases,
        body.reason,
        purchase_order_id=body.purchase_order_id,
    )


async def adjust(
    session: AsyncSession, principal: Principal, warehouse_id: uuid.UUID, body: AdjustmentCreate
) -> StockMovement:
    """A count correction (breakage, stocktake): signed, always with its reason."""
    warehouse = await _warehouse(session, principal, warehouse_id, STOCK_ROLES)
    await _ensure_variant_known(session, warehouse, body.variant_id)
    return await _book(
        session, principal, warehouse, body.variant_id, "adjustment", body.cases, body.reason
    )


async def take_return(
    session: AsyncSession, principal: Principal, warehouse_id: uuid.UUID, body: ReturnCreate
) -> StockMovement:
    warehouse = await _warehouse(session, principal, warehouse_id, STOCK_ROLES)
    await _ensure_variant_known(session, warehouse, body.variant_id)
    return await _book(
        session,
        principal,
        warehouse,
        body.variant_id,
        "return",
        body.cases,
        body.reason,
        order_id=body.order_id,
    )


async def transfer(
    session: AsyncSession, principal: Principal, warehouse_id: uuid.UUID, body: TransferCreate
) -> list[StockMovement]:
    """Out of one warehouse and into another of the same region, both or neither."""
    source = await _warehouse(session, principal, warehouse_id, STOCK_ROLES)
    target = await InventoryRepository(session).get_warehouse(body.to_warehouse_id)
    if target is None or target.region_id != source.region_id or target.id == source.id:
        raise RuleViolation(
            "Transfers go to another warehouse of the same region",
            errors=[FieldError("to_warehouse_id", "another warehouse of this region")],
        )
    await _ensure_variant_known(session, source, body.variant_id)
    # Lock both rows in one order so opposite transfers cannot deadlock each other.
    await InventoryRepository(session).lock_balances([source.id, target.id], body.variant_id)
    out = await _book(
        session, principal, source, body.variant_id, "transfer_out", body.cases, body.reason
    )
    into = await _book(
        session, principal, target, body.variant_id, "transfer_in", body.cases, body.reason
    )
    return [out, into]


async def _book(
    session: AsyncSession,
    principal: Principal,
    warehouse: Warehouse,
    variant_id: uuid.UUID,
    kind: str,
    cases: int,
    reason: str | None,
    **links: Any,
) -> StockMovement:
    movement = await _apply(
        session,
        StockMovement(
            warehouse_id=warehouse.id,
            variant_id=variant_id,
            kind=kind,
            cases=cases,
            reason=reason,
            actor_user_id=principal.user_id,
            **links,
        ),
    )
    await session.flush()
    return movement


# ------------------------------------------------------------------ reads


@dataclass(frozen=True)
class Drift:
    variant_id: uuid.UUID
    on_hand: int
    reserved: int
    ledger_on_hand: int
    ledger_reserved: int


async def stock_page(
    session: AsyncSession,
    principal: Principal,
    warehouse_id: uuid.UUID,
    query: ListQuery,
    *,
    variant_id: uuid.UUID | None,
    only_available: bool,
) -> tuple[list[StockBalance], str | None]:
    await _warehouse(session, principal, warehouse_id)
    return await InventoryRepository(session).stock_page(
        warehouse_id, query, variant_id=variant_id, only_available=only_available
    )


async def movements_page(
    session: AsyncSession,
    principal: Principal,
    warehouse_id: uuid.UUID,
    query: ListQuery,
    *,
    variant_id: uuid.UUID | None,
    kind: str | None,
    order_id: uuid.UUID | None,
) -> tuple[list[StockMovement], str | None]:
    await _warehouse(session, principal, warehouse_id)
    return await InventoryRepository(session).movements_page(
        warehouse_id, query, variant_id=variant_id, kind=kind, order_id=order_id
    )


async def verify(
    session: AsyncSession, principal: Principal, warehouse_id: uuid.UUID
) -> tuple[int, list[Drift]]:
    """Rebuild every balance of the warehouse from its ledger; (variants checked, drifts)."""
    await _warehouse(session, principal, warehouse_id)
    stored = await InventoryRepository(session).all_balances(warehouse_id)
    rebuilt = await InventoryRepository(session).ledger_totals(warehouse_id)
    drifts = []
    for variant_id in sorted(set(stored) | set(rebuilt)):
        on_hand, reserved = stored.get(variant_id, (0, 0))
        ledger_on_hand, ledger_reserved = rebuilt.get(variant_id, (0, 0))
        if (on_hand, reserved) != (ledger_on_hand, ledger_reserved):
            drifts.append(Drift(variant_id, on_hand, reserved, ledger_on_hand, ledger_reserved))
    return len(set(stored) | set(rebuilt)), drifts
