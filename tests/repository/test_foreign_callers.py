"""Every order, offer and purchase-order route answers a caller from outside (another county's operator, or a
station of another county) with 404, never 403 or the object: a foreign id does not
exist for them."""

from __future__ import annotations

import pytest

from tests.factories import new_county
from tests.repository.factories import R, new_buyer
from tests.repository.purchasing_stories import closed_window, consolidate, purchase_orders

ROUTES = [
    ("GET", "/orders/{order}", None),
    ("POST", "/orders/{order}/cancel", {"reason": "不要了"}),
    ("GET", "/offers/{offer}", None),
    ("GET", "/purchase-orders/{po}", None),
    ("POST", "/purchase-orders/{po}/confirm", {}),
    ("POST", "/purchase-orders/{po}/ship", None),
    ("POST", "/purchase-orders/{po}/receipt", {"lines": [{"variant_id": "{variant}", "accepted_cases": 1}]}),
]  # fmt: skip


@pytest.fixture
async def story(client, admin, county):
    w = await closed_window(client, county)
    await consolidate(client, county, w.window_date)
    [po] = await purchase_orders(client, w.supplier_b)
    elsewhere = await new_county(client, admin, name="长垣市")
    stranger = await new_buyer(client, elsewhere)
    ids = {
        "order": w.orders[1]["id"],
        "po": po["id"],
        "variant": w.celery["variant_id"],
        "offer": w.celery["id"],
    }
    return ids, (elsewhere.operator, stranger)


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
async def test_a_foreign_caller_gets_404(client, story, method, path, body):
    ids, outsiders = story
    url = R + path.format(**ids)
    if body is not None:
        import json

        body = json.loads(json.dumps(body).replace("{variant}", ids["variant"]))
    for outsider in outsiders:
        r = await client.request(method, url, json=body, headers=outsider.headers)
        assert r.status_code == 404, (outsider, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
