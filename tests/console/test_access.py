"""Who may open what: a station user is kept out of the operator pages; forged forms and
signed-out visits are refused."""

from __future__ import annotations

import httpx

from tests.factories import new_org


async def test_a_station_user_cannot_open_operator_pages(client, county, open_console):
    station = await new_org(client, county, "station", "城关镇东街村电商服务站")
    tab = await open_console("station")
    await tab.sign_in(station)
    assert "城关镇东街村电商服务站" in await tab.text()
    assert await tab.page.locator("nav a[href$='/suppliers']").count() == 0
    for path in ("/suppliers", "/products", "/repository/board", "/delivery/runs"):
        response = await tab.goto(path, f"station-{path}")
        assert response.status == 403, path
        assert "您无权访问此页面" in await tab.text()
    # the supplier pages are not theirs either
    response = await tab.goto("/supplier/purchase-orders", "station-supplier-pages")
    assert response.status == 403


async def test_an_operators_page_of_another_county_is_the_apis_404(
    client, admin, county, open_console
):
    from tests.factories import new_county
    from tests.suppliers.helpers import submitted_supplier

    other = await new_county(client, admin)
    foreign, _ = await submitted_supplier(client, other)
    tab = await open_console("operator")
    await tab.sign_in(county.operator)
    response = await tab.goto(f"/suppliers/{foreign.org_id}", "foreign-application")
    assert response.status == 404
    assert "找不到" in await tab.text()


async def test_a_forged_form_without_the_csrf_token_is_refused(client, county, open_console):
    from tests.suppliers.helpers import submitted_supplier

    supplier, _ = await submitted_supplier(client, county)
    tab = await open_console("operator")
    await tab.sign_in(county.operator)
    # A page elsewhere posts a form into the console with the operator's cookie but no token.
    await tab.page.set_content(
        f"""<form id="f" method="post" action="{tab.base}/suppliers/{supplier.org_id}/approve">
        <input name="reason" value="forged"></form>"""
    )
    async with tab.page.expect_navigation():
        await tab.page.evaluate("document.getElementById('f').submit()")
    await tab.shot("forged-form")
    assert "表单已过期或被伪造" in await tab.text()
    # and a wrong token is refused the same way
    cookies = {c["name"]: c["value"] for c in await tab.page.context.cookies()}
    async with httpx.AsyncClient(base_url=tab.base, cookies=cookies) as raw:
        r = await raw.post(
            f"/suppliers/{supplier.org_id}/approve", data={"csrf_token": "not-the-token"}
        )
    assert r.status_code == 403
    r = await client.get(f"/v1/suppliers/{supplier.org_id}", headers=county.operator.headers)
    assert r.json()["status"] == "submitted"


async def test_signed_out_visits_go_to_sign_in_and_the_cookie_is_httponly_lax(county, open_console):
    tab = await open_console("anonymous")
    await tab.goto("/today", "signed-out")
    assert tab.page.url.endswith("/console/login")
    await tab.sign_in(county.operator)
    [cookie] = [c for c in await tab.page.context.cookies() if c["name"] == "console_session"]
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    await tab.click_and_load("header form button", "signed-out-again")
    assert tab.page.url.endswith("/console/login")
    await tab.goto("/today", "after-sign-out")
    assert tab.page.url.endswith("/console/login")


async def test_an_expired_access_token_is_refreshed_and_a_dead_session_signs_in_again(
    county, open_console
):
    import json

    from services.console.sessions import COOKIE, PREFIX
    from shared.redis import get_redis

    tab = await open_console("operator")
    await tab.sign_in(county.operator)
    [sid] = [c["value"] for c in await tab.page.context.cookies() if c["name"] == COOKIE]
    redis = get_redis()
    stored = json.loads(await redis.get(PREFIX + sid))
    stored["access_token"] = "expired.or.revoked"
    await redis.set(PREFIX + sid, json.dumps(stored))

    response = await tab.goto("/suppliers", "refreshed")
    assert response.status == 200
    renewed = json.loads(await redis.get(PREFIX + sid))
    assert renewed["access_token"] not in ("expired.or.revoked", stored["access_token"])
    assert renewed["refresh_token"] != stored["refresh_token"]  # refresh tokens rotate

    renewed["access_token"] = "expired.or.revoked"
    renewed["refresh_token"] = "no-longer-valid-refresh-token"
    await redis.set(PREFIX + sid, json.dumps(renewed))
    await tab.goto("/suppliers", "session-dead")
    assert tab.page.url.endswith("/console/login")
