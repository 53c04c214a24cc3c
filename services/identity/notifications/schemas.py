"""An organisation's notification inbox."""

from __future__ import annotations

from shared.schemas import Id, Schema, Timestamp


class InboxNotification(Schema):
    """A notice in an organisation's inbox (an application decided, a document expiring)."""

    id: Id
    organisation_id: Id
    kind: str
    subject_id: Id | None
    message: str
    created_at: Timestamp
    read_at: Timestamp | None


class InboxNotificationList(Schema):
    items: list[InboxNotification]
