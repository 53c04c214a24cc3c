"""Ledger reads: balances per organisation, reconciliation on demand."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Depends

from services.payments.db import kernel
from services.payments.ledger import reconcile, repository
from shared.auth.dependencies import CurrentPrincipal, require_platform_admin
from shared.auth.scope import ensure_acts_for_org
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments/ledger", tags=["payments-ledger"])


@router.get("/balances/{org_id}")
async def org_balances(
    org_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> dict[str, int]:
    """Debit-positive balances of the organisation's accounts, derived from the journal."""
    ensure_acts_for_org(principal, org_id, what="organisation")
    return await repository.org_balances(session, org_id)


@router.post("/reconciliations", dependencies=[Depends(require_platform_admin())])
async def run_reconciliation(session: SessionDep) -> dict[str, Any]:
    """Compare Stripe with the ledger now (the daily job does the same)."""
    return await reconcile.reconcile_stripe(session)
