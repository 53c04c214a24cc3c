"""Bulk import of draft products from CSV or XLSX: one row per variant, all or nothing.

Rows with the same `product_key` (or, without it, the same `name`) are variants of one
product; its product columns come from its first row, except the price: a row's
`variant_price_fen` (规格零售价分), or else its `retail_price_fen`, is that variant's retail
price, and the product's indicative price is its first row's `retail_price_fen` (or its
cheapest variant's). Columns are the template's (`template_rows`, English or Chinese
headers); an unknown or misspelt column is refused before any row is read. Every row is
checked; if any cell fails the answer is 422 with the per-row report (row, column,
message) and nothing is written.
"""

from __future__ import annotations

import csv
import difflib
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.categories.rules import category_errors
from services.catalog.categories.service import category_statuses
from services.catalog.problems import IMPORT_COLUMNS_UNKNOWN, IMPORT_FAILED
from services.catalog.products.repository import ProductRepository
from services.catalog.products.schemas import (
    ImportRowReport,
    ProductCreate,
    ProductImportReport,
    VariantCreate,
)
from services.catalog.products.service import create_product
from services.catalog.suppliers.service import supplier_for_caller
from shared.auth.principal import Principal
from shared.errors import FieldError, RuleViolation, UnsupportedMediaType

MAX_BYTES = 5 * 1024 * 1024
TEMPLATE_PATH = "/v1/catalog/manage/products/import/template.csv"
MAX_ROWS = 2000

ALIASES = {
    "商品编码": "product_key",
    "商品名称": "name",
    "英文名称": "name_en",
    "拼音": "pinyin",
    "品类": "category",
    "描述": "description",
    "乡镇": "township",
    "村": "village",
    "等级": "grade",
    "储存方式": "storage",
    "保质期天数": "shelf_life_days",
    "渠道": "channels",
    "建议零售价分": "retail_price_fen",
    "规格名称": "variant_name",
    "单位": "unit",
    "净含量克": "net_weight_g",
    "体积立方厘米": "volume_cm3",
    "包装": "packaging",
    "规格零售价分": "variant_price_fen",
}
PRODUCT_COLUMNS = {
    "name": "name",
    "name_en": "name_en",
    "pinyin": "pinyin",
    "category": "category",
    "description": "description",
    "township": "origin_township",
    "village": "origin_village",
    "grade": "grade",
    "storage": "storage",
    "shelf_life_days": "shelf_life_days",
    "channels": "channels",
    "retail_price_fen": "retail_price_fen",
}
VARIANT_COLUMNS = {
    "sku": "sku",
    "variant_name": "name",
    "unit": "unit",
    "net_weight_g": "net_weight_g",
    "volume_cm3": "volume_cm3",
    "packaging": "packaging",
    "variant_price_fen": "retail_price_fen",
}
PRODUCT_COLUMN_OF = {field: column for column, field in PRODUCT_COLUMNS.items()}
VARIANT_COLUMN_OF = {field: column for column, field in VARIANT_COLUMNS.items()}
REQUIRED = ("name", "category", "sku", "variant_name", "unit")
COLUMNS = ("product_key", *PRODUCT_COLUMNS, *VARIANT_COLUMNS)
CHINESE_OF = {column: zh for zh, column in ALIASES.items()}
EXAMPLE_ROWS = (
    {
        "product_key": "JAM",
        "name": "封丘树莓果酱",
        "name_en": "Fengqiu raspberry jam",
        "pinyin": "",
        "category": "树莓",
        "description": "陈固镇树莓基地当季鲜果熬制",
        "township": "陈固镇",
        "village": "东陈固村",
        "grade": "一级",
        "storage": "常温",
        "shelf_life_days": "365",
        "channels": "零售、云库",
        "retail_price_fen": "3980",
        "sku": "JAM-250",
        "variant_name": "250g 玻璃瓶",
        "unit": "瓶",
        "net_weight_g": "250",
        "volume_cm3": "400",
        "packaging": "玻璃瓶",
        "variant_price_fen": "3980",
    },
    {
        "product_key": "JAM",
        "name": "封丘树莓果酱",
        "category": "树莓",
        "sku": "JAM-500",
        "variant_name": "500g 玻璃瓶",
        "unit": "瓶",
        "net_weight_g": "500",
        "volume_cm3": "750",
        "packaging": "玻璃瓶",
        "variant_price_fen": "6980",
    },
)
STORAGE_WORDS = {"常温": "ambient", "冷藏": "chilled", "冷冻": "frozen"}
CHANNEL_WORDS = {"云库": "wholesale", "批发": "wholesale", "直播": "livestream", "零售": "retail"}


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column -> header as in the file


