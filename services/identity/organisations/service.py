from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.organisations.models import Organisation, OrganisationStatusChange
from services.identity.organisations.repository import OrganisationRepository
from services.identity.organisations.schemas import OrganisationCreate, SignupRequest
from services.identity.regions.service import get_region
from services.identity.users.models import Membership, User
from services.identity.users.passwords import hash_password
from services.identity.users.repository import UserRepository
from services.identity.users.schemas import UserCreate
from shared.auth import Principal
from shared.auth.scope import ensure_operator_of
from shared.auth.tokens import mark_tokens_stale
from shared.db import after_commit
from shared.errors import Conflict, NotFound
from shared.events import publish
from shared.pagination import Sort, paginate
from shared.state_machine import machine

ORGANISATION_LIFECYCLE = machine(
    "organisation",
    [
        ("pending", "approve", "active"),
        ("pending", "reject", "rejected"),
        ("rejected", "approve", "active"),
        ("active", "suspend", "suspended"),
        ("suspended", "reinstate", "active"),
    ],
)

DECIDING_ROLES = ("owner", "admin", "reviewer")


async def organisation_event_data(
    session: AsyncSession, org: Organisation, **extra: Any
) -> dict[str, Any]:
    region = await get_region(session, org.region_id)
    return {
        "organisation_id": str(org.id),
        "region_id": str(org.region_id),
        "region_code": region.code,
        "region_name": region.name,
        "timezone": region.timezone,
        "kind": org.kind,
        "name": org.name,
        "status": org.status,
        **extra,
    }


async def _create_user(
    session: AsyncSession, data: UserCreate, password_hash: str | None = None
) -> User:
    users = UserRepository(session)
    if await users.get_by_login(data.login):
        raise Conflict("This login is already registered; sign in and ask to be invited instead")
    user = User(
        login=data.login,
        display_name=data.display_name,
        password_hash=password_hash or hash_password(data.password),
    )
    users.add(user)
    await session.flush()
    return user


async def _record(
    session: AsyncSession,
    org: Organisation,
    src: str | None,
    action: str,
    actor: uuid.UUID | None,
    reason: str | None,
) -> None:
    if src is not None and src != org.status:
        # members' tokens say the old status: stale in every service once this commits
        # (they refresh and get the new one)
        after_commit(session, partial(mark_tokens_stale, org_ids=[org.id]))
    OrganisationRepository(session).add(
        OrganisationStatusChange(
            organisation_id=org.id,
            from_status=src,
            to_status=org.status,
            action=action,
            actor_user_id=actor,
            reason=reason,
        )
    )


async def sign_up(
    session: AsyncSession, data: SignupRequest, *, password_hash: str | None = None
) -> tuple[Organisation, User]:
    """A supplier, station, retailer or livestream organisation applies; the operator approves.
    `password_hash`: the demo loader's accounts share one password, hashed once for all."""
    region = await get_region(session, data.region_id)
    user = await _create_user(session, data.user, password_hash)
    org = Organisation(
        region_id=region.id,
        kind=data.organisation.kind,
        name=data.organisation.name,
        contact_phone=data.organisation.contact_phone,
        status="pending",
    )
    OrganisationRepository(session).add(org)
    await session.flush()
    UserRepository(session).add(
        Membership(user_id=user.id, organisation_id=org.id, roles=["owner"])
    )
    await _record(session, org, None, "sign_up", user.id, None)
    await publish(
        session,
        "identity.organisation.signed_up",
        await organisation_event_data(session, org),
        region_id=org.region_id,
    )
    return org, user


async def create_organisation(
    session: AsyncSession, data: OrganisationCreate, actor: Principal
) -> tuple[Organisation, User]:
    region = await get_region(session, data.region_id)
    user = await _create_user(session, data.owner)
    org = Organisation(
        region_id=region.id,
        kind=data.kind,
        name=data.name,
        contact_phone=data.contact_phone,
        status="active",
    )
    OrganisationRepository(session).add(org)
    await session.flush()
    UserRepository(session).add(
        Membership(user_id=user.id, organisation_id=org.id, roles=["owner", "admin"])
    )
    await _record(session, org, None, "create", actor.user_id, None)
    await publish(
        session,
        "identity.organisation.approved",
        await organisation_event_data(session, org),
        region_id=org.region_id,
    )
    return org, user


async def get_visible_organisation(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID
) -> Organisation:
    org = await OrganisationRepository(session).get_visible(principal, org_id)
    if org is None:
        raise NotFound("No such organisation")
    return org


async def list_organisations(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str | None,
    status: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Organisation], str | None]:
    stmt = OrganisationRepository(session).visible_to(principal)
    if kind:
        stmt = stmt.where(Organisation.kind == kind)
    if status:
        stmt = stmt.where(Organisation.status == status)
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=SORT_COLUMNS,
        id_column=Organisation.id,
        cursor=cursor,
        limit=limit,
    )


SORT_COLUMNS = {"created_at": Organisation.created_at, "name": Organisation.name}


async def decide(
    session: AsyncSession,
    principal: Principal,
    org_id: uuid.UUID,
    action: str,
    reason: str | None,
) -> Organisation:
    """Apply a lifecycle action (approve, reject, suspend, reinstate) as the region's operator."""
    repo = OrganisationRepository(session)
    if await repo.get_visible(principal, org_id) is None:
        raise NotFound("No such organisation")
    org = await repo.get(org_id, for_update=True)
    assert org is not None
    ensure_operator_of(principal, org.region_id, DECIDING_ROLES)
    if org.kind == "operator" and not principal.platform_admin:
        raise NotFound("No such organisation")
    src = org.status
    await ORGANISATION_LIFECYCLE.apply(
        session, org, action, actor_id=principal.user_id, reason=reason
    )
    await _record(session, org, src, action, principal.user_id, reason)
    event_type = {
        "approve": "identity.organisation.approved",
        "reject": "identity.organisation.rejected",
        "suspend": "identity.organisation.suspended",
        "reinstate": "identity.organisation.approved",
    }[action]
    await publish(
        session,
        event_type,
        await organisation_event_data(session, org, action=action, reason=reason),
        region_id=org.region_id,
    )
    return org
