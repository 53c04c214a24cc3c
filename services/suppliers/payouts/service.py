"""The bank account a supplier is paid to: sealed at rest, only ever shown masked."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers import crypto
from services.suppliers.applications.service import ensure_supplier_member, load_visible
from services.suppliers.payouts.models import PayoutAccount
from services.suppliers.payouts.repository import PayoutRepository
from services.suppliers.payouts.schemas import PayoutAccountUpdate
from shared.auth import Principal
from shared.errors import NotFound

PURPOSE = "suppliers/payout-account"
PAYOUT_ROLES = ("owner", "admin", "finance")


async def set_account(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, data: PayoutAccountUpdate
) -> PayoutAccount:
    supplier = await load_visible(session, principal, supplier_id)
    ensure_supplier_member(principal, supplier, PAYOUT_ROLES)
    repo = PayoutRepository(session)
    account = await repo.get(supplier.id, for_update=True)
    if account is None:
        account = PayoutAccount(supplier_id=supplier.id)
        repo.add(account)
    account.account_name = data.account_name
    account.bank_name = data.bank_name
    account.branch_name = data.branch_name
    account.account_number_sealed = crypto.seal(
        data.account_number, purpose=PURPOSE, bound_to=str(supplier.id)
    )
    account.account_last4 = data.account_number[-4:]
    account.updated_by = principal.user_id
    await session.flush()
    return account


async def get_account(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID
) -> PayoutAccount:
    await load_visible(session, principal, supplier_id)
    account = await PayoutRepository(session).get(supplier_id)
    if account is None:
        raise NotFound("No payout account has been given yet")
    return account


def account_number(account: PayoutAccount) -> str:
    """The full number, for paying out (never returned by the API)."""
    return crypto.open_sealed(
        account.account_number_sealed, purpose=PURPOSE, bound_to=str(account.supplier_id)
    )
