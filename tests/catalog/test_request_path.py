"""The request path of the catalog's public reads: one statement, no transaction, ETags;
a client that goes away mid-request is not a server error."""

from __future__ import annotations

import uuid

import pytest

from shared.web import REQUESTS
from tests.catalog.helpers import M, approved, product_body, public_list, supplier


def _count(method: str, route: str, status: str) -> float:
    for metric in REQUESTS.collect():
        for sample in metric.samples:
            if sample.name.endswith("_total") and sample.labels == {
                "method": method,
                "route": route,
                "status": status,
            }:
                return sample.value
    return 0.0


async def test_a_client_that_disconnects_mid_request_is_not_a_server_error(
    client, county, request, capfd
):
    if not hasattr(client._transport, "app"):
        pytest.skip("needs the in-process app")
    app = request.getfixturevalue("app")
    seller = await supplier(client, county)
    # multipart: the kernel reads JSON bodies whole before the app; an upload is streamed
    route = f"{M}/products/import"
    before_500 = _count("POST", route, "500")
    before_499 = _count("POST", route, "499")
    capfd.readouterr()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"test"),
            (b"content-type", b"multipart/form-data; boundary=xyz"),
            (b"content-length", b"500"),
            (b"idempotency-key", b"gone-before-the-body"),
            (b"authorization", f"Bearer {seller.access_token}".encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    sent = []

    async def receive():
        return {"type": "http.disconnect"}  # the client left before sending its body

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)  # raises nothing
    assert not [m for m in sent if m.get("status", 0) >= 500]
    assert _count("POST", route, "500") == before_500
    assert _count("POST", route, "499") == before_499 + 1
    assert "request.unhandled_error" not in capfd.readouterr().err


async def test_public_reads_carry_an_etag_and_answer_304(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    r = await client.get(f"/v1/catalog/products/{product['id']}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["supplier_name"] and body["variants"][0]["sku"] == product["variants"][0]["sku"]
    assert body["images"][0]["url"].startswith("/v1/catalog/images/")
    again = await client.get(
        f"/v1/catalog/products/{product['id']}", headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    [listed] = await public_list(client, county)
    assert listed == body


async def test_the_json_postgresql_writes_is_the_schema_of_the_answer(client, county):
    """Public detail, list and search answer bytes written outside pydantic: each must be
    exactly what the declared schema would send (same fields, types and timestamps)."""
    from services.catalog.products.schemas import Product, ProductPage
    from services.catalog.search.schemas import SearchResult
    from tests.catalog.helpers import search, until_indexed

    seller = await supplier(client, county, "封丘县绿源树莓合作社")
    product = await approved(client, county, seller, attributes={"糖度": "低", "n": 2})
    r = await client.get(f"/v1/catalog/products/{product['id']}")
    body = r.json()
    assert Product.model_validate(body).model_dump(mode="json") == body
    assert body["listed_at"].endswith("Z") and body["attributes"] == {"糖度": "低", "n": 2}
    assert body["brand_id"] is None and body["images"][0]["thumbnail_url"].endswith(
        "?size=thumbnail"
    )
    r = await client.get(
        "/v1/catalog/products", params={"region_id": str(county.region_id), "limit": 1}
    )
    page = r.json()
    assert ProductPage.model_validate(page).model_dump(mode="json") == page
    assert page["items"] == [body]
    await until_indexed(client, county, product["id"], q="树莓")
    found = await search(client, county, q="树莓")
    assert SearchResult.model_validate(found).model_dump(mode="json") == found
    assert found["hits"][0]["supplier_name"] == "封丘县绿源树莓合作社"


async def test_public_reads_never_answer_from_before_a_committed_change(client, county):
    """Rendered pages and details are kept per catalog version: whatever changes what they
    show — through the API, or any other process writing the tables — the next read shows
    it."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from shared.settings import get_settings

    seller = await supplier(client, county, "封丘县老树莓合作社")
    first = await approved(client, county, seller)
    params = {"region_id": str(county.region_id), "limit": 20}
    r = await client.get("/v1/catalog/products", params=params)
    again = await client.get("/v1/catalog/products", params=params)
    assert again.content == r.content and again.headers["etag"] == r.headers["etag"]
    assert [p["id"] for p in r.json()["items"]] == [first["id"]]

    second = await approved(client, county, seller, name="封丘树莓干")  # through the API
    assert [p["id"] for p in await public_list(client, county)] == [second["id"], first["id"]]
    changed = await client.get(
        "/v1/catalog/products", params=params, headers={"If-None-Match": r.headers["etag"]}
    )
    assert changed.status_code == 200 and changed.headers["etag"] != r.headers["etag"]

    r = await client.put(
        f"{M}/products/{second['id']}",
        json={**product_body(name="封丘树莓干（新）")},
        headers=seller.headers,
    )
    assert r.status_code == 200 and r.json()["on_sale"] is False  # back to draft
    assert [p["id"] for p in await public_list(client, county)] == [first["id"]]

    detail = f"/v1/catalog/products/{first['id']}"
    before = await client.get(detail)
    assert (await client.get(detail)).content == before.content
    # Written by another process (a worker, another API process): committed, then read.
    url = make_url(get_settings().database_url).set(drivername="postgresql")
    conn = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await conn.execute(
            "UPDATE catalog.variants SET retail_price_fen = 4321 WHERE product_id = $1",
            uuid.UUID(first["id"]),
        )
        [listed] = await public_list(client, county)
        assert {v["retail_price_fen"] for v in listed["variants"]} == {4321}
        assert (await client.get(detail)).json() == listed
        await conn.execute(
            "UPDATE catalog.suppliers SET display_name = '老树莓社' WHERE org_id = $1",
            seller.org_id,
        )
        [listed] = await public_list(client, county)
        assert listed["supplier_name"] == "老树莓社"
        assert (await client.get(detail)).json() == listed
        await conn.execute(
            "DELETE FROM catalog.product_images WHERE product_id = $1", uuid.UUID(first["id"])
        )
        [listed] = await public_list(client, county)
        assert listed["images"] == []
        await conn.execute(
            "UPDATE catalog.products SET on_sale = false WHERE id = $1", uuid.UUID(first["id"])
        )
        assert await public_list(client, county) == []
        assert (await client.get(detail)).status_code == 404
    finally:
        await conn.close()
