"""A product whose required certificate lapsed is hidden until renewed; suppliers are warned."""

from __future__ import annotations

from tests.catalog.helpers import (
    M,
    approved,
    in_days,
    product_body,
    public_list,
    run_daily_check,
    supplier,
    until_indexed,
)
from tests.factories import eventually

COMPLIANCE = {
    "kind": "compliance_certificate",
    "issuer": "封丘县绿源树莓合作社",
    "number": "HGZ-2026-0001",
    "required": True,
    "details": {
        "producer": "封丘县绿源树莓合作社",
        "product_name": "鲜树莓",
        "quantity": "500 kg",
        "issued_on": "2026-11-20",
        "contact": "13800000000",
        "basis": ["自我检测", "内部质量控制"],
        "commitments": ["不使用禁用农药兽药", "遵守农药安全间隔期"],
    },
}


async def add(client, seller, pid, **overrides):
    r = await client.post(
        f"{M}/products/{pid}/certificates", json={**COMPLIANCE, **overrides}, headers=seller.headers
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_expired_certificate_hides_the_product_until_renewed(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    pid = product["id"]
    cert = await add(client, seller, pid, valid_from=in_days(-300), valid_until=in_days(20))
    assert cert["details"]["commitments"] == ["不使用禁用农药兽药", "遵守农药安全间隔期"]
    r = await client.put(
        f"{M}/certificates/{cert['id']}/file",
        files={"file": ("hgz.pdf", b"%PDF-1.4 compliance", "application/pdf")},
        headers=seller.headers,
    )
    assert r.status_code == 200 and r.json()["has_file"] is True
    detail = (await client.get(f"/v1/catalog/products/{pid}")).json()
    assert detail["certificates"] == ["compliance_certificate"]

    # 15 days before: a warning, the product stays on sale.
    run_daily_check(county, days_from_now=5)

    async def notes():
        r = await client.get(f"{M}/suppliers/{seller.org_id}/notifications", headers=seller.headers)
        return r.json()["items"]

    [warning] = await eventually(notes)
    assert warning["kind"] == "expires_in_30_days" and warning["due_date"] == in_days(20)
    assert "食用农产品承诺达标合格证" in warning["message"]
    assert (await client.get(f"/v1/catalog/products/{pid}")).status_code == 200
    r = await client.post(
        f"{M}/suppliers/{seller.org_id}/notifications/{warning['id']}/read",
        headers=seller.headers,
    )
    assert r.status_code == 200 and r.json()["read_at"]

    # The day after it lapsed: hidden from sale.
    run_daily_check(county, days_from_now=21)

    async def hidden() -> bool:
        return (await client.get(f"/v1/catalog/products/{pid}")).status_code == 404

    await eventually(hidden)
    r = await client.get(f"{M}/products/{pid}", headers=seller.headers)
    assert r.json()["certificate_hold"] is True and r.json()["status"] == "approved"

    # A renewal brings it back, and the nightly check of that day keeps it on sale.
    await add(client, seller, pid, number="HGZ-2026-0002", valid_until=in_days(400))
    assert (await client.get(f"/v1/catalog/products/{pid}")).status_code == 200
    run_daily_check(county, days_from_now=21)

    async def released() -> bool:
        r = await client.get(f"{M}/products/{pid}", headers=seller.headers)
        return r.json()["certificate_hold"] is False

    await eventually(released)
    assert (await client.get(f"/v1/catalog/products/{pid}")).status_code == 200


async def test_an_already_expired_required_certificate_hides_at_once(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    await add(client, seller, product["id"], valid_until=in_days(-1))
    assert (await client.get(f"/v1/catalog/products/{product['id']}")).status_code == 404


async def test_compliance_certificate_needs_its_fields(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    r = await client.post(
        f"{M}/products/{product['id']}/certificates",
        json={**COMPLIANCE, "details": {"producer": "x"}},
        headers=seller.headers,
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert any("commitments" in f for f in fields), fields
    other = await supplier(client, county)
    r = await client.post(
        f"{M}/products/{product['id']}/certificates", json=COMPLIANCE, headers=other.headers
    )
    assert r.status_code == 404


INSPECTION = {
    "kind": "inspection_report",
    "issuer": "新乡市农产品质量检测中心",
    "number": "JC-2026-0420",
    "required": True,
    "result": "合格",
}


async def test_the_daily_check_after_a_lapse_takes_the_product_off_sale_everywhere(client, county):
    """Even when a brand licence of the same supplier expires in the same run (its
    relisting used to recompute for the calendar day and put the product back on sale)."""
    from tests.catalog.test_brand import license, make_brand

    brand = await make_brand(client, county, name=f"封丘{in_days(0)}")
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    pid = product["id"]
    await license(client, county, brand, seller, [pid], valid_until=in_days(3))
    await add(client, seller, pid, **INSPECTION, valid_from=in_days(-30), valid_until=in_days(3))
    await until_indexed(client, county, pid, q="树莓")

    run_daily_check(county, days_from_now=5)

    async def hidden() -> bool:
        return (await client.get(f"/v1/catalog/products/{pid}")).status_code == 404

    await eventually(hidden)
    assert pid not in {p["id"] for p in await public_list(client, county)}
    r = await client.get(f"{M}/products/{pid}", headers=seller.headers)
    assert r.json()["certificate_hold"] is True and r.json()["on_sale"] is False
    await until_indexed(client, county, pid, present=False, q="树莓")

    async def lapse_noted():
        r = await client.get(f"{M}/suppliers/{seller.org_id}/notifications", headers=seller.headers)
        return [n for n in r.json()["items"] if n["kind"] == "lapsed"]

    [note] = await eventually(lapse_noted)
    assert "质检报告" in note["message"] and "下架" in note["message"]


async def test_an_operator_runs_the_regions_certificate_check_now(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    await add(client, seller, product["id"], valid_from=in_days(-30), valid_until=in_days(6))
    url = f"{M}/regions/{county.region_id}/certificate-check"
    r = await client.post(url, headers=seller.headers)
    assert r.status_code == 403, r.text
    r = await client.post(url, headers=county.operator.headers)
    assert r.status_code == 200, r.text
    run = r.json()
    assert run["as_of"] == in_days(0) and run["warnings"] >= 1 and run["held"] == 0
    r = await client.get(f"{M}/suppliers/{seller.org_id}/notifications", headers=seller.headers)
    assert [n["kind"] for n in r.json()["items"]] == ["expires_in_7_days"]
    # once a day: a second run warns nobody again
    r = await client.post(url, headers=county.operator.headers)
    assert r.json()["warnings"] == 0


async def test_a_compliance_certificate_records_its_basis_typed_and_prints(client, county):
    import io

    from pypdf import PdfReader

    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    pid = product["id"]
    r = await client.post(
        f"{M}/products/{pid}/lots",
        json={"quantity": "500", "unit": "kg", "produced_on": in_days(-2)},
        headers=seller.headers,
    )
    assert r.status_code == 201, r.text
    lot = r.json()
    cert = await add(client, seller, pid, lot_code=lot["code"], valid_until=in_days(30))
    assert cert["compliance"]["basis"] == ["自我检测", "内部质量控制"]
    assert cert["compliance"]["producer"] == "封丘县绿源树莓合作社"

    for basis in ([], ["自己保证"], None):
        details = {**COMPLIANCE["details"], "basis": basis}
        if basis is None:
            details.pop("basis")
        r = await client.post(
            f"{M}/products/{pid}/certificates",
            json={**COMPLIANCE, "details": details},
            headers=seller.headers,
        )
        assert r.status_code == 422, (basis, r.text)
        assert any("basis" in e["field"] for e in r.json()["errors"]), r.json()

    r = await client.get(f"{M}/certificates/{cert['id']}/print.pdf", headers=seller.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = reader.pages[0].extract_text()
    for words in (
        "食用农产品承诺达标合格证",
        "鲜树莓",
        "500 kg",
        "自我检测",
        "自律管理",
        lot["code"],
    ):
        assert words in text, (words, text)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptor = next(iter(fonts.values())).get_object()["/DescendantFonts"][0].get_object()
    assert any(k in descriptor["/FontDescriptor"] for k in ("/FontFile2", "/FontFile3"))
    assert reader.pages[0].images, "the QR code is on the page"

    other = await supplier(client, county)
    r = await client.get(f"{M}/certificates/{cert['id']}/print.pdf", headers=other.headers)
    assert r.status_code == 404
    r = await client.get(
        f"{M}/certificates/{cert['id']}/print.pdf", headers=county.operator.headers
    )
    assert r.status_code == 200

    spec = (await client.get("/openapi.json")).json()["components"]["schemas"]
    assert set(spec["ComplianceDetails"]["properties"]) >= {"basis", "commitments", "producer"}
    assert spec["ComplianceDetails"]["properties"]["basis"]["items"]["enum"] == [
        "委托检测",
        "自我检测",
        "内部质量控制",
        "自律管理",
    ]
    assert spec["Certificate"]["properties"]["compliance"]["anyOf"][0]["$ref"].endswith(
        "/ComplianceCertificate"
    )


def nested(depth: int):
    value: dict = {"leaf": "x"}
    for _ in range(depth):
        value = {"d": value}
    return value


async def test_free_form_fields_are_bounded(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller)
    pid = product["id"]
    # Beyond 32 levels the kernel refuses the body (400 json-too-deep); within it, the
    # field's own bounds answer 422 naming the field.
    for bad in (
        nested(300),
        nested(6),
        {"k" * 65: 1},
        {"t": "x" * 2001},
        {str(i): i for i in range(201)},
    ):
        r = await client.post(
            f"{M}/products/{pid}/certificates",
            json={**INSPECTION, "details": bad, "valid_until": in_days(30)},
            headers=seller.headers,
        )
        assert r.status_code in (400, 422), r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        if r.status_code == 422:
            assert any("details" in e["field"] for e in r.json()["errors"]), r.json()
        else:
            assert bad == nested(300)
    ok = await add(client, seller, pid, **INSPECTION, details=nested(3), valid_until=in_days(30))
    assert ok["details"] == nested(3)

    r = await client.put(
        f"{M}/products/{pid}",
        json=product_body(attributes=nested(8), sku=product["variants"][0]["sku"]),
        headers=seller.headers,
    )
    assert r.status_code == 422, r.text
    assert any("attributes" in e["field"] for e in r.json()["errors"]), r.json()
    r = await client.post(
        f"{M}/products/{pid}/lots",
        json={"quantity": "5", "unit": "kg", "produced_on": in_days(-2)},
        headers=seller.headers,
    )
    lot = r.json()
    r = await client.post(
        f"{M}/lots/{lot['id']}/events",
        json={
            "biz_step": "harvest",
            "event_time": f"{in_days(-1)}T08:00:00+08:00",
            "location_kind": "farm",
            "location_name": "地块",
            "actor_name": "张建国",
            "details": nested(10),
        },
        headers=seller.headers,
    )
    assert r.status_code == 422, r.text
    assert any("details" in e["field"] for e in r.json()["errors"]), r.json()
    # the connection still answers
    assert (await client.get(f"/v1/catalog/products/{pid}")).status_code == 200
