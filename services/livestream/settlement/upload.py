"""Reading an uploaded platform export: XLSX (the platforms' default download) as the same
rows a CSV gives — header cells as keys, every value as the text a CSV would carry."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from shared.errors import RuleViolation

XLSX_MAGIC = b"PK\x03\x04"  # an XLSX is a zip archive


def is_xlsx(data: bytes, filename: str | None) -> bool:
    return data.startswith(XLSX_MAGIC) or (filename or "").lower().endswith(".xlsx")


def _text(value: Any) -> str:
    """A cell as CSV text: whole numbers without `.0`, date-times in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def read_xlsx(data: bytes) -> list[dict[str, Any]]:
    """The first sheet's rows as dicts keyed by the header row; blank rows are skipped
    (row numbers in the report still count from the header as row 1 of the data rows)."""
    from openpyxl import load_workbook  # lazily: keeps the app's start-up light

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            header = [_text(cell) for cell in next(rows, ())]
            result = []
            for values in rows:
                if all(_text(v) == "" for v in values):
                    continue
                result.append(
                    {key: _text(v) for key, v in zip(header, values, strict=False) if key}
                )
            return result
        finally:
            book.close()
    except Exception as exc:  # openpyxl raises zip, XML, index and key errors for a bad file
        raise RuleViolation(f"The file is not a readable XLSX workbook: {str(exc)[:200]}") from None
