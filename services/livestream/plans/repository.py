"""All SQL for plans, their rate schedule and applications."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from services.livestream.plans.models import Plan, PlanApplication, PlanRate
from services.livestream.streamers.models import Streamer
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

# the lists' documented sort keys and their columns (the id breaks ties)
PLAN_SORTS = {"created_at": Plan.created_at}
APPLICATION_SORTS = {"created_at": PlanApplication.created_at}


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get(self, plan_id: uuid.UUID, *, lock: bool = False) -> Plan | None:
        return await self.session.get(Plan, plan_id, with_for_update=lock or None)

    async def active_of_entry(self, pool_entry_id: uuid.UUID) -> list[Plan]:
        return list(
            await self.session.scalars(
                select(Plan)
                .where(Plan.pool_entry_id == pool_entry_id, Plan.status == "active")
                .order_by(Plan.created_at)
            )
        )

    def readable_of_entry(self, principal: Principal, pool_entry_id: uuid.UUID) -> Select[Any]:
        """The SQL twin of the service's `_readable_plan`: open and directed plans for
        anyone of the region, a plan naming the caller's streamer or agency, an agency plan
        of the caller's streamer's agency, and the supplier's and the operator's."""
        streamers = principal.org_ids(["streamer"])
        agencies = principal.org_ids(["livestream_agency"])
        regions = {m.region_id for m in principal.memberships_where()}
        clauses: list[ColumnElement[bool]] = [
            readable_clause(principal, Plan.supplier_id, region_column=Plan.region_id)
        ]
        if regions:
            clauses.append(Plan.kind.in_(("open", "directed")) & Plan.region_id.in_(regions))
        if streamers:
            member_of = select(Streamer.agency_id).where(
                Streamer.id.in_(streamers), Streamer.agency_id.is_not(None)
            )
            clauses.append(Plan.streamer_id.in_(streamers))
            clauses.append((Plan.kind == "agency") & Plan.agency_id.in_(member_of))
        if agencies:
            clauses.append(Plan.agency_id.in_(agencies))
        return select(Plan).where(Plan.pool_entry_id == pool_entry_id, or_(*clauses))

    async def page(self, stmt: Select[Any], query: ListQuery) -> tuple[list[Plan], str | None]:
        return await paginate_list(
            self.session, stmt, query, sort_columns=PLAN_SORTS, id_column=Plan.id
        )

    async def active_open_plans(self) -> list[Plan]:
        return list(
            await self.session.scalars(
                select(Plan).where(Plan.kind == "open", Plan.status == "active")
            )
        )

    async def rates(self, plan_id: uuid.UUID) -> list[PlanRate]:
        return list(
            await self.session.scalars(
                select(PlanRate)
                .where(PlanRate.plan_id == plan_id)
                .order_by(PlanRate.recorded_at, PlanRate.id)
            )
        )

    async def rates_of(self, plan_ids: list[uuid.UUID]) -> list[PlanRate]:
        if not plan_ids:
            return []
        return list(
            await self.session.scalars(
                select(PlanRate).where(
                    PlanRate.plan_id.in_(plan_ids), PlanRate.superseded.is_(False)
                )
            )
        )

    async def supersede_pending(self, plan_id: uuid.UUID, now: object) -> None:
        await self.session.execute(
            update(PlanRate)
            .where(
                PlanRate.plan_id == plan_id,
                PlanRate.effective_at > now,
                PlanRate.superseded.is_(False),
            )
            .values(superseded=True)
        )

    async def get_application(
        self, application_id: uuid.UUID, *, lock: bool = False
    ) -> PlanApplication | None:
        return await self.session.get(PlanApplication, application_id, with_for_update=lock or None)

    async def application_of(
        self, plan_id: uuid.UUID, streamer_id: uuid.UUID
    ) -> PlanApplication | None:
        return await self.session.scalar(
            select(PlanApplication).where(
                PlanApplication.plan_id == plan_id, PlanApplication.streamer_id == streamer_id
            )
        )

    async def applications_page(
        self, plan_id: uuid.UUID, query: ListQuery, *, streamer_ids: list[uuid.UUID] | None
    ) -> tuple[list[PlanApplication], str | None]:
        """`streamer_ids`: only these streamers' applications (None: all of the plan's)."""
        stmt = select(PlanApplication).where(PlanApplication.plan_id == plan_id)
        if streamer_ids is not None:
            stmt = stmt.where(PlanApplication.streamer_id.in_(streamer_ids))
        return await paginate_list(
            self.session,
            stmt,
            query,
            sort_columns=APPLICATION_SORTS,
            id_column=PlanApplication.id,
        )

    async def approved_plan_ids(
        self, streamer_id: uuid.UUID, plan_ids: list[uuid.UUID]
    ) -> set[uuid.UUID]:
        if not plan_ids:
            return set()
        rows = await self.session.scalars(
            select(PlanApplication.plan_id).where(
                PlanApplication.streamer_id == streamer_id,
                PlanApplication.plan_id.in_(plan_ids),
                PlanApplication.status == "approved",
            )
        )
        return set(rows)
