"""All SQL for plans, their rate schedule and applications."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.plans.models import Plan, PlanApplication, PlanRate


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

    async def of_entry(self, pool_entry_id: uuid.UUID) -> list[Plan]:
        return list(
            await self.session.scalars(
                select(Plan).where(Plan.pool_entry_id == pool_entry_id).order_by(Plan.created_at)
            )
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

    async def applications_of_plan(self, plan_id: uuid.UUID) -> list[PlanApplication]:
        return list(
            await self.session.scalars(
                select(PlanApplication)
                .where(PlanApplication.plan_id == plan_id)
                .order_by(PlanApplication.created_at)
            )
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
