"""The sales import reads a platform's XLSX export like its CSV: numbers and date-times in
cells, the same row-level report, and the same file twice changes nothing."""

from __future__ import annotations

import io
from datetime import datetime

from tests.livestream.helpers import L, listed

HEADER = ["order_id", "product_id", "author_id", "pay_amount", "commission_rate", "flow_point",
          "pay_success_time", "settle_time", "refund_time"]  # fmt: skip


def workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append([None] * len(HEADER))  # a blank row at the end, as exports often have
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(client, county, data: bytes, name: str = "douyin.xlsx"):
    r = await client.post(
        f"{L}/sales/import",
        data={"region_id": str(county.region_id), "platform": "douyin"},
        files={"file": (name, data, "application/octet-stream")},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_an_xlsx_export_imports_like_a_csv(client, county):
    paid = datetime(2026, 11, 20, 20, 15)
    data = workbook(
        [
            ["X-DY-1001", "DY-P1", "", 3990, 2000, "PAY_SUCC", paid, None, None],
            ["X-DY-1002", "DY-P1", "", 7980.0, 2000, "SETTLE", paid, paid, None],
            ["X-DY-1003", "DY-P1", "", "lots", 2000, "PAY_SUCC", paid, None, None],
        ]
    )
    report = await upload(client, county, data)
    assert (report["created"], report["unchanged"]) == (2, 0)
    assert [(x["row"], "pay_amount" in x["reason"]) for x in report["rejected"]] == [(4, True)]
    lines = {
        x["platform_order_id"]: x
        for x in await listed(client, "/sales/lines", county.operator.headers)
    }
    assert (
        lines["X-DY-1002"]["paid_fen"] == 7980
        and lines["X-DY-1002"]["platform_status"] == "settled"
    )
    # the same workbook again (even without the .xlsx name): nothing changes
    again = await upload(client, county, data, name="export")
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


async def test_a_broken_workbook_is_a_422(client, county):
    r = await client.post(
        f"{L}/sales/import",
        data={"region_id": str(county.region_id), "platform": "douyin"},
        files={"file": ("douyin.xlsx", b"PK\x03\x04 not really a zip", "application/octet-stream")},
        headers=county.operator.headers,
    )
    assert r.status_code == 422, r.text
