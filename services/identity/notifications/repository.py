from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.notifications.models import Notification
from services.identity.organisations.models import Organisation
from shared.auth import Principal
from shared.auth.scope import scope_to_caller


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, notification: Notification) -> None:
        self.session.add(notification)

    async def operators_of(self, region_id: uuid.UUID) -> list[Organisation]:
        stmt = select(Organisation).where(
            Organisation.region_id == region_id,
            Organisation.kind == "operator",
            Organisation.status == "active",
        )
        return list((await self.session.execute(stmt)).scalars())

    async def visible(self, principal: Principal, limit: int = 100) -> list[Notification]:
        """The caller's organisations' notifications, whatever their status: a suspended or
        pending organisation's members must read why (suspension, approval, warnings)."""
        org_ids = [m.org_id for m in principal.memberships]
        stmt = select(Notification).where(Notification.organisation_id.in_(org_ids))
        if principal.platform_admin:
            stmt = scope_to_caller(select(Notification), principal, Notification.organisation_id)
        stmt = stmt.order_by(Notification.created_at.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars())
