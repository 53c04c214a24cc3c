"""The cut-off board as a workbook for the warehouse office (Chinese headers, money in
yuan with two decimals so that it sums in a spreadsheet; the JSON board keeps fen)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from services.repository.board.service import Board

STATUS_ZH = {
    "placed": "已下单",
    "confirmed": "已确认",
    "consolidated": "已汇总",
    "purchased": "已采购",
    "received": "已收货",
    "ready_for_delivery": "待配送",
    "delivered": "已送达",
    "closed": "已完成",
    "cancelled": "已取消",
    "sent": "已发送",
    "partially_confirmed": "部分确认",
    "shipped": "已发货",
}
PAYMENT_ZH = {"card": "银行卡", "bank_transfer": "对公转账", "cod": "货到付款", "credit": "账期"}


def yuan(fen: int | None) -> float | None:
    return None if fen is None else round(fen / 100, 2)


def status_zh(status: str) -> str:
    return STATUS_ZH.get(status, status)


Column = tuple[str, Callable[[dict[str, Any]], Any]]

ORDER_COLUMNS: list[Column] = [
    ("订单号", lambda o: o["number"]),
    ("采购方", lambda o: o["buyer_name"] or str(o["buyer_org_id"])),
    ("状态", lambda o: status_zh(o["status"])),
    ("支付方式", lambda o: PAYMENT_ZH.get(o["payment_method"], o["payment_method"])),
    ("下单时间", lambda o: o["placed_at"].replace(tzinfo=None)),
    ("配送日期", lambda o: o["delivery_date"]),
    ("行数", lambda o: o["lines"]),
    ("箱数", lambda o: o["cases"]),
    ("下单金额(元)", lambda o: yuan(o["placed_total_fen"])),
    ("缺货扣减(元)", lambda o: yuan(o["shortened_fen"])),
    ("订单金额(元)", lambda o: yuan(o["value_fen"])),
]
PURCHASE_ORDER_COLUMNS: list[Column] = [
    ("采购单号", lambda p: p["number"]),
    ("供应商", lambda p: p["supplier_name"] or str(p["supplier_id"])),
    ("状态", lambda p: status_zh(p["status"])),
    ("预计到货", lambda p: p["expected_arrival"]),
    ("行数", lambda p: p["lines"]),
    ("采购箱数", lambda p: p["ordered_cases"]),
    ("确认箱数", lambda p: p["confirmed_cases"]),
    ("验收箱数", lambda p: p["accepted_cases"]),
    ("拒收箱数", lambda p: p["rejected_cases"]),
    ("采购金额(元)", lambda p: yuan(p["total_cost_fen"])),
]
SHORTAGE_COLUMNS: list[Column] = [
    ("商品", lambda s: s["product_name"] or str(s["variant_id"])),
    ("规格", lambda s: s["variant_name"]),
    ("供应商", lambda s: s["supplier_name"] or str(s["supplier_id"])),
    ("订购箱数", lambda s: s["ordered_cases"]),
    ("缺货箱数", lambda s: s["shortened_cases"]),
    ("缺货金额(元)", lambda s: yuan(s["shortened_fen"])),
    ("受影响订单数", lambda s: s["orders_affected"]),
]


def board_workbook(board: Board) -> bytes:
    from openpyxl import Workbook  # lazily: keeps the app's start-up light

    book = Workbook()
    _sheet(book.active, "Orders", ORDER_COLUMNS, board.orders)
    _sheet(book.create_sheet(), "Purchase orders", PURCHASE_ORDER_COLUMNS, board.purchase_orders)
    _sheet(book.create_sheet(), "Shortages", SHORTAGE_COLUMNS, board.shortages)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _sheet(sheet: Any, title: str, columns: list[Column], rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Font  # lazily: keeps the app's start-up light

    sheet.title = title
    sheet.append([header for header, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([value(row) for _, value in columns])
    sheet.freeze_panes = "A2"
