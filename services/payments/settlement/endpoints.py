"""Offline payment: bank transfer receipts, cash-on-delivery runs, credit lines."""

from __future__ import annotations

import uuid

from services.payments.db import kernel
from services.payments.settlement import service
from services.payments.settlement.schemas import (
    BankReceiptIn,
    CreditLineIn,
    CreditLineOut,
    HandInIn,
    OrderMoney,
    RunReport,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-settlement"])


def _money(order) -> OrderMoney:
    return OrderMoney(
        order_id=order.order_id,
        payment_method=order.payment_method,
        status=order.status,
        total_fen=order.total_fen,
        removed_fen=order.removed_fen,
        paid_fen=order.paid_fen,
        refunded_fen=order.refunded_fen,
        owed_fen=service.owed_fen(order),
        reference_code=order.reference_code,
        delivered_at=order.delivered_at,
        closed_at=order.closed_at,
    )


@router.get("/orders/{order_id}", response_model=OrderMoney)
async def get_order_money(
    order_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> OrderMoney:
    """What the order costs, what was paid and given back, what is owed; bank reference code."""
    return _money(await service.bank_transfer_instructions(session, principal, order_id))


@router.post("/bank-receipts", status_code=201, response_model=OrderMoney)
async def record_bank_receipt(
    body: BankReceiptIn, session: SessionDep, principal: CurrentPrincipal
) -> OrderMoney:
    """The operator records a bank transfer received for a reference code."""
    order = await service.record_bank_receipt(
        session, principal, body.reference_code, body.amount_fen, body.bank_reference
    )
    return _money(order)


@router.get("/cod/runs/{run_id}", response_model=RunReport)
async def get_run(run_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal) -> RunReport:
    return RunReport.model_validate(await service.run_report(session, principal, run_id))


@router.post("/cod/runs/{run_id}/hand-ins", status_code=201, response_model=RunReport)
async def hand_in(
    run_id: uuid.UUID, body: HandInIn, session: SessionDep, principal: CurrentPrincipal
) -> RunReport:
    """Cash handed in for a delivery run; the answer reports any missing amount."""
    report = await service.record_hand_in(session, principal, run_id, body.amount_fen)
    return RunReport.model_validate(report)


@router.put("/credit-lines/{buyer_org_id}", response_model=CreditLineOut)
async def set_credit_line(
    buyer_org_id: uuid.UUID, body: CreditLineIn, session: SessionDep, principal: CurrentPrincipal
) -> CreditLineOut:
    line = await service.set_credit_line(
        session, principal, buyer_org_id, body.region_id, body.limit_fen, body.terms_days
    )
    return CreditLineOut.model_validate(line)


@router.get("/credit-lines/{buyer_org_id}", response_model=CreditLineOut)
async def get_credit_line(
    buyer_org_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> CreditLineOut:
    """The buyer's credit line as payments decides credit orders with it (set here or on the
    buyer account in the repository)."""
    return CreditLineOut.model_validate(
        await service.get_credit_line(session, principal, buyer_org_id)
    )
