"""The purchase order's life (集采单): one explicit transition table.

sent: the window's consolidation created it and the supplier can see it.
confirmed / partially_confirmed: the supplier will deliver all / part of it (a partial
confirmation shortens the waiting order lines at once, by the fair rule).
cancelled: the supplier can deliver nothing of it (every waiting line is shortened).
shipped: the supplier says the goods left. received: the county warehouse booked what
it accepted and rejected; the warehouse may receive a confirmed order that was never
marked shipped (the driver is at the gate), but only once.
"""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.purchasing.models import PurchaseOrder, PurchaseOrderTransition
from shared.events import publish
from shared.state_machine import machine

PURCHASE_ORDER = machine(
    "purchase order",
    [
        ("sent", "confirm", "confirmed"),
        ("sent", "confirm_partly", "partially_confirmed"),
        ("sent", "decline", "cancelled"),
        ("confirmed", "ship", "shipped"),
        ("partially_confirmed", "ship", "shipped"),
        ("confirmed", "receive", "received"),
        ("partially_confirmed", "receive", "received"),
        ("shipped", "receive", "received"),
    ],
)

# A window's consolidation run (consolidation_runs, one row per window): the operator's
# request queues it, the worker starts it (or resumes one that stopped half-way, or
# starts a finished window again when new lines reached it) and finishes it.
CONSOLIDATION_RUN = machine(
    "consolidation run",
    [
        ("queued", "start", "running"),
        ("running", "start", "running"),
        ("done", "start", "running"),
        ("running", "finish", "done"),
        ("done", "request", "queued"),
    ],
)

# Consolidation may still add late lines to a purchase order the supplier has not answered.
OPEN_FOR_LINES = frozenset({"sent"})


async def apply(
    session: AsyncSession,
    purchase_order: PurchaseOrder,
    action: str,
    *,
    actor_user_id: uuid.UUID | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> str:
    """Move the purchase order by the table, record who/when/why and publish
    `repository.purchase_order.<new status>` (with `data` instead of the default payload)."""
    before = purchase_order.status
    after = PURCHASE_ORDER.next_state(before, action)
    purchase_order.status = after
    purchase_order.version += 1
    await record(session, purchase_order, before, action, actor_user_id, reason, data)
    return after


async def record(
    session: AsyncSession,
    purchase_order: PurchaseOrder,
    before: str | None,
    action: str,
    actor_user_id: uuid.UUID | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """The transition row and its event (also for `send`, the PO's creation)."""
    session.add(
        PurchaseOrderTransition(
            purchase_order_id=purchase_order.id,
            from_status=before,
            to_status=purchase_order.status,
            action=action,
            actor_user_id=actor_user_id,
            reason=reason,
        )
    )
    await publish(
        session,
        f"repository.purchase_order.{purchase_order.status}",
        data
        if data is not None
        else {
            "purchase_order_id": str(purchase_order.id),
            "number": purchase_order.number,
            "supplier_id": str(purchase_order.supplier_id),
            "region_id": str(purchase_order.region_id),
            "window_date": purchase_order.window_date.isoformat(),
            "round_no": purchase_order.round_no,
            "from_status": before,
            "status": purchase_order.status,
            "action": action,
            "reason": reason,
            "total_cost_fen": purchase_order.total_cost_fen,
            "expected_arrival": (
                purchase_order.expected_arrival.isoformat()
                if purchase_order.expected_arrival
                else None
            ),
        },
        region_id=purchase_order.region_id,
    )
