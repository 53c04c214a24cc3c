from __future__ import annotations

import uuid

from services.suppliers.db import kernel
from services.suppliers.identifiers import mask_account
from services.suppliers.payouts import service
from services.suppliers.payouts.models import PayoutAccount as PayoutAccountModel
from services.suppliers.payouts.schemas import PayoutAccount, PayoutAccountUpdate
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-payouts"])


def _view(account: PayoutAccountModel) -> PayoutAccount:
    return PayoutAccount(
        supplier_id=account.supplier_id,
        account_name=account.account_name,
        bank_name=account.bank_name,
        branch_name=account.branch_name,
        account_number_masked=mask_account(account.account_last4),
        updated_at=account.updated_at,
    )


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
    return _view(await service.set_account(session, principal, supplier_id, body))


@router.get("/{supplier_id}/payout-account", response_model=PayoutAccount, responses={404: {}})
async def get_payout_account(
    supplier_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> PayoutAccount:
    """The payout account, its number masked (****1234)."""
    return _view(await service.get_account(session, principal, supplier_id))
