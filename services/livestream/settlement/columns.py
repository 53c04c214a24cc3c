"""Each platform's export columns, mapped explicitly to one line shape.

Douyin 精选联盟 order fields (as its open API names them); Kuaishou and WeChat Channels
(视频号) exports name the same facts differently. Amounts are fen, rates ×10000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class ColumnMap:
    order_id: str
    product_id: str
    author_id: str
    paid_fen: str
    rate_bps: str
    status: str
    paid_at: str
    settled_at: str
    refunded_at: str
    statuses: dict[str, str]
    # optional columns: quantity (1 when absent), receipt confirmed (the return window
    # starts there), the amount refunded (a refunded line without it is refunded in full)
    quantity: str = ""
    confirmed_at: str = ""
    refunded_fen: str = ""


COLUMN_MAPS = {
    "douyin": ColumnMap(
        "order_id",
        "product_id",
        "author_id",
        "pay_amount",
        "commission_rate",
        "flow_point",
        "pay_success_time",
        "settle_time",
        "refund_time",
        {"PAY_SUCC": "paid", "CONFIRM": "confirmed", "SETTLE": "settled", "REFUND": "refunded"},
        "item_num",
        "confirm_time",
        "refund_amount",
    ),
    "kuaishou": ColumnMap(
        "oid",
        "itemId",
        "anchorId",
        "payAmount",
        "commissionRate",
        "orderStatus",
        "payTime",
        "settleTime",
        "refundTime",
        {"PAID": "paid", "RECEIVED": "confirmed", "SETTLED": "settled", "REFUNDED": "refunded"},
        "itemNum",
        "recvTime",
        "refundAmount",
    ),
    "wechat_channels": ColumnMap(
        "订单号",
        "商品ID",
        "视频号ID",
        "实付金额(分)",
        "佣金率(万分比)",
        "订单状态",
        "支付时间",
        "结算时间",
        "退款时间",
        {"已支付": "paid", "已收货": "confirmed", "已结算": "settled", "已退款": "refunded"},
        "商品数量",
        "确认收货时间",
        "退款金额(分)",
    ),
}


class RowError(ValueError):
    pass


def _text(value: Any) -> str:
    return value.strip() if value.__class__ is str else str(value or "").strip()


def _time(value: Any, field: str, *, required: bool) -> datetime | None:
    if not value:  # None or "" (most rows leave the later times empty)
        if required:
            raise RowError(f"{field} is missing")
        return None
    try:
        parsed = datetime.fromisoformat(_text(value))
    except ValueError:
        raise RowError(f"{field} is not a date-time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _int(value: Any, field: str, low: int, high: int) -> int:
    try:
        # int() itself skips the whitespace around a number's text
        number = int(value if value.__class__ is str else str(value).strip())
    except ValueError:
        raise RowError(f"{field} is not a whole number: {value!r}") from None
    if not low <= number <= high:
        raise RowError(f"{field} is out of range: {number}")
    return number


def parse_row(platform: str, row: dict[str, Any]) -> dict[str, Any]:
    """One export row as a line's fields, or RowError with the reason."""
    m = COLUMN_MAPS[platform]
    get = row.get
    order_id = _text(get(m.order_id))
    product_id = _text(get(m.product_id))
    if not order_id:
        raise RowError(f"{m.order_id} is missing")
    if not product_id:
        raise RowError(f"{m.product_id} is missing")
    status = m.statuses.get(_text(get(m.status)))
    if status is None:
        raise RowError(f"{m.status} is not one of {', '.join(m.statuses)}")
    paid_fen = _int(get(m.paid_fen), m.paid_fen, 0, 10**11)
    raw_quantity = get(m.quantity)
    raw_refund = get(m.refunded_fen)
    if raw_refund is None or raw_refund == "":
        refunded_fen = paid_fen if status == "refunded" else 0
    else:
        refunded_fen = _int(raw_refund, m.refunded_fen, 0, paid_fen)
    return {
        "platform_order_id": order_id[:64],
        "platform_product_id": product_id[:64],
        "author_id": _text(get(m.author_id)) or None,
        "quantity": 1
        if raw_quantity is None or raw_quantity == ""
        else _int(raw_quantity, m.quantity, 1, 10**6),
        "paid_fen": paid_fen,
        "refunded_fen": refunded_fen,
        "commission_rate_bps": _int(get(m.rate_bps), m.rate_bps, 0, 10_000),
        "platform_status": status,
        "paid_at": _time(get(m.paid_at), m.paid_at, required=True),
        "confirmed_at": _time(get(m.confirmed_at), m.confirmed_at, required=False),
        "platform_settled_at": _time(get(m.settled_at), m.settled_at, required=False),
        "refunded_at": _time(get(m.refunded_at), m.refunded_at, required=False),
    }
