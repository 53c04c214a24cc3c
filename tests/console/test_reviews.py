"""The operator reviews in the browser: a new supplier's application, then a product."""

from __future__ import annotations

from tests.catalog import helpers as catalog
from tests.factories import eventually
from tests.suppliers.helpers import approved_supplier, in_days, submitted_supplier


async def test_operator_approves_a_new_suppliers_application(client, county, open_console):
    supplier, application = await submitted_supplier(
        client, county, legal_name="封丘县陈固镇树莓种植专业合作社"
    )
    tab = await open_console("operator")
    await tab.sign_in(county.operator)

    today = await tab.text()
    assert "待审核供应商" in today and "距截单" in today
    assert "封丘县陈固镇树莓种植专业合作社" in today
    await tab.click_and_load("text=封丘县陈固镇树莓种植专业合作社", "application")
    page = await tab.text()
    assert "business_licence" in page and "有效期至" in page
    assert await tab.page.locator(".doc object, .doc img").count() == 1  # shown inline

    await tab.click_and_load("#do-approve", "application-approved")
    assert "approved" in await tab.text("h1")
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=county.operator.headers)
    assert r.json()["status"] == "approved"

    await tab.goto("/suppliers", "queue-after")
    assert "封丘县陈固镇树莓种植专业合作社" not in await tab.text("#queue")
    # English by the switch, and back
    await tab.goto("/lang/en?next=/console/suppliers", "queue-en")
    assert "Supplier applications" in await tab.text("h1")
    await tab.goto("/lang/zh?next=/console/suppliers", "queue-zh")
    assert "供应商审核" in await tab.text("h1")


async def test_operator_rejects_with_a_reason_and_suspends_an_approved_one(
    client, county, open_console
):
    rejected, _ = await submitted_supplier(client, county, legal_name="封丘县某某商贸有限公司")
    tab = await open_console("operator")
    await tab.sign_in(county.operator)
    await tab.goto(f"/suppliers/{rejected.org_id}", "to-reject")
    await tab.page.fill("form[action$='/reject'] input[name=reason]", "营业执照照片不清晰")
    await tab.click_and_load("#do-reject", "rejected")
    r = await client.get(f"/v1/suppliers/{rejected.org_id}", headers=county.operator.headers)
    assert (r.json()["status"], r.json()["status_reason"]) == ("rejected", "营业执照照片不清晰")


async def test_operator_approves_a_product_seeing_its_images(client, county, open_console):
    seller = await catalog.supplier(client, county, "封丘县树莓产业发展有限公司")
    await catalog.categories(client, county)
    product = await catalog.draft(client, seller, name="封丘树莓果酱（低糖）")
    r = await catalog.act(client, seller, product["id"], "submit")
    assert r.status_code == 200, r.text

    tab = await open_console("operator")
    await tab.sign_in(county.operator)
    await tab.goto("/products", "product-queue")
    assert "封丘树莓果酱（低糖）" in await tab.text()
    await tab.click_and_load("text=封丘树莓果酱（低糖）", "product")
    image = tab.page.locator(".gallery img").first
    assert await image.evaluate("img => img.complete && img.naturalWidth") == 640
    await tab.click_and_load("#do-approve", "product-approved")

    async def approved() -> bool:
        r = await client.get(
            f"/v1/catalog/manage/products/{product['id']}", headers=county.operator.headers
        )
        return r.json()["status"] == "approved"

    await eventually(approved)


async def test_documents_about_to_lapse_are_listed_and_the_supplier_suspended(
    client, county, open_console
):
    supplier = await approved_supplier(
        client, county, legal_name="封丘县黄德镇金银花合作社", licence_valid_until=in_days(10)
    )
    tab = await open_console("operator")
    await tab.sign_in(county.operator)
    await tab.goto("/suppliers/expiring", "expiring")
    rows = await tab.text("#expiring")
    assert "封丘县黄德镇金银花合作社" in rows and in_days(10) in rows
    await tab.click_and_load("text=封丘县黄德镇金银花合作社", "expiring-supplier")
    assert "即将到期" in await tab.text(".documents")
    await tab.page.fill("form[action$='/suspend'] input[name=reason]", "营业执照即将到期")
    await tab.click_and_load("#do-suspend", "suspended")
    assert "suspended" in await tab.text("h1")
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=county.operator.headers)
    assert r.json()["status"] == "suspended"