def template_rows(chinese: bool = False) -> list[list[str]]:
    """The import template: the header (every column) and example rows (one product with
    two variants, each with its own price)."""
    header = [CHINESE_OF.get(c, c) if chinese else c for c in COLUMNS]
    return [header, *([row.get(c, "") for c in COLUMNS] for row in EXAMPLE_ROWS)]


def template_csv(chinese: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(template_rows(chinese))
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: spreadsheet apps read UTF-8


def template_xlsx(chinese: bool = False) -> bytes:
    from openpyxl import Workbook  # lazily: keeps the app's start-up light

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "products"
    for row in template_rows(chinese):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _unknown_columns(original: list[str], header: list[str]) -> list[FieldError]:
    known = set(COLUMNS)
    names = [*COLUMNS, *ALIASES]
    errors = []
    for raw, column in zip(original, header, strict=True):
        if column in known or column == "":
            continue
        close = difflib.get_close_matches(raw.strip(), names, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        errors.append(FieldError(raw, f"unknown column {raw!r}{hint}", "unknown_column"))
    return errors


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, filename: str | None) -> list[Row]:
    """Header + rows from CSV (UTF-8, with or without BOM) or XLSX (first sheet)."""
    from openpyxl import load_workbook  # lazily: keeps the app's start-up light

    if content.startswith(b"PK\x03\x04"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise UnsupportedMediaType("The XLSX file cannot be read") from exc
        sheet = book.worksheets[0]
        table = [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnsupportedMediaType("Send a UTF-8 CSV or an XLSX file") from exc
        if "\x00" in text:
            raise UnsupportedMediaType("Send a UTF-8 CSV or an XLSX file")
        table = [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text))]
    if not table:
        raise RuleViolation("The file is empty", code=IMPORT_FAILED)
    header = [ALIASES.get(h.strip(), h).strip().lower() for h in table[0]]
    unknown = _unknown_columns(table[0], header)
    if unknown:
        raise RuleViolation(
            "Columns not in the template: " + ", ".join(e.field for e in unknown),
            code=IMPORT_COLUMNS_UNKNOWN,
            errors=unknown,
            extra={"template": TEMPLATE_PATH},
        )
    headers = {h: raw for raw, h in zip(table[0], header, strict=True)}
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RuleViolation(
            "Columns missing: " + ", ".join(missing),
            code=IMPORT_FAILED,
            errors=[FieldError(c, "column missing", "missing") for c in missing],
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}
        rows.append(Row(number, values, headers=headers))
    if len(rows) > MAX_ROWS:
        raise RuleViolation(f"At most {MAX_ROWS} rows per file", code=IMPORT_FAILED)
    return rows


def _product_fields(values: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, name in PRODUCT_COLUMNS.items():
        raw = values.get(column, "")
        if raw == "":
            continue
        if name == "storage":
            raw = STORAGE_WORDS.get(raw, raw)
        if name == "channels":
            parts = [p.strip() for p in raw.replace("、", ",").replace("，", ",").split(",")]
            data[name] = [CHANNEL_WORDS.get(p, p) for p in parts if p]
            continue
        data[name] = raw
    return data


def _variant_fields(values: dict[str, str]) -> dict[str, Any]:
    return {name: values[c] for c, name in VARIANT_COLUMNS.items() if values.get(c, "") != ""}


def _errors(exc: ValidationError, prefix: str = "") -> list[FieldError]:
    result = []
    for e in exc.errors(include_url=False):
        loc = [str(p) for p in e["loc"] if p != "variants" and not isinstance(p, int)]
        result.append(FieldError(prefix + ".".join(loc), e["msg"], e["type"]))
    return result


@dataclass
class PlannedProduct:
    key: str
    rows: list[Row]
    fields: dict[str, Any]
    variants: list[dict[str, Any]]


def plan(rows: list[Row]) -> list[PlannedProduct]:
    """Group rows into products and check every row; errors stay on their rows."""
    products: dict[str, PlannedProduct] = {}
    seen_skus: dict[str, int] = {}
    for row in rows:
        values = row.values
        key = values.get("product_key") or values.get("name", "")
        for column in REQUIRED:
            if not values.get(column):
                row.errors.append(FieldError(column, "required", "missing"))
        fields = _product_fields(values)
        variant = _variant_fields(values)
        # The price is the variant's: its own column, else the row's retail price.
        price_column = "variant_price_fen"
        row_price = fields.pop("retail_price_fen", None)
        if "retail_price_fen" not in variant and row_price is not None:
            variant["retail_price_fen"] = row_price
            price_column = "retail_price_fen"
        try:
            VariantCreate.model_validate(variant)
        except ValidationError as exc:
            known = {e.field for e in row.errors}
            for error in _errors(exc):
                if error.field == "retail_price_fen":
                    error.field = price_column
                else:
                    error.field = VARIANT_COLUMN_OF.get(error.field, error.field)
                if error.field not in known:
                    row.errors.append(error)
        sku = values.get("sku", "")
        if sku and sku in seen_skus:
            row.errors.append(FieldError("sku", f"same SKU as row {seen_skus[sku]}", "duplicate"))
        elif sku:
            seen_skus[sku] = row.number
        planned = products.get(key)
        if planned is None:
            if row_price is not None:
                fields["retail_price_fen"] = row_price
            planned = products[key] = PlannedProduct(key, [], fields, [])
        else:
            for name, value in fields.items():
                if planned.fields.get(name) is None:
                    planned.fields[name] = value
                elif planned.fields[name] != value:
                    column = PRODUCT_COLUMN_OF.get(name, name)
                    row.errors.append(
                        FieldError(column, "differs from the product's earlier rows", "conflict")
                    )
        planned.rows.append(row)
        planned.variants.append(variant)
    for planned in products.values():
        if "retail_price_fen" not in planned.fields:
            prices = [_int(v.get("retail_price_fen")) for v in planned.variants]
            valid = [p for p in prices if p is not None and p >= 0]
            if valid:
                planned.fields["retail_price_fen"] = min(valid)
        try:
            ProductCreate.model_validate({**planned.fields, "variants": []})
        except ValidationError as exc:
            first = planned.rows[0]
            known = {e.field for e in first.errors}
            for error in _errors(exc):
                error.field = PRODUCT_COLUMN_OF.get(error.field, error.field)
                if error.field not in known:
                    first.errors.append(error)
    return list(products.values())


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check_row_categories(planned: list[PlannedProduct], statuses: dict[str, str]) -> None:
    """A product's category must be an active category of the region: the error goes on the
    product's first row, beside the other problems of the file."""
    active = {name for name, status in statuses.items() if status == "active"}
    retired = set(statuses) - active
    for item in planned:
        category = item.fields.get("category")
        if not category:
            continue
        first = item.rows[0]
        if any(e.field == "category" for e in first.errors):
            continue
        first.errors.extend(category_errors("category", [category], active, retired))


def report_of(rows: list[Row]) -> list[ImportRowReport]:
    return [
        ImportRowReport(
            row=r.number,
            sku=r.values.get("sku") or None,
            product=r.values.get("name") or None,
            status="error" if r.errors else "ok",
            errors=[e.as_dict() for e in r.errors],
        )
        for r in rows
    ]


def bad_cells(rows: list[Row]) -> list[dict[str, Any]]:
    """Every bad cell on its own line: row, column (as in the file), value, message."""
    return [
        {
            "row": r.number,
            "column": r.headers.get(e.field, e.field),
            "value": r.values.get(e.field, ""),
            "message": e.message,
        }
        for r in rows
        for e in r.errors
    ]


async def import_products(
    session: AsyncSession,
    principal: Principal,
    supplier_id: uuid.UUID | None,
    content: bytes,
    filename: str | None,
    *,
    dry_run: bool = False,
) -> ProductImportReport:
    if len(content) > MAX_BYTES:
        raise RuleViolation(f"The file may be at most {MAX_BYTES} bytes", code=IMPORT_FAILED)
    supplier = await supplier_for_caller(session, principal, supplier_id)
    rows = read_rows(content, filename)
    planned = plan(rows)
    check_row_categories(planned, await category_statuses(session, supplier.region_id))
    taken = set(
        await ProductRepository(session).skus_taken(
            supplier.org_id, [r.values["sku"] for r in rows if r.values.get("sku")]
        )
    )
    for row in rows:
        if row.values.get("sku") in taken:
            row.errors.append(FieldError("sku", "already used by another product", "taken"))
    report = report_of(rows)
    failed = [r for r in report if r.status == "error"]
    summary = {
        "rows": len(rows),
        "products": len(planned),
        "variants": len(rows),
    }
    if failed:
        raise RuleViolation(
            f"{len(failed)} of {len(rows)} rows are invalid; nothing was imported",
            code=IMPORT_FAILED,
            extra={
                "imported": False,
                "dry_run": dry_run,
                **summary,
                "report": [r.model_dump(mode="json") for r in report],
                "cells": bad_cells(rows),
            },
        )
    ids: list[uuid.UUID] = []
    if not dry_run:
        for item in planned:
            data = ProductCreate.model_validate(
                {**item.fields, "variants": item.variants, "supplier_id": supplier.org_id}
            )
            product = await create_product(session, principal, data, action="import")
            ids.append(product.id)
    return ProductImportReport(
        imported=not dry_run, dry_run=dry_run, product_ids=ids, report=report, **summary
    )
