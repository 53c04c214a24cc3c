from __future__ import annotations

import uuid

from services.suppliers.db import kernel
from services.suppliers.payouts import service
from services.suppliers.payouts.schemas import PayoutAccount, PayoutAccountUpdate
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-payouts"])


@router.put(
    "/{supplier_id}/payout-account", response_model=PayoutAccount, responses={403: {}, 404: {}}
)
async def set_payout_account(
    supplier_id: uuid.UUID,
    body: PayoutAccountUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> PayoutAccount:
    """Set the bank account settlements are paid to (owner, admin or finance of the supplier)."""
    return PayoutAccount.model_validate(
        await service.set_account(session, principal, supplier_id, body)
    )


@router.get("/{supplier_id}/payout-account", response_model=PayoutAccount, responses={404: {}})
async def get_payout_account(
    supplier_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> PayoutAccount:
    """The payout account, its number masked (****1234)."""
    return PayoutAccount.model_validate(await service.get_account(session, principal, supplier_id))
