"""Which buyer account the caller acts for (stations and rural shops only)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.buyers.models import BUYER_KINDS, BuyerAccount, BuyerTerms
from services.repository.buyers.repository import BuyerRepository
from services.repository.problems import NOT_A_BUYER
from shared.auth.principal import Membership, Principal
from shared.errors import FieldError, Forbidden, NotFound, RuleViolation

BUYING_ROLES = ("owner", "admin", "staff")


async def account_for_caller(
    session: AsyncSession,
    principal: Principal,
    buyer_org_id: uuid.UUID | None = None,
    *,
    lock: bool = False,
) -> BuyerAccount:
    """The buyer account of the station or shop the caller orders for.

    identity's approval event may still be on its way: an active station or retailer
    membership in the signed token is enough to open the account with default terms.
    """
    membership = _buying_membership(principal, buyer_org_id)
    account = await BuyerRepository(session).get(membership.org_id, lock=lock)
    if account is None:
        account = await BuyerRepository(session).ensure(
            membership.org_id, membership.region_id, membership.org_kind, lock=lock
        )
    if account.status != "active":
        raise Forbidden("The buyer organisation is suspended", code=NOT_A_BUYER)
    return account


async def terms_for_caller(
    session: AsyncSession,
    principal: Principal,
    buyer_org_id: uuid.UUID | None = None,
    *,
    lock: bool = False,
) -> BuyerTerms:
    """account_for_caller's account as a plain row (placement reads it on every order)."""
    membership = _buying_membership(principal, buyer_org_id)
    terms = await BuyerRepository(session).terms_of(membership.org_id, lock=lock)
    if terms is None:
        account = await BuyerRepository(session).ensure(
            membership.org_id, membership.region_id, membership.org_kind, lock=lock
        )
        terms = BuyerTerms(*(getattr(account, name) for name in BuyerTerms._fields))
    if terms.status != "active":
        raise Forbidden("The buyer organisation is suspended", code=NOT_A_BUYER)
    return terms


def _buying_membership(principal: Principal, buyer_org_id: uuid.UUID | None) -> Membership:
    memberships = principal.memberships_where(BUYER_KINDS, BUYING_ROLES)
    if buyer_org_id is None:
        if len(memberships) != 1:
            if not memberships:
                raise Forbidden(
                    "Only a station or rural shop with a buyer account can order",
                    code=NOT_A_BUYER,
                )
            raise RuleViolation(
                "Say which buyer organisation (buyer_org_id): you belong to several",
                errors=[FieldError("buyer_org_id", "required when you belong to several")],
            )
        membership = memberships[0]
    else:
        found = next((m for m in memberships if m.org_id == buyer_org_id), None)
        if found is None:
            raise NotFound("No such buyer")
        membership = found
    return membership
