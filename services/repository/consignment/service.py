"""Stock to and from the livestream base (consignment, 寄售).

A transfer takes whole cases out of a warehouse through the inventory ledger (a
`transfer_out`, refused when the stock is not there) and tells livestream the units it
received (`repository.consignment.transferred`). A return to a warehouse
(`livestream.consignment.returned`) goes back by the variant and case pack of the last
transfer of that product from that warehouse: its units join the warehouse's loose units of
that variant, and every whole case they make goes back into stock (a `transfer_in`); the
units short of a case stay held (`consignment_loose_units`) until a later return makes up
the case, so no returned unit is lost to rounding."""

from __future__ import annotations

import uuid
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.consignment.models import ConsignmentReturn, ConsignmentTransfer
from services.repository.consignment.repository import (
    RETURN_SORTS,
    TRANSFER_SORTS,
    ConsignmentRepository,
)
from services.repository.consignment.schemas import ConsignmentTransferCreate
from services.repository.inventory.service import STOCK_ROLES, move
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of
from shared.db import utcnow
from shared.errors import FieldError, NotFound, RuleViolation
from shared.events import Event, publish
from shared.pagination import ListQuery

log = structlog.get_logger(__name__)
TRANSFERRED = "repository.consignment.transferred"
# the documented sort keys of the lists (the repository keeps the columns)
TRANSFER_SORT_FIELDS = tuple(TRANSFER_SORTS)
RETURN_SORT_FIELDS = tuple(RETURN_SORTS)


async def transfer_to_base(
    session: AsyncSession, principal: Principal, body: ConsignmentTransferCreate
) -> ConsignmentTransfer:
    repo = ConsignmentRepository(session)
    warehouse = await repo.warehouse(body.warehouse_id)
    # a warehouse is its region operator's: to anyone else it does not exist
    if warehouse is None or not (
        principal.platform_admin or principal.is_operator_of(warehouse.region_id)
    ):
        raise NotFound("No such warehouse")
    ensure_operator_of(principal, warehouse.region_id, STOCK_ROLES)
    offer = await repo.offer(body.offer_id)
    if offer is None or offer.region_id != warehouse.region_id:
        raise RuleViolation(
            "The offer is not one of this region's",
            errors=[FieldError("offer_id", "no such offer in this region", "unknown_offer")],
        )
    variant = await repo.variant(offer.variant_id)
    if variant is None:
        raise RuleViolation(
            "The offer's variant is not in this region's catalog",
            errors=[FieldError("offer_id", "variant unknown", "unknown_variant")],
        )
    transfer = ConsignmentTransfer(
        id=uuid.uuid4(),
        region_id=warehouse.region_id,
        warehouse_id=warehouse.id,
        supplier_id=offer.supplier_id,
        offer_id=offer.id,
        variant_id=offer.variant_id,
        product_id=variant.product_id,
        cases=body.cases,
        case_pack=offer.case_pack,
        quantity=body.cases * offer.case_pack,
        reason=body.reason,
        actor_user_id=principal.user_id,
        at=utcnow(),
    )
    await move(
        session,
        warehouse_id=warehouse.id,
        variant_id=offer.variant_id,
        kind="transfer_out",
        cases=body.cases,
        reason=f"consignment to the livestream base (transfer {transfer.id})",
        actor_user_id=principal.user_id,
    )
    await repo.add(transfer)
    await publish(
        session,
        TRANSFERRED,
        {
            "transfer_id": str(transfer.id),
            "region_id": str(transfer.region_id),
            "warehouse_id": str(transfer.warehouse_id),
            "supplier_org_id": str(transfer.supplier_id),
            "catalog_product_id": str(transfer.product_id),
            "offer_id": str(transfer.offer_id),
            "quantity": transfer.quantity,
            "at": transfer.at.isoformat(),
        },
        region_id=transfer.region_id,
    )
    return transfer


async def get_transfer(
    session: AsyncSession, principal: Principal, transfer_id: uuid.UUID
) -> ConsignmentTransfer:
    transfer = await ConsignmentRepository(session).transfer(transfer_id)
    if transfer is None or not (
        principal.platform_admin or principal.is_operator_of(transfer.region_id)
    ):
        raise NotFound("No such consignment transfer")
    return transfer


async def list_transfers(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, query: ListQuery
) -> tuple[list[ConsignmentTransfer], str | None]:
    ensure_operator_of(principal, region_id)
    return await ConsignmentRepository(session).transfers_page(region_id, query)


async def list_returns(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, query: ListQuery
) -> tuple[list[ConsignmentReturn], str | None]:
    ensure_operator_of(principal, region_id)
    return await ConsignmentRepository(session).returns_page(region_id, query)


async def record_return(session: AsyncSession, event: Event) -> None:
    """Goods left the base: to a warehouse, they rejoin its stock (whole cases on the shelf,
    the rest held loose until a case is made up)."""
    data = event.data
    repo = ConsignmentRepository(session)
    return_id = uuid.UUID(data["return_id"])
    if await repo.returned(return_id) is not None:
        return
    region_id = uuid.UUID(data["region_id"])
    product_id = uuid.UUID(data["catalog_product_id"])
    quantity = int(data["quantity"])
    warehouse_id = uuid.UUID(data["warehouse_id"]) if data.get("warehouse_id") else None
    row = ConsignmentReturn(
        return_id=return_id,
        region_id=region_id,
        supplier_id=uuid.UUID(data["supplier_org_id"]),
        product_id=product_id,
        destination=data["destination"],
        warehouse_id=warehouse_id,
        quantity=quantity,
        outcome="to_supplier",
        at=datetime.fromisoformat(data["at"]) if data.get("at") else utcnow(),
    )
    if data["destination"] == "warehouse" and warehouse_id is not None:
        sent = await repo.last_transfer(
            region_id=region_id, product_id=product_id, warehouse_id=warehouse_id
        )
        if sent is None:
            row.outcome = "unknown_transfer"
            log.warning("consignment.return_without_transfer", return_id=str(return_id))
        else:
            row.variant_id = sent.variant_id
            held = await repo.add_loose_units(
                warehouse_id, sent.variant_id, sent.case_pack, quantity
            )
            row.cases, row.loose_units = divmod(held, sent.case_pack)
            row.outcome = "restocked"
            if row.cases:
                await repo.take_loose_units(
                    warehouse_id, sent.variant_id, sent.case_pack, row.cases * sent.case_pack
                )
                await move(
                    session,
                    warehouse_id=warehouse_id,
                    variant_id=sent.variant_id,
                    kind="transfer_in",
                    cases=row.cases,
                    reason=f"consignment return from the livestream base ({return_id})",
                )
    await repo.add(row)
