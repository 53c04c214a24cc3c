"""Streamer profiles and agencies. A streamer's figures come from the operator (or, in
part 2, from imported sales); the profile is the streamer's own."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.access import ensure_operator, ensure_readable_by_any
from services.livestream.directory.repository import DirectoryRepository
from services.livestream.streamers.models import Agency, Streamer
from services.livestream.streamers.repository import SORTS, StreamerRepository
from services.livestream.streamers.schemas import (
    AgencyMemberAdd,
    AgencyWrite,
    StreamerFigures,
    StreamerProfileWrite,
)
from shared.auth import acting_membership, ensure_readable
from shared.auth.principal import Principal
from shared.errors import NotFound, RuleViolation
from shared.pagination import ListQuery

STREAMER_SORT_FIELDS = tuple(SORTS)


async def save_my_profile(
    session: AsyncSession, principal: Principal, body: StreamerProfileWrite
) -> Streamer:
    me = acting_membership(principal, kinds=["streamer"])
    repo = StreamerRepository(session)
    streamer = await repo.get(me.org_id, lock=True)
    accounts = [a.model_dump(mode="json") for a in body.platform_accounts]
    if streamer is None:
        streamer = Streamer(
            id=me.org_id,
            region_id=me.region_id,
            display_name=body.display_name,
            platform_accounts=accounts,
            focus_categories=body.focus_categories,
        )
        await repo.add(streamer)
    else:
        streamer.display_name = body.display_name
        streamer.platform_accounts = accounts
        streamer.focus_categories = body.focus_categories
    return streamer


async def my_profile(session: AsyncSession, principal: Principal) -> Streamer:
    me = acting_membership(principal, kinds=["streamer"])
    streamer = await StreamerRepository(session).get(me.org_id)
    if streamer is None:
        raise NotFound("Your streamer profile is not set up yet: PUT /v1/livestream/streamers/me")
    return streamer


async def get_streamer(
    session: AsyncSession, principal: Principal, streamer_id: uuid.UUID
) -> Streamer:
    streamer = await StreamerRepository(session).get(streamer_id)
    if streamer is None:
        raise NotFound("No such streamer")
    ensure_readable_by_any(
        principal,
        org_ids=[streamer.id, streamer.agency_id],
        region_id=streamer.region_id,
        what="streamer",
    )
    return streamer


async def list_streamers(
    session: AsyncSession, principal: Principal, query: ListQuery
) -> tuple[list[Streamer], str | None]:
    repo = StreamerRepository(session)
    return await repo.page(repo.readable(principal), query)


async def set_figures(
    session: AsyncSession, principal: Principal, streamer_id: uuid.UUID, body: StreamerFigures
) -> Streamer:
    streamer = await get_streamer(session, principal, streamer_id)
    ensure_operator(principal, streamer.region_id)
    streamer.gmv_30d_fen = body.gmv_30d_fen
    streamer.sales_30d = body.sales_30d
    return streamer


async def save_my_agency(session: AsyncSession, principal: Principal, body: AgencyWrite) -> Agency:
    me = acting_membership(principal, kinds=["livestream_agency"])
    repo = StreamerRepository(session)
    agency = await repo.get_agency(me.org_id)
    if agency is None:
        org = await DirectoryRepository(session).organisation(me.org_id)
        agency = Agency(
            id=me.org_id,
            region_id=me.region_id,
            name=org.name if org else "",
            service_fee_bps=body.service_fee_bps,
        )
        await repo.add(agency)
    else:
        agency.service_fee_bps = body.service_fee_bps
    return agency


async def add_member(
    session: AsyncSession, principal: Principal, body: AgencyMemberAdd
) -> Streamer:
    me = acting_membership(principal, kinds=["livestream_agency"])
    repo = StreamerRepository(session)
    if await repo.get_agency(me.org_id) is None:
        raise RuleViolation("Set up the agency first: PUT /v1/livestream/agencies/me")
    streamer = await repo.get(body.streamer_id, lock=True)
    if streamer is None or streamer.region_id != me.region_id:
        raise NotFound("No such streamer")
    if streamer.agency_id not in (None, me.org_id):
        raise RuleViolation("The streamer already belongs to another agency")
    streamer.agency_id = me.org_id
    return streamer


async def get_agency(session: AsyncSession, principal: Principal, agency_id: uuid.UUID) -> Agency:
    agency = await StreamerRepository(session).get_agency(agency_id)
    if agency is None:
        raise NotFound("No such agency")
    ensure_readable(principal, org_id=agency.id, region_id=agency.region_id, what="agency")
    return agency
