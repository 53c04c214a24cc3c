"""Household links over time: the county adds and ends a supplier's household links in any
status of the supplier (an approved supplier's list changes as households join or leave);
an ended link stays as history. The supplier edits the list only in its draft."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.applications.models import HouseholdLink, Supplier
from services.suppliers.applications.service import REVIEW_ROLES, load_visible
from services.suppliers.households.schemas import HouseholdLinkCreate, HouseholdLinkEnd
from services.suppliers.organisations.service import region_today
from shared.auth import Principal
from shared.auth.scope import ensure_operator_of
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.events import publish

HOUSEHOLD_ROLES = (*REVIEW_ROLES, "staff")
CHANGED_EVENT = "suppliers.households.changed"


async def _county_supplier(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, *, write: bool
) -> Supplier:
    supplier = await load_visible(session, principal, supplier_id, for_update=write)
    # household references are the county's: its operator only (the supplier sees counts)
    ensure_operator_of(principal, supplier.region_id, HOUSEHOLD_ROLES if write else None)
    return supplier


async def list_links(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, *, include_ended: bool
) -> list[HouseholdLink]:
    supplier = await _county_supplier(session, principal, supplier_id, write=False)
    links = supplier.households if include_ended else supplier.current_households
    return sorted(links, key=lambda h: (h.created_at, str(h.id)))


async def _changed(
    session: AsyncSession, supplier: Supplier, link: HouseholdLink, change: str
) -> None:
    on = link.ended_on if change == "ended" else link.started_on
    await publish(
        session,
        CHANGED_EVENT,
        {
            "supplier_id": str(supplier.id),
            "region_id": str(supplier.region_id),
            "change": change,
            "link_id": str(link.id),
            "household_kind": link.household_kind,
            "on": on.isoformat() if on else None,
            "current_households": len(supplier.current_households),
            "supports_households": supplier.supports_households,
        },
        region_id=supplier.region_id,
    )


async def add_link(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, body: HouseholdLinkCreate
) -> HouseholdLink:
    supplier = await _county_supplier(session, principal, supplier_id, write=True)
    if any(
        h.household_ref == body.household_ref and h.household_kind == body.household_kind
        for h in supplier.current_households
    ):
        raise Conflict(
            "This household is already linked to the supplier",
            errors=[FieldError("household_ref", "already a current link", "duplicate")],
        )
    today = await region_today(session, supplier.region_id)
    link = HouseholdLink(
        supplier_id=supplier.id,
        household_kind=body.household_kind,
        household_ref=body.household_ref,
        head_name=body.head_name,
        village=body.village,
        started_on=body.started_on or today,
        added_by=principal.user_id,
    )
    supplier.households.append(link)
    await session.flush()
    await _changed(session, supplier, link, "linked")
    return link


async def end_link(
    session: AsyncSession,
    principal: Principal,
    supplier_id: uuid.UUID,
    link_id: uuid.UUID,
    body: HouseholdLinkEnd,
) -> HouseholdLink:
    supplier = await _county_supplier(session, principal, supplier_id, write=True)
    link = next((h for h in supplier.households if h.id == link_id), None)
    if link is None:
        raise NotFound("No such household link")
    if link.ended_on is not None:
        raise Conflict(f"The link already ended on {link.ended_on}")
    ended_on = body.ended_on or await region_today(session, supplier.region_id)
    if link.started_on is not None and ended_on < link.started_on:
        raise RuleViolation(
            "A link cannot end before it started",
            code="validation-error",
            errors=[FieldError("ended_on", f"before the start {link.started_on}")],
        )
    link.ended_on = ended_on
    link.ended_reason = body.reason
    link.ended_by = principal.user_id
    await session.flush()
    await _changed(session, supplier, link, "ended")
    return link
