"""Suppliers draft and submit; the operator reviews; only approved products are public."""

from __future__ import annotations

from tests.catalog.helpers import M, act, approved, draft, product_body, public_list, supplier
from tests.factories import new_county


async def test_product_goes_public_only_after_the_operator_approves(client, county):
    seller = await supplier(client, county, "封丘县绿源树莓合作社")
    product = await draft(client, seller)
    pid = product["id"]
    assert product["status"] == "draft" and product["images"][0]["thumbnail_url"]

    assert (await client.get(f"/v1/catalog/products/{pid}")).status_code == 404
    r = await act(client, seller, pid, "submit")
    assert r.json()["status"] == "submitted"

    # The operator asks for changes, with reasons the supplier sees.
    r = await act(client, county.operator, pid, "request-changes", ["请补充产地村名"])
    assert r.status_code == 200 and r.json()["status"] == "changes_requested"
    assert r.json()["review_reasons"] == ["请补充产地村名"]
    r = await client.put(
        f"{M}/products/{pid}",
        json=product_body(origin_village="西陈固村", sku=product["variants"][0]["sku"]),
        headers=seller.headers,
    )
    assert r.status_code == 200, r.text
    await act(client, seller, pid, "submit")
    r = await act(client, county.operator, pid, "approve")
    assert r.json()["status"] == "approved" and r.json()["on_sale"] is True

    r = await client.get(f"/v1/catalog/products/{pid}")
    assert r.status_code == 200
    assert r.json()["origin_village"] == "西陈固村"
    assert r.json()["supplier_name"] == "封丘县绿源树莓合作社"
    etag = r.headers["etag"]
    again = await client.get(f"/v1/catalog/products/{pid}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert pid in {p["id"] for p in await public_list(client, county)}

    # The audit history names every step, who did it and what changed.
    r = await client.get(f"{M}/products/{pid}/history", headers=seller.headers)
    steps = [(h["action"], h["to_status"]) for h in r.json()]
    assert steps == [
        ("create", "draft"),
        ("add_image", "draft"),
        ("submit", "submitted"),
        ("request_changes", "changes_requested"),
        ("update", "changes_requested"),
        ("submit", "submitted"),
        ("approve", "approved"),
    ]
    update = r.json()[4]
    assert update["changes"]["origin_village"] == ["东陈固村", "西陈固村"]
    assert update["actor_user_id"] == str(seller.user_id)
    assert r.json()[6]["actor_org_id"] == str(county.operator.org_id)


async def test_editing_an_approved_product_sends_it_back_to_review(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    r = await client.put(
        f"{M}/products/{product['id']}",
        json=product_body(name="封丘树莓果酱（新配方）", sku=product["variants"][0]["sku"]),
        headers=seller.headers,
    )
    assert r.json()["status"] == "draft" and r.json()["on_sale"] is False
    assert (await client.get(f"/v1/catalog/products/{product['id']}")).status_code == 404


async def test_rejecting_needs_reasons_and_submitting_needs_an_image(client, county):
    seller = await supplier(client, county)
    bare = await draft(client, seller, image=False)
    r = await act(client, seller, bare["id"], "submit")
    assert r.status_code == 422
    assert r.json()["type"].endswith("catalog-product-incomplete")
    assert [e["field"] for e in r.json()["errors"]] == ["images"]

    product = await draft(client, seller)
    await act(client, seller, product["id"], "submit")
    r = await act(client, county.operator, product["id"], "reject", [])
    assert r.status_code == 422 and r.json()["type"].endswith("catalog-reasons-required")
    r = await act(client, county.operator, product["id"], "reject", ["图片与实物不符"])
    assert r.json()["status"] == "rejected"
    # A supplier cannot approve its own product; approving a rejected one is not allowed.
    assert (await act(client, seller, product["id"], "approve")).status_code == 403
    r = await act(client, county.operator, product["id"], "approve")
    assert r.status_code == 409 and r.json()["allowed_actions"] == ["revise"]


async def test_other_suppliers_and_other_counties_see_nothing(client, county, admin):
    seller = await supplier(client, county)
    other = await supplier(client, county)
    product = await draft(client, seller)
    r = await client.get(f"{M}/products/{product['id']}", headers=other.headers)
    assert r.status_code == 404
    r = await act(client, other, product["id"], "submit")
    assert r.status_code == 404
    elsewhere = await new_county(client, admin, name="原阳县")
    r = await client.get(f"{M}/products/{product['id']}", headers=elsewhere.operator.headers)
    assert r.status_code == 404
    r = await client.get(f"{M}/products", headers=other.headers)
    assert r.json()["items"] == []


async def test_duplicate_sku_and_unknown_fields_are_refused(client, county):
    seller = await supplier(client, county)
    product = await draft(client, seller, image=False)
    sku = product["variants"][0]["sku"]
    r = await client.post(f"{M}/products", json=product_body(sku=sku), headers=seller.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("catalog-sku-taken")
    r = await client.post(
        f"{M}/products", json={**product_body(), "price": 1}, headers=seller.headers
    )
    assert r.status_code == 422


async def test_a_retried_create_with_the_same_idempotency_key_makes_one_product(client, county):
    seller = await supplier(client, county)
    headers = {**seller.headers, "Idempotency-Key": "create-jam-1"}
    body = product_body()
    first = await client.post(f"{M}/products", json=body, headers=headers)
    again = await client.post(f"{M}/products", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert first.json()["id"] == again.json()["id"]
    r = await client.get(f"{M}/products", headers=seller.headers)
    assert len(r.json()["items"]) == 1


async def test_operator_review_queue_and_thumbnails(client, county):
    seller = await supplier(client, county)
    product = await draft(client, seller)
    await act(client, seller, product["id"], "submit")
    r = await client.get(
        f"{M}/products", params={"status": "submitted"}, headers=county.operator.headers
    )
    assert [p["id"] for p in r.json()["items"]] == [product["id"]]
    assert r.json()["items"][0]["allowed_actions"] == [
        "approve",
        "reject",
        "request_changes",
        "withdraw",
    ]

    image = product["images"][0]
    # Not public before approval; the supplier can see it.
    assert (await client.get(image["url"])).status_code == 404
    assert (await client.get(image["url"], headers=seller.headers)).status_code == 200
    await act(client, county.operator, product["id"], "approve")
    thumb = await client.get(image["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    import io

    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(thumb.content)) as img:
        assert max(img.size) == 320
    assert (image["width"], image["height"]) == (640, 480)


async def test_a_file_pretending_to_be_an_image_is_refused(client, county):
    seller = await supplier(client, county)
    product = await draft(client, seller, image=False)
    r = await client.post(
        f"{M}/products/{product['id']}/images",
        files={"file": ("x.png", b"\x89PNG\r\n\x1a\nnot really a png", "image/png")},
        headers=seller.headers,
    )
    assert r.status_code == 415
    r = await client.post(
        f"{M}/products/{product['id']}/images",
        files={"file": ("x.pdf", b"%PDF-1.4", "application/pdf")},
        headers=seller.headers,
    )
    assert r.status_code == 415
