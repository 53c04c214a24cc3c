"""Bulk import from CSV or XLSX: a per-row report, and nothing half-imported."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.catalog.helpers import M, supplier

HEADER = "name,category,township,grade,storage,channels,retail_price_fen,sku,variant_name,unit,net_weight_g\n"


async def upload(client, seller, content: bytes, filename: str, **form):
    return await client.post(
        f"{M}/products/import",
        files={"file": (filename, content, "text/csv")},
        data={k: str(v).lower() for k, v in form.items()},
        headers=seller.headers,
    )


async def my_products(client, seller) -> list[dict]:
    r = await client.get(f"{M}/products", headers=seller.headers)
    return r.json()["items"]


async def test_bad_rows_are_reported_and_nothing_is_imported(client, county):
    seller = await supplier(client, county)
    csv_text = HEADER + (
        "封丘树莓果酱,树莓,陈固镇,一级,常温,零售、云库,3980,JAM-250,250g 玻璃瓶,瓶,250\n"
        "封丘树莓果酱,树莓,陈固镇,一级,常温,零售、云库,3980,JAM-500,500g 玻璃瓶,瓶,500\n"
        "封丘金银花茶,金银花,黄陵镇,特级,warm,零售,abc,TEA-50,50g 罐装,罐,50\n"
        ",芹菜,城关镇,一级,冷藏,云库,1200,JAM-250,5kg 箱,箱,5000\n"
    )
    r = await upload(client, seller, csv_text.encode(), "products.csv")
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["type"].endswith("catalog-import-failed")
    assert problem["imported"] is False and problem["rows"] == 4
    report = {row["row"]: row for row in problem["report"]}
    assert report[2]["status"] == "ok" and report[3]["status"] == "ok"
    assert {e["field"] for e in report[4]["errors"]} == {"storage", "retail_price_fen"}
    assert {e["field"] for e in report[5]["errors"]} == {"name", "sku"}
    assert "row 2" in next(e["message"] for e in report[5]["errors"] if e["field"] == "sku")
    assert await my_products(client, seller) == []


async def test_xlsx_import_drafts_products_with_their_variants(client, county):
    seller = await supplier(client, county)
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "商品名称",
            "品类",
            "乡镇",
            "等级",
            "储存方式",
            "渠道",
            "规格名称",
            "sku",
            "单位",
            "净含量克",
            "规格零售价分",
        ]
    )
    sheet.append(
        [
            "封丘树莓果酱",
            "树莓",
            "陈固镇",
            "一级",
            "常温",
            "零售",
            "250g 玻璃瓶",
            "X-JAM-250",
            "瓶",
            250,
            3980,
        ]
    )
    sheet.append(
        [
            "封丘树莓果酱",
            "树莓",
            "陈固镇",
            "一级",
            "常温",
            "零售",
            "500g 玻璃瓶",
            "X-JAM-500",
            "瓶",
            500,
            6980,
        ]
    )
    sheet.append(
        [
            "封丘芹菜",
            "芹菜",
            "城关镇",
            "一级",
            "冷藏",
            "云库",
            "5kg 箱",
            "X-CEL-5",
            "箱",
            5000,
            1200,
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    r = await upload(client, seller, buffer.getvalue(), "products.xlsx", dry_run=True)
    assert r.status_code == 201, r.text
    assert r.json()["dry_run"] is True and r.json()["products"] == 2
    assert await my_products(client, seller) == []

    r = await upload(client, seller, buffer.getvalue(), "products.xlsx")
    assert r.status_code == 201, r.text
    assert r.json()["imported"] is True and len(r.json()["product_ids"]) == 2
    products = {p["name"]: p for p in await my_products(client, seller)}
    jam = products["封丘树莓果酱"]
    assert jam["status"] == "draft" and [v["sku"] for v in jam["variants"]] == [
        "X-JAM-250",
        "X-JAM-500",
    ]
    assert products["封丘芹菜"]["storage"] == "chilled"
    assert products["封丘芹菜"]["channels"] == ["wholesale"]
    r = await client.get(f"{M}/products/{jam['id']}/history", headers=seller.headers)
    assert r.json()[0]["action"] == "import"

    # The same file again: every SKU is taken, nothing new.
    r = await upload(client, seller, buffer.getvalue(), "products.xlsx")
    assert r.status_code == 422
    assert all(row["status"] == "error" for row in r.json()["report"])
    assert len(await my_products(client, seller)) == 2


async def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(client, county):
    seller = await supplier(client, county)
    r = await upload(client, seller, b"\x89PNG\r\n\x1a\n\x00\x00", "x.csv")
    assert r.status_code == 415
    r = await upload(client, seller, b"name,category\nx,y\n", "x.csv")
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {
        "sku",
        "variant_name",
        "unit",
    }


async def test_unknown_form_fields_are_refused(client, county):
    seller = await supplier(client, county)
    r = await upload(client, seller, HEADER.encode(), "x.csv", overwrite=True)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.overwrite"


async def test_the_template_is_published_and_imports_as_it_is(client, county):
    import csv

    from openpyxl import load_workbook

    seller = await supplier(client, county)
    r = await client.get(f"{M}/products/import/template.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {"name", "category", "sku", "variant_name", "unit", "variant_price_fen"} <= set(rows[0])
    assert len(rows) >= 2 and rows[1][rows[0].index("name")] == "封丘树莓果酱"
    r = await upload(client, seller, r.content, "template.csv", dry_run=True)
    assert r.status_code == 201, r.text

    r = await client.get(f"{M}/products/import/template.xlsx", params={"lang": "zh"})
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "商品名称" in header and "规格零售价分" in header
    r = await upload(client, seller, r.content, "template.xlsx")
    assert r.status_code == 201, r.text
    [jam] = await my_products(client, seller)
    # each variant keeps its own retail price
    assert {v["sku"]: v["retail_price_fen"] for v in jam["variants"]} == {
        "JAM-250": 3980,
        "JAM-500": 6980,
    }


async def test_unknown_or_misspelt_columns_are_refused_by_name(client, county):
    seller = await supplier(client, county)
    text = "name,category,sku,variant_name,unit,retial_price_fen,colour\nx,树莓,S-1,v,瓶,1,red\n"
    r = await upload(client, seller, text.encode(), "x.csv")
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["type"].endswith("catalog-import-columns-unknown")
    assert {e["field"] for e in problem["errors"]} == {"retial_price_fen", "colour"}
    hint = next(e["message"] for e in problem["errors"] if e["field"] == "retial_price_fen")
    assert "retail_price_fen" in hint
    assert await my_products(client, seller) == []


async def test_variants_carry_their_own_price_and_a_negative_price_is_a_cell_error(client, county):
    seller = await supplier(client, county)
    csv_text = HEADER + (
        "封丘树莓果酱,树莓,陈固镇,一级,常温,零售,3980,P-250,250g 玻璃瓶,瓶,250\n"
        "封丘树莓果酱,树莓,陈固镇,一级,常温,零售,6980,P-500,500g 玻璃瓶,瓶,500\n"
        "封丘树莓果酱,树莓,陈固镇,一级,常温,零售,-5,P-1000,1kg 玻璃瓶,瓶,1000\n"
    )
    r = await upload(client, seller, csv_text.encode(), "p.csv")
    assert r.status_code == 422, r.text
    problem = r.json()
    report = {row["row"]: row for row in problem["report"]}
    assert report[2]["status"] == "ok" and report[3]["status"] == "ok"
    [error] = report[4]["errors"]
    assert error["field"] == "retail_price_fen" and error["code"] != "conflict", error
    assert problem["cells"] == [
        {"row": 4, "column": "retail_price_fen", "value": "-5", "message": error["message"]}
    ]

    r = await upload(
        client,
        seller,
        csv_text.rsplit("封丘树莓果酱,树莓,陈固镇,一级,常温,零售,-5", 1)[0].encode(),
        "p.csv",
    )
    assert r.status_code == 201, r.text
    [jam] = await my_products(client, seller)
    assert jam["retail_price_fen"] == 3980
    assert [v["retail_price_fen"] for v in jam["variants"]] == [3980, 6980]
