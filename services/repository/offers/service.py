"""Wholesale offers: suppliers (or the operator) put catalog variants on sale by the case;
buyers see the offers open to them with their own price."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.buyers.access import account_for_caller
from services.repository.buyers.models import BUYER_KINDS, BuyerAccount
from services.repository.directory.models import CatalogVariant, KnownSupplier
from services.repository.directory.repository import DirectoryRepository
from services.repository.offers import repository, rules
from services.repository.offers.models import Offer
from services.repository.offers.repository import OfferRepository
from services.repository.offers.schemas import OfferCreate, OfferUpdate
from services.repository.problems import OFFER_EXISTS, OFFER_NOT_SELLING
from shared.auth.principal import Principal
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.pagination import ListQuery, paginate_list

MANAGING_ROLES = ("owner", "admin", "staff")


@dataclass(frozen=True)
class OfferForBuyer:
    """An offer with everything placing an order needs to judge a line."""

    offer: Offer
    variant: CatalogVariant
    supplier: KnownSupplier | None
    open_to_buyer: bool
    selling: bool
    available_cases: int | None  # None: bought to order, no stock check

    def price_fen_per_case(self, cases: int) -> int:
        return rules.price_for(self.offer.price_tiers, cases)


def _selling(offer: Offer, variant: CatalogVariant, supplier: KnownSupplier | None) -> bool:
    return rules.selling(
        offer.status, variant.listed, variant.channels, supplier is not None and supplier.sellable
    )


def _not_selling_reason(
    offer: Offer, variant: CatalogVariant, supplier: KnownSupplier | None
) -> str | None:
    if offer.status != "active":
        return f"offer_{offer.status}"
    if not variant.listed:
        return "product_delisted"
    if "wholesale" not in variant.channels:
        return "not_a_wholesale_product"
    if supplier is None or not supplier.sellable:
        return "supplier_suspended"
    return None


async def offers_for_buyer(
    session: AsyncSession, buyer: BuyerAccount, offer_ids: set[uuid.UUID]
) -> dict[uuid.UUID, OfferForBuyer]:
    """The offers asked for, judged for this buyer (missing ids are simply absent)."""
    offers = await OfferRepository(session).by_ids(offer_ids)
    variants = await DirectoryRepository(session).variants_by_id(
        {o.variant_id for o in offers.values()}
    )
    suppliers = await DirectoryRepository(session).suppliers_by_id(
        {o.supplier_id for o in offers.values()}
    )
    stock = await OfferRepository(session).available_cases(
        buyer.region_id,
        {o.variant_id for o in offers.values() if o.fulfilment == "stocked"},
    )
    judged: dict[uuid.UUID, OfferForBuyer] = {}
    for offer_id, offer in offers.items():
        variant = variants.get(offer.variant_id)
        if variant is None:
            continue
        supplier = suppliers.get(offer.supplier_id)
        judged[offer_id] = OfferForBuyer(
            offer=offer,
            variant=variant,
            supplier=supplier,
            open_to_buyer=rules.open_to(
                offer.region_id, offer.open_regions, offer.buyer_kinds, buyer.region_id, buyer.kind
            ),
            selling=_selling(offer, variant, supplier),
            available_cases=stock.get(offer.variant_id, 0)
            if offer.fulfilment == "stocked"
            else None,
        )
    return judged


# ------------------------------------------------------------------ views


def offer_view(
    offer: Offer,
    variant: CatalogVariant,
    supplier: KnownSupplier | None,
    *,
    available: int | None = None,
    cases: int | None = None,
) -> dict[str, Any]:
    asked = cases if cases is not None else offer.min_order_cases
    return {
        "id": offer.id,
        "region_id": offer.region_id,
        "supplier_id": offer.supplier_id,
        "supplier_name": supplier.name if supplier else "",
        "variant_id": offer.variant_id,
        "product_id": variant.product_id,
        "product_name": variant.product_name,
        "variant_name": variant.variant_name,
        "category": variant.category,
        "brand": variant.brand,
        "storage": variant.storage,
        "direction": offer.direction,
        "unit_name": offer.unit_name,
        "case_pack": offer.case_pack,
        "min_order_cases": offer.min_order_cases,
        "multiple_cases": offer.multiple_cases,
        "price_tiers": offer.price_tiers,
        "buyer_kinds": offer.buyer_kinds,
        "open_regions": offer.open_regions,
        "fulfilment": offer.fulfilment,
        "lead_time_days": offer.lead_time_days,
        "status": offer.status,
        "selling": _selling(offer, variant, supplier),
        "not_selling_reason": _not_selling_reason(offer, variant, supplier),
        "available_cases": available if offer.fulfilment == "stocked" else None,
        "your_price_fen": rules.price_for(offer.price_tiers, asked),
        "version": offer.version,
        "updated_at": offer.updated_at,
    }


async def _views(
    session: AsyncSession, offers: list[Offer], region_id: uuid.UUID | None, cases: int | None
) -> list[dict[str, Any]]:
    variants = await DirectoryRepository(session).variants_by_id({o.variant_id for o in offers})
    suppliers = await DirectoryRepository(session).suppliers_by_id({o.supplier_id for o in offers})
    stock: dict[uuid.UUID, int] = {}
    for rid in {region_id} if region_id else {o.region_id for o in offers}:
        stock.update(
            await OfferRepository(session).available_cases(
                rid, {o.variant_id for o in offers if o.fulfilment == "stocked"}
            )
        )
    return [
        offer_view(
            o,
            variants[o.variant_id],
            suppliers.get(o.supplier_id),
            available=stock.get(o.variant_id, 0),
            cases=cases,
        )
        for o in offers
        if o.variant_id in variants
    ]


# ------------------------------------------------------------------ managing offers


def _can_manage(principal: Principal, supplier_id: uuid.UUID, region_id: uuid.UUID) -> bool:
    if principal.platform_admin or principal.is_operator_of(region_id, MANAGING_ROLES):
        return True
    membership = principal.membership_in(supplier_id)
    return (
        membership is not None
        and membership.org_status == "active"
        and bool(set(membership.roles) & set(MANAGING_ROLES))
    )


async def _supplier_of(
    session: AsyncSession, principal: Principal, variant: CatalogVariant
) -> KnownSupplier:
    supplier = await DirectoryRepository(session).get_supplier(variant.supplier_id)
    if supplier is None and principal.membership_in(variant.supplier_id) is not None:
        # identity's approval may be on its way; the signed membership says it is active
        supplier = await DirectoryRepository(session).ensure_supplier(
            variant.supplier_id, variant.region_id
        )
    if supplier is None or not supplier.sellable:
        raise Conflict("The supplier may not sell now", code=OFFER_NOT_SELLING)
    return supplier


def _check_terms(offer: Offer) -> None:
    problems = rules.tier_problems(offer.price_tiers, offer.min_order_cases)
    if problems:
        raise RuleViolation("The price tiers are not consistent", errors=problems)


async def create_offer(
    session: AsyncSession, principal: Principal, body: OfferCreate
) -> dict[str, Any]:
    variant = await DirectoryRepository(session).get_variant(body.variant_id)
    if variant is None or not _can_manage(principal, variant.supplier_id, variant.region_id):
        raise RuleViolation(
            "No such catalog variant (or catalog has not published it yet)",
            errors=[FieldError("variant_id", "unknown variant", "unknown")],
        )
    if "wholesale" not in variant.channels:
        raise RuleViolation(
            "The product is not open to the wholesale repository channel",
            errors=[FieldError("variant_id", "not a wholesale product", "not_wholesale")],
        )
    supplier = await _supplier_of(session, principal, variant)
    if await OfferRepository(session).for_variant(variant.region_id, variant.variant_id):
        raise Conflict("This variant already has an offer in the region", code=OFFER_EXISTS)
    offer = Offer(
        region_id=variant.region_id,
        supplier_id=variant.supplier_id,
        variant_id=variant.variant_id,
        direction=body.direction,
        unit_name=body.unit_name,
        case_pack=body.case_pack,
        min_order_cases=body.min_order_cases,
        multiple_cases=body.multiple_cases,
        price_tiers=[t.model_dump() for t in body.price_tiers],
        buyer_kinds=sorted(set(body.buyer_kinds)),
        open_regions=sorted(set(body.open_regions) - {variant.region_id}),
        fulfilment=body.fulfilment,
        lead_time_days=body.lead_time_days,
        status="active",
        version=1,
    )
    _check_terms(offer)
    OfferRepository(session).add(offer)
    await session.flush()
    await session.refresh(offer)
    return offer_view(offer, variant, supplier, available=0)


async def _managed_offer(session: AsyncSession, principal: Principal, offer_id: uuid.UUID) -> Offer:
    offer = await OfferRepository(session).get(offer_id, lock=True)
    if offer is None or not _can_manage(principal, offer.supplier_id, offer.region_id):
        raise NotFound("No such offer")
    return offer


async def update_offer(
    session: AsyncSession, principal: Principal, offer_id: uuid.UUID, body: OfferUpdate
) -> dict[str, Any]:
    offer = await _managed_offer(session, principal, offer_id)
    if offer.status == "withdrawn":
        raise Conflict("A withdrawn offer cannot be changed", code="invalid-transition")
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    for name, value in changes.items():
        if name == "buyer_kinds":
            value = sorted(set(value))
        elif name == "open_regions":
            value = sorted(set(value) - {offer.region_id})
        setattr(offer, name, value)
    _check_terms(offer)
    offer.version += 1
    await rules.OFFER.apply(
        session,
        offer,
        "update",
        actor_id=principal.user_id,
        reason=f"terms changed: {', '.join(sorted(changes))}",
        data={
            "changes": body.model_dump(mode="json", exclude_unset=True, exclude_none=True),
            "version": offer.version,
        },
    )
    await session.flush()
    return (await _views(session, [offer], offer.region_id, None))[0]


async def change_status(
    session: AsyncSession, principal: Principal, offer_id: uuid.UUID, action: str
) -> dict[str, Any]:
    offer = await _managed_offer(session, principal, offer_id)
    offer.version += 1
    await rules.OFFER.apply(
        session, offer, action, actor_id=principal.user_id, data={"version": offer.version}
    )
    await session.flush()
    return (await _views(session, [offer], offer.region_id, None))[0]


# ------------------------------------------------------------------ reading offers


OFFER_SORTS = {"updated_at": Offer.updated_at, "created_at": Offer.created_at}
OFFER_SORT_FIELDS = tuple(OFFER_SORTS)


async def list_offers(
    session: AsyncSession,
    principal: Principal,
    *,
    buyer_org_id: uuid.UUID | None,
    supplier_id: uuid.UUID | None,
    region_id: uuid.UUID | None,
    direction: str | None,
    fulfilment: str | None,
    category: str | None,
    q: str | None,
    cases: int | None,
    query: ListQuery,
) -> tuple[list[dict[str, Any]], str | None]:
    """A buyer sees the offers on sale to it (its own prices); a supplier its own offers;
    the operator every offer of its region."""
    stmt = repository.filters(
        repository.listing(),
        direction=direction,
        fulfilment=fulfilment,
        supplier_id=supplier_id,
        category=category,
        q=q,
    )
    view_region: uuid.UUID | None = None
    if region_id is not None and (principal.platform_admin or principal.is_operator_of(region_id)):
        stmt = stmt.where(Offer.region_id == region_id)
        view_region = region_id
    elif supplier_id is not None and supplier_id in principal.org_ids(["supplier"]):
        # a supplier's own offers, whatever their state (an active organisation's members only)
        stmt = stmt.where(Offer.supplier_id == supplier_id)
    elif (
        buyer_org_id is None
        and principal.org_ids(["supplier"])
        and not principal.org_ids(BUYER_KINDS)
    ):
        stmt = stmt.where(Offer.supplier_id.in_(principal.org_ids(["supplier"])))
    else:
        buyer = await account_for_caller(session, principal, buyer_org_id)
        stmt = stmt.where(
            repository.selling_clause(), repository.open_to_clause(buyer.region_id, buyer.kind)
        )
        view_region = buyer.region_id
    offers, next_cursor = await paginate_list(
        session, stmt, query, sort_columns=OFFER_SORTS, id_column=Offer.id
    )
    return await _views(session, offers, view_region, cases), next_cursor


async def get_offer(
    session: AsyncSession,
    principal: Principal,
    offer_id: uuid.UUID,
    *,
    buyer_org_id: uuid.UUID | None,
    cases: int | None,
) -> dict[str, Any]:
    offer = await OfferRepository(session).get(offer_id)
    if offer is None:
        raise NotFound("No such offer")
    if _can_manage(principal, offer.supplier_id, offer.region_id) or principal.is_operator_of(
        offer.region_id
    ):
        return (await _views(session, [offer], offer.region_id, cases))[0]
    if not principal.org_ids(BUYER_KINDS):
        # neither its seller, its region's operator nor a buyer: the offer does not exist
        raise NotFound("No such offer")
    buyer = await account_for_caller(session, principal, buyer_org_id)
    judged = (await offers_for_buyer(session, buyer, {offer_id})).get(offer_id)
    if judged is None or not judged.open_to_buyer:
        raise NotFound("No such offer")
    return offer_view(
        judged.offer,
        judged.variant,
        judged.supplier,
        available=judged.available_cases,
        cases=cases,
    )
