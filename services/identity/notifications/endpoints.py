from __future__ import annotations

from pydantic import BaseModel

from services.identity.db import kernel
from services.identity.notifications import service
from shared.auth.dependencies import CurrentPrincipal
from shared.schemas import Id, Schema, Timestamp
from shared.web import SessionDep, service_router

router = service_router(
    kernel, prefix="/v1/identity/notifications", tags=["identity-notifications"]
)


class NotificationView(Schema):
    id: Id
    organisation_id: Id
    kind: str
    subject_id: Id | None
    message: str
    created_at: Timestamp
    read_at: Timestamp | None


class NotificationList(BaseModel):
    items: list[NotificationView]


@router.get("", response_model=NotificationList)
async def list_notifications(principal: CurrentPrincipal, session: SessionDep) -> NotificationList:
    """The newest notifications of your organisations."""
    rows = await service.list_notifications(session, principal)
    return NotificationList(items=[NotificationView.model_validate(n) for n in rows])
