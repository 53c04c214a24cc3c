"""The supplier register as an XLSX workbook (pure: rows in, bytes out)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

COLUMNS: Sequence[tuple[str, str, int]] = (
    ("legal_name", "主体名称 Legal name", 32),
    ("display_name", "展示名称 Display name", 20),
    ("supplier_kind", "类型 Kind", 16),
    ("status", "状态 Status", 16),
    ("credit_code", "统一社会信用代码 Credit code", 22),
    ("id_number", "身份证号 ID (masked)", 22),
    ("legal_representative", "法定代表人 Representative", 14),
    ("contact", "联系人 Contact", 24),
    ("township", "乡镇 Township", 12),
    ("village", "村 Village", 12),
    ("address", "地址 Address", 30),
    ("products", "产品 Products", 30),
    ("capacity", "产能 Capacity", 36),
    ("household_relation", "帮扶关系 Household link", 20),
    ("household_count", "帮扶户数 Households", 10),
    ("submitted_at", "提交时间 Submitted (UTC)", 20),
    ("approved_at", "通过时间 Approved (UTC)", 20),
    ("next_expiry", "最近到期证件 Next expiry", 28),
)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; the header says UTC
    return value


def build_register(rows: Iterable[dict[str, Any]], title: str = "供应商名录") -> bytes:
    from openpyxl import Workbook  # lazily: keeps the app's start-up light
    from openpyxl.styles import Font  # lazily: keeps the app's start-up light
    from openpyxl.utils import get_column_letter  # lazily: keeps the app's start-up light

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([header for _, header, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_, _, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell(row.get(key)) for key, _, _ in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
