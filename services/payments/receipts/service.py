"""Goods receipts: what the county warehouse accepted from a supplier, as a memo.

The supplier's payable is not moved here: it was credited at sale and is debited back by
shortages (see ledger.core.goods_received_memo). The receipt is kept so the operator and
the supplier can hold what was received at cost against the supplier's statement.
"""

from __future__ import annotations

import uuid

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.ledger import core
from services.payments.ledger.repository import LedgerRepository
from services.payments.receipts.models import GoodsReceipt
from services.payments.receipts.repository import SORT_COLUMNS, GoodsReceiptRepository
from shared.auth import ensure_readable
from shared.auth.principal import Principal
from shared.errors import NotFound
from shared.events import Event
from shared.pagination import Sort, paginate

log = structlog.get_logger(__name__)


def _line(raw: dict) -> dict:
    return {
        "variant_id": str(raw["variant_id"]),
        "accepted": int(raw.get("accepted") or 0),
        "rejected": int(raw.get("rejected") or 0),
        "unit_cost_fen": int(raw.get("unit_cost_fen") or 0),
    }


async def record_goods_received(session: AsyncSession, event: Event) -> None:
    """repository.purchase_order.received: recorded once per purchase order, however often
    it is delivered (the first receipt stands; the journal memo is unique per cause too)."""
    data = event.data
    purchase_order_id = uuid.UUID(str(data["purchase_order_id"]))
    lines = [_line(raw) for raw in data.get("lines") or []]
    accepted_fen = int(data["accepted_amount_fen"])
    inserted = await GoodsReceiptRepository(session).insert_once(
        {
            "purchase_order_id": purchase_order_id,
            "region_id": uuid.UUID(str(data["region_id"])),
            "supplier_id": uuid.UUID(str(data["supplier_id"])),
            "lines": lines,
            "accepted_amount_fen": accepted_fen,
            "rejected_amount_fen": sum(x["rejected"] * x["unit_cost_fen"] for x in lines),
            # the repository publishes the event as the warehouse books the receipt
            "received_at": event.occurred_at,
        },
    )
    if not inserted:
        log.info("payments.goods_receipt_duplicate", purchase_order_id=str(purchase_order_id))
        return
    await LedgerRepository(session).append(
        core.goods_received_memo(purchase_order_id, accepted_fen),
        uuid.UUID(str(data["region_id"])),
    )


async def get_receipt(
    session: AsyncSession, principal: Principal, purchase_order_id: uuid.UUID
) -> GoodsReceipt:
    """The supplier and the region's operator see a receipt; anyone else gets 404."""
    receipt = await GoodsReceiptRepository(session).get(purchase_order_id)
    if receipt is None:
        raise NotFound("No such goods receipt")
    ensure_readable(
        principal, org_id=receipt.supplier_id, region_id=receipt.region_id, what="goods receipt"
    )
    return receipt


async def list_receipts(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    supplier_id: uuid.UUID | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[GoodsReceipt], str | None]:
    """A supplier's own goods receipts; an operator its region's."""
    stmt = GoodsReceiptRepository(session).listing(
        principal, region_id=region_id, supplier_id=supplier_id
    )
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=SORT_COLUMNS,
        id_column=GoodsReceipt.purchase_order_id,
        cursor=cursor,
        limit=limit,
    )
