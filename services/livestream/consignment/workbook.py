"""The consignment statement as an XLSX workbook (openpyxl, imported lazily)."""

from __future__ import annotations

import io

from services.livestream.consignment.schemas import ConsignmentStatement

HEADER = ["商品 product", "收货 received", "售出 sold", "售出金额(分) sold fen", "退回 returned",
          "报损 damaged", "盘点差异 variance", "应付(分) payable fen", "现存 on hand"]  # fmt: skip


def statement_workbook(statement: ConsignmentStatement) -> bytes:
    from openpyxl import Workbook  # lazily: keeps the app's start-up light

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"寄售对账 {statement.period}"
    sheet.append(["供应商 supplier", str(statement.supplier_id)])
    sheet.append(["期间 period", statement.period, statement.timezone])
    sheet.append([])
    sheet.append(HEADER)
    for line in statement.lines:
        sheet.append(
            [
                line.name or str(line.product_id),
                line.received,
                line.sold,
                line.sold_fen,
                line.returned,
                line.damaged,
                line.variance,
                line.payable_fen,
                line.on_hand,
            ]
        )
    sheet.append(
        [
            "合计 total",
            statement.received,
            statement.sold,
            statement.payable_fen,
            statement.returned,
            statement.damaged,
            None,
            statement.payable_fen,
            None,
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
