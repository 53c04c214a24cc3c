"""Reading a county's network workbook (sheets stops, vehicles, routes) into rows to import."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from shared.errors import FieldError, UnsupportedMediaType

SHEETS = ("stops", "vehicles", "routes")
STOP_COLUMNS = (
    "kind",
    "name",
    "township",
    "village",
    "station_org_id",
    "latitude",
    "longitude",
    "opening_hours",
    "contact_name",
    "contact_phone",
)
VEHICLE_COLUMNS = ("plate", "max_weight_kg", "max_volume_l", "cold_chain", "cost_per_run_fen")
ROUTE_COLUMNS = ("name", "weekdays", "departure_time", "vehicle_plate", "stops")


def read_sheets(data: bytes) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Rows per known sheet as (row number, {header: value}); blank rows are skipped."""
    from openpyxl import load_workbook  # lazily: keeps the app's start-up light

    if not data.startswith(b"PK\x03\x04"):
        raise UnsupportedMediaType(
            "Only XLSX workbooks are accepted",
            errors=[FieldError("file", "not an XLSX workbook", "unsupported_type")],
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnsupportedMediaType(
            "The workbook cannot be read",
            errors=[FieldError("file", str(exc)[:200], "unreadable")],
        ) from None
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = {name: [] for name in SHEETS}
    for name in SHEETS:
        if name in book.sheetnames:
            sheets[name] = list(_rows(book[name]))
    return sheets


def _rows(sheet: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for number, values in enumerate(rows, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        yield (
            number,
            {
                h: (v.strip() if isinstance(v, str) else v)
                for h, v in zip(header, values, strict=False)
                if h
            },
        )


def parse_weekdays(value: Any) -> list[int]:
    """'1,2,3' or '1-5' or 3 → [1, 2, 3]; raises ValueError outside 1..7."""
    text = str(value).replace("，", ",").strip()
    days: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "-" in part:
            start, end = (int(x) for x in part.split("-", 1))
            days.update(range(start, end + 1))
        else:
            days.add(int(float(part)))
    if not days or any(d not in range(1, 8) for d in days):
        raise ValueError("weekdays are 1 (Monday) to 7")
    return sorted(days)


def split_names(value: Any) -> list[str]:
    text = str(value or "").replace("；", ";").replace("→", ";")
    return [name.strip() for name in text.split(";") if name.strip()]
