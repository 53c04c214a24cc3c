"""Every console page renders for the people it is for (a screenshot of each), in both
languages and at tablet width; and the console runs on its own against the API's URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import REPO, _free_port
from tests.factories import DEFAULT_PASSWORD
from tests.repository.factories import new_supplier, supply

OPERATOR_PAGES = [
    "/today",
    "/suppliers",
    "/suppliers/all",
    "/suppliers/expiring",
    "/products",
    "/licences",
    "/repository/board",
    "/repository/purchase-orders",
    "/delivery/runs",
    "/delivery/addresses",
    "/payments/statements",
    "/payments/buyers",
    "/payments/refunds",
    "/payments/bank-files",
    "/payments/reconciliation",
    "/livestream/base",
    "/figures",
]
SUPPLIER_PAGES = [
    "/supplier/purchase-orders",
    "/supplier/receipts",
    "/supplier/statements",
    "/supplier/products",
    "/supplier/offers",
    "/supplier/documents",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


async def test_every_operator_page_renders_in_chinese_and_english(client, county, open_console):
    tab = await open_console("operator-tablet", viewport={"width": 768, "height": 1024})
    await tab.sign_in(county.operator)
    assert await tab.page.locator("nav a[href$='/livestream/base']").count() == 1
    assert await tab.page.locator("nav a[href$='/figures']").count() == 1
    for path in OPERATOR_PAGES:
        response = await tab.goto(path, f"zh{path}")
        assert response.status == 200, (path, await tab.text())
        assert CJK.search(await tab.text("h1")), path
        # nothing spills sideways at tablet width
        width = await tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 780, (path, width)
    await tab.goto("/lang/en?next=/console/today", "en-switch")
    for path in OPERATOR_PAGES:
        response = await tab.goto(path, f"en{path}")
        assert response.status == 200, path
    assert "Today" in await tab.text("nav")


async def test_every_supplier_page_renders(client, county, open_console):
    supplier = await new_supplier(client, county, "封丘县黄河滩封芹家庭农场")
    await supply(client, county, supplier)
    tab = await open_console("supplier")
    await tab.sign_in(supplier)
    for path in SUPPLIER_PAGES:
        response = await tab.goto(path, f"supplier{path}")
        assert response.status == 200, (path, await tab.text())
    await tab.goto("/supplier/offers", "supplier-offers")
    assert "¥" in await tab.text()
    # an operator page is not theirs
    response = await tab.goto("/repository/board", "supplier-board")
    assert response.status == 403


@pytest.fixture
def standalone_console(live_server):
    """`uvicorn services.console.app:app` in its own process, calling the API by URL."""
    port = _free_port()
    env = {**os.environ, "CONSOLE_API_BASE_URL": live_server, "LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "services.console.app:app", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise AssertionError(proc.stderr.read().decode() if proc.stderr else "no start")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


async def test_the_console_runs_on_its_own_against_the_apis_url(county, standalone_console):
    async with httpx.AsyncClient(base_url=standalone_console, timeout=30) as browser:
        r = await browser.get("/login")
        assert r.status_code == 200
        token = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
        r = await browser.post(
            "/login",
            data={
                "csrf_token": token,
                "login": county.operator.login,
                "password": DEFAULT_PASSWORD,
            },
        )
        assert (r.status_code, r.headers["location"]) == (303, "/today")
        r = await browser.get("/today")
        assert r.status_code == 200 and "待审核供应商" in r.text
        assert 'href="/suppliers"' in r.text  # links at the root when not mounted
