from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.notifications.models import Notification
from services.identity.notifications.repository import NotificationRepository
from shared.auth import Principal
from shared.events import Event

KIND_LABELS = {
    "supplier": "供应商",
    "station": "村级服务站",
    "retailer": "零售店",
    "livestream_agency": "直播机构",
    "streamer": "主播",
}


async def notify_operators_of_application(session: AsyncSession, event: Event) -> int:
    """A new sign-up waits for review: every operator of the region hears of it."""
    data = event.data
    region_id = uuid.UUID(data["region_id"])
    repo = NotificationRepository(session)
    operators = await repo.operators_of(region_id)
    label = KIND_LABELS.get(data["kind"], data["kind"])
    for operator in operators:
        repo.add(
            Notification(
                organisation_id=operator.id,
                region_id=region_id,
                kind="organisation.application",
                subject_id=uuid.UUID(data["organisation_id"]),
                message=f"新的{label}入驻申请待审核：{data['name']}",
                source_event_id=event.id,
            )
        )
    return len(operators)


async def list_notifications(session: AsyncSession, principal: Principal) -> list[Notification]:
    return await NotificationRepository(session).visible(principal)
