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


LICENCE_STATUS_LABELS = {
    "active": "有效",
    "suspended": "已暂停",
    "expired": "已到期",
    "revoked": "已撤销",
}


def _supplier_message(event: Event) -> tuple[str, str, str | None] | None:
    """(kind, message, subject id) of what the supplier should read, or None."""
    data = event.data
    reason = data.get("reason")
    if event.type == "suppliers.supplier.approved":
        return "supplier.approved", "您的供应商入驻申请已通过审核，可以上架商品。", None
    if event.type == "suppliers.supplier.suspended":
        text = "您的供应商资格已暂停，商品暂停销售" + (f"：{reason}" if reason else "。")
        return "supplier.suspended", text, None
    if event.type == "suppliers.supplier.reinstated":
        return "supplier.reinstated", "您的供应商资格已恢复，商品可以继续销售。", None
    if event.type == "suppliers.document.expiry_warning":
        return f"document.{data['warning']}", data["message"], data.get("document_id")
    if event.type == "catalog.licence.status_changed":
        status = data.get("to_status", "")
        text = str(data.get("message") or "")
        if not text:
            label = LICENCE_STATUS_LABELS.get(status, status)
            text = f"您的区域公共品牌授权状态变为「{label}」" + (f"：{reason}" if reason else "")
            if status != "active":
                text += "。授权失效期间，商品不能使用品牌标识，按非品牌商品销售。"
        return f"licence.{status}", text, data.get("licence_id")
    if event.type in ("catalog.certificate.expiring", "catalog.certificate.lapsed"):
        step = event.type.rsplit(".", 1)[-1]
        text = data.get("message") or (
            f"商品 {data.get('product_name', '')} 的{data.get('kind_name') or '证书'}"
            + ("即将到期" if step == "expiring" else "已失效")
            + (f"（有效期至 {data['valid_until']}）" if data.get("valid_until") else "")
        )
        return f"certificate.{step}", text, data.get("certificate_id")
    return None


async def notify_supplier(session: AsyncSession, event: Event) -> Notification | None:
    """Put a suppliers' or catalog event about a supplier into its organisation's inbox."""
    described = _supplier_message(event)
    supplier_id = event.data.get("supplier_id")
    if described is None or not supplier_id:
        return None
    kind, message, subject = described
    region = event.data.get("region_id") or (str(event.region_id) if event.region_id else None)
    if region is None:
        return None
    notification = Notification(
        organisation_id=uuid.UUID(supplier_id),
        region_id=uuid.UUID(region),
        kind=kind[:60],
        subject_id=uuid.UUID(subject) if subject else None,
        message=message,
        source_event_id=event.id,
    )
    NotificationRepository(session).add(notification)
    return notification


async def list_notifications(session: AsyncSession, principal: Principal) -> list[Notification]:
    return await NotificationRepository(session).visible(principal)
