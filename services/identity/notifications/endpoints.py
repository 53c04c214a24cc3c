from __future__ import annotations

from services.identity.db import kernel
from services.identity.notifications import service
from services.identity.notifications.schemas import InboxNotification, InboxNotificationList
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(
    kernel, prefix="/v1/identity/notifications", tags=["identity-notifications"]
)


@router.get("", response_model=InboxNotificationList)
async def list_notifications(
    principal: CurrentPrincipal, session: SessionDep
) -> InboxNotificationList:
    """The newest notifications of your organisations."""
    rows = await service.list_notifications(session, principal)
    return InboxNotificationList(items=[InboxNotification.model_validate(n) for n in rows])
