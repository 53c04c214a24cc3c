"""Commission on every sale line through the API: the plan rate in effect when the order
was paid, the split in whole fen (the agency's share of the commission, the supply price,
the base's remainder), estimated until the platform's return window has passed (the
region's window per platform, run now with an explicit date), a refund before settlement
cancels, a partial refund pays on what was kept; every new or changed line publishes
`livestream.sale_line.recorded` with a growing version (an import's new lines, 500 to a
`livestream.sale_lines.recorded`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.factories import new_org
from tests.livestream.helpers import L, at, pool_entry, streamer
from tests.livestream.money import (
    EVENT_KEYS,
    MANY,
    attribute,
    line_events,
    lines_by_order,
    map_product,
    order_id,
    outbox,
    row,
    settle,
    upload,
)
from tests.livestream.test_plans import plan, rate
from tests.livestream.test_sales import live_session


async def test_the_rate_in_effect_when_paid_and_the_split_of_every_line(client, county):
    seller, entry = await pool_entry(client, county, supply_price_fen=2000)
    li = await streamer(client, county)
    agency = await new_org(client, county, "livestream_agency")
    r = await client.put(f"{L}/agencies/me", json={"service_fee_bps": 1000}, headers=agency.headers)
    assert r.status_code == 200, r.text
    r = await client.post(
        f"{L}/agencies/me/members", json={"streamer_id": str(li.org_id)}, headers=agency.headers
    )
    assert r.status_code == 200, r.text
    before_plan = datetime.now(UTC) - timedelta(days=3)
    open_plan = (await plan(client, seller, entry, rate_bps=2000)).json()
    # a cut takes effect at the next local midnight: tomorrow's orders get 15 %
    assert (await rate(client, seller, open_plan["id"], 1500)).status_code == 200
    session = await live_session(client, county, li, entry, 2, 6)
    await map_product(client, county, entry)

    tomorrow, today, earlier = order_id(), order_id(), order_id()
    paid_tomorrow = datetime.fromisoformat(at(3))
    report = await upload(
        client,
        county,
        [
            row(tomorrow, paid_tomorrow),  # in the session: attributed by product and window
            row(today, datetime.now(UTC)),  # no session then: the unmatched queue
            row(earlier, before_plan, commission_rate="1200"),  # before the plan existed
        ],
    )
    assert report["created"] == 3
    lines = await lines_by_order(client, county.operator)
    first = lines[tomorrow]
    assert (first["session_id"], first["streamer_id"], first["agency_id"]) == (
        session["id"],
        str(li.org_id),
        str(agency.org_id),
    )
    assert (first["rate_source"], first["plan_id"], first["rate_bps"]) == (
        "plan",
        open_plan["id"],
        1500,
    )
    # 3990 × 15 % = 598 (down); the agency takes 10 % of it (59), the streamer 539; supply
    # 2000; the base the remainder
    assert (first["streamer_fen"], first["agency_fen"], first["supplier_fen"]) == (539, 59, 2000)
    assert first["base_fen"] == 3990 - 539 - 59 - 2000
    assert first["status"] == "estimated" and first["settled_at"] is None

    # the operator attributes the unmatched lines: the rate is the one of their paid time
    assert lines[today]["session_id"] is None and lines[today]["rate_source"] == "none"
    fixed = await attribute(client, county, lines[today]["id"], li)
    assert (fixed["rate_source"], fixed["rate_bps"], fixed["streamer_fen"]) == ("plan", 2000, 719)
    assert fixed["attributed_by"] == "operator" and fixed["version"] == 2
    old = await attribute(client, county, lines[earlier]["id"], li)
    assert (old["rate_source"], old["plan_id"], old["rate_bps"]) == ("platform", None, 1200)

    # the events: exactly the contract's fields, the version growing with each change
    events = await line_events(first["id"])
    assert len(events) == 1 and set(events[0]) == EVENT_KEYS
    assert events[0] == {
        "line_id": first["id"],
        "region_id": str(county.region_id),
        "platform": "douyin",
        "platform_order_id": tomorrow,
        "session_id": session["id"],
        "streamer_org_id": str(li.org_id),
        "agency_org_id": str(agency.org_id),
        "supplier_org_id": str(seller.org_id),
        "catalog_product_id": entry["product_id"],
        "pool_entry_id": entry["id"],
        "quantity": 1,
        "paid_fen": 3990,
        "refunded_fen": 0,
        "status": "paid",  # the platform's
        "paid_at": events[0]["paid_at"],
        "settled_at": None,
        "version": 1,
    }
    assert datetime.fromisoformat(events[0]["paid_at"]) == paid_tomorrow
    assert [e["version"] for e in await line_events(fixed["id"])] == [1, 2]
    assert set((await line_events(fixed["id"]))[1]) == EVENT_KEYS

    # the same file again changes nothing and publishes nothing
    again = await upload(client, county, [row(tomorrow, paid_tomorrow)])
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert len(await line_events(first["id"])) == 1


async def test_estimated_lines_become_real_after_the_return_window(client, county):
    li = await streamer(client, county)
    now = datetime.now(UTC)
    ten, three = order_id(), order_id()
    await upload(
        client,
        county,
        [
            row(
                ten,
                now - timedelta(days=14),
                flow_point="CONFIRM",
                confirm_time=now - timedelta(days=10),
            ),
            row(
                three,
                now - timedelta(days=5),
                flow_point="CONFIRM",
                confirm_time=now - timedelta(days=3),
            ),
        ],
    )
    lines = await lines_by_order(client, county.operator)
    for order in (ten, three):
        await attribute(client, county, lines[order]["id"], li)

    # the default window is 7 days after receipt: only the older line is due
    assert await settle(client, county, now) == 1
    lines = await lines_by_order(client, li)
    assert lines[ten]["status"] == "settled" and lines[three]["status"] == "estimated"
    assert datetime.fromisoformat(lines[ten]["settled_at"]) == now
    assert await settle(client, county, now) == 0  # nothing twice

    # the region shortens douyin's window to 2 days: the other line is due as well
    r = await client.put(
        f"{L}/return-windows",
        json={"region_id": str(county.region_id), "platform": "douyin", "days": 2},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    windows = await client.get(
        f"{L}/return-windows",
        params={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    assert {w["platform"]: w["days"] for w in windows.json()} == {
        "douyin": 2,
        "kuaishou": 7,
        "wechat_channels": 7,
    }
    assert await settle(client, county, now) == 1
    detail = (await client.get(f"{L}/sales/lines/{lines[three]['id']}", headers=li.headers)).json()
    assert detail["line"]["status"] == "settled"
    assert [(s["from_state"], s["action"], s["to_state"]) for s in detail["history"]] == [
        ("estimated", "attribute", "estimated"),
        ("estimated", "settle", "settled"),
    ]
    events = await line_events(lines[three]["id"])
    assert [(e["status"], e["version"], e["settled_at"] is None) for e in events] == [
        ("confirmed", 1, True),
        ("confirmed", 2, True),
        ("confirmed", 3, False),  # the commission became real
    ]

    # settlement never runs for a time still to come; only the operator runs it
    r = await client.post(
        f"{L}/sales/settle",
        json={"region_id": str(county.region_id), "as_of": (now + timedelta(days=30)).isoformat()},
        headers=county.operator.headers,
    )
    assert r.status_code == 422, r.text
    r = await client.post(
        f"{L}/sales/settle", json={"region_id": str(county.region_id)}, headers=li.headers
    )
    assert r.status_code == 403, r.text


async def test_refund_before_settlement_cancels_and_a_partial_refund_pays_on_what_was_kept(
    client, county
):
    li = await streamer(client, county)
    now = datetime.now(UTC)
    whole, part = order_id(), order_id()
    paid = now - timedelta(days=12)
    await upload(client, county, [row(whole, paid), row(part, paid)])
    lines = await lines_by_order(client, county.operator)
    for order in (whole, part):
        await attribute(client, county, lines[order]["id"], li)
    confirmed = now - timedelta(days=9)
    report = await upload(
        client,
        county,
        [
            row(whole, paid, flow_point="REFUND", refund_time=now - timedelta(days=10)),
            row(part, paid, flow_point="CONFIRM", confirm_time=confirmed, refund_amount="1000"),
        ],
    )
    assert (report["created"], report["updated"]) == (0, 2)
    lines = await lines_by_order(client, li)
    cancelled, kept = lines[whole], lines[part]
    assert cancelled["status"] == "cancelled" and cancelled["streamer_fen"] == 0
    assert cancelled["refunded_fen"] == 3990 and cancelled["base_fen"] == 0
    # 2990 kept at the platform's 10 %: 299
    assert (kept["status"], kept["refunded_fen"], kept["streamer_fen"]) == ("estimated", 1000, 299)
    assert sum(kept[k] for k in ("supplier_fen", "agency_fen", "streamer_fen", "base_fen")) == 2990
    assert await settle(client, county, now) == 1  # the cancelled line never settles
    events = await line_events(cancelled["id"])
    assert [(e["status"], e["refunded_fen"], e["version"]) for e in events] == [
        ("paid", 0, 1),
        ("paid", 0, 2),
        ("refunded", 3990, 3),
    ]
    detail = (await client.get(f"{L}/sales/lines/{kept['id']}", headers=li.headers)).json()
    assert [s["action"] for s in detail["history"]] == ["attribute", "refund_part", "settle"]


async def test_a_streamer_sees_only_its_own_lines(client, county):
    li, wang = await streamer(client, county), await streamer(client, county)
    mine, theirs = order_id(), order_id()
    await upload(client, county, [row(mine, datetime.now(UTC)), row(theirs, datetime.now(UTC))])
    lines = await lines_by_order(client, county.operator)
    await attribute(client, county, lines[mine]["id"], li)
    await attribute(client, county, lines[theirs]["id"], wang)
    assert list(await lines_by_order(client, li)) == [mine]
    r = await client.get(f"{L}/sales/lines/{lines[theirs]['id']}", headers=li.headers)
    assert r.status_code == 404, r.text
    r = await client.post(
        f"{L}/sales/lines/{lines[theirs]['id']}/attribute",
        json={"streamer_id": str(li.org_id)},
        headers=li.headers,
    )
    assert r.status_code == 404, r.text


async def test_a_directed_rate_follows_the_approval_in_effect_when_the_order_was_paid(
    client, county
):
    seller, entry = await pool_entry(client, county)
    li = await streamer(client, county, level=1)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    r = await plan(
        client,
        seller,
        entry,
        "directed",
        3000,
        min_level=5,
        starts_on=today.isoformat(),
        ends_on=today.replace(year=today.year + 1).isoformat(),
    )
    assert r.status_code == 201, r.text
    directed = r.json()
    await map_product(client, county, entry)
    r = await client.post(f"{L}/plans/{directed['id']}/applications", json={}, headers=li.headers)
    assert r.status_code == 201 and r.json()["status"] == "pending", r.text
    application = r.json()

    # paid while the application waited, while it was approved, and after its revocation
    pending_paid = datetime.now(UTC)
    await asyncio.sleep(1.1)  # the export's times may carry whole seconds only
    r = await client.post(
        f"{L}/plan-applications/{application['id']}/approve", headers=seller.headers
    )
    assert r.json()["status"] == "approved", r.text
    await asyncio.sleep(1.1)
    approved_paid = datetime.now(UTC)
    await asyncio.sleep(1.1)
    r = await client.post(
        f"{L}/plan-applications/{application['id']}/revoke",
        json={"reason": "合作结束"},
        headers=seller.headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "revoked", r.text
    r = await client.post(
        f"{L}/plan-applications/{application['id']}/revoke", headers=seller.headers
    )
    assert r.status_code == 409, r.text
    revoked_paid = datetime.now(UTC) + timedelta(minutes=5)

    orders = {order_id(): paid for paid in (pending_paid, approved_paid, revoked_paid)}
    report = await upload(client, county, [row(o, paid) for o, paid in orders.items()])
    assert report["created"] == 3
    lines = await lines_by_order(client, county.operator)
    rates = [
        (fixed["rate_source"], fixed["rate_bps"])
        for fixed in [await attribute(client, county, lines[o]["id"], li) for o in orders]
    ]
    # the platform reported 10 %; the directed 30 % only while the approval was in effect
    assert rates == [("platform", 1000), ("plan", 3000), ("platform", 1000)]


async def test_a_reimport_changes_nothing_and_a_status_update_emits_one_version_per_line(
    client, county
):
    _, entry = await pool_entry(client, county)
    await map_product(client, county, entry)
    paid = datetime.fromisoformat(at(3))
    confirmed, refunded, same = order_id(), order_id(), order_id()
    first = [row(o, paid) for o in (confirmed, refunded, same)]
    assert (await upload(client, county, first))["created"] == 3
    lines = await lines_by_order(client, county.operator)
    ids = {o: lines[o]["id"] for o in (confirmed, refunded, same)}

    async def versions() -> dict[str, list[int]]:
        return {o: [e["version"] for e in await line_events(i)] for o, i in ids.items()}

    assert await versions() == {confirmed: [1], refunded: [1], same: [1]}
    again = await upload(client, county, first)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert await versions() == {confirmed: [1], refunded: [1], same: [1]}
    now = await lines_by_order(client, county.operator)
    assert [now[o] for o in ids] == [lines[o] for o in ids]  # not even updated_at moved

    # a later export: one line confirmed, one refunded in part, one as it was
    later = [
        row(confirmed, paid, flow_point="CONFIRM", confirm_time=paid + timedelta(days=2)),
        row(
            refunded,
            paid,
            flow_point="REFUND",
            refund_time=paid + timedelta(days=1),
            refund_amount="990",
        ),
        row(same, paid),
    ]
    report = await upload(client, county, later)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 2, 1)
    assert await versions() == {confirmed: [1, 2], refunded: [1, 2], same: [1]}
    events = {o: (await line_events(i))[-1] for o, i in ids.items()}
    assert set(events[confirmed]) == EVENT_KEYS
    assert (events[confirmed]["status"], events[confirmed]["refunded_fen"]) == ("confirmed", 0)
    assert (events[refunded]["status"], events[refunded]["refunded_fen"]) == ("refunded", 990)
    # the same later export once more: nothing changes, nothing is published
    assert (await upload(client, county, later))["updated"] == 0
    assert await versions() == {confirmed: [1, 2], refunded: [1, 2], same: [1]}


async def test_an_imports_new_lines_are_published_five_hundred_to_an_event(client, county):
    """A big export does not send its consumers one message per line: 1,001 new lines are
    three `livestream.sale_lines.recorded` (500, 500, 1), each line once with the fields
    of `sale_line.recorded`; the same file again publishes nothing; a later change of one
    line is its own `sale_line.recorded`, version 2."""
    seller, entry = await pool_entry(client, county, supply_price_fen=2000)
    await map_product(client, county, entry)
    paid = datetime.now(UTC) - timedelta(hours=1)
    orders = [order_id() for _ in range(1001)]
    report = await upload(client, county, [row(o, paid) for o in orders])
    assert report["created"] == 1001

    async def batches() -> list[dict]:
        return [e["data"] for e in await outbox(MANY) if e["region_id"] == str(county.region_id)]

    published = await batches()
    assert sorted(len(b["lines"]) for b in published) == [1, 500, 500]
    assert set(published[0]["fields"]) == EVENT_KEYS
    lines = [
        dict(zip(b["fields"], values, strict=True)) for b in published for values in b["lines"]
    ]
    assert sorted(line["platform_order_id"] for line in lines) == sorted(orders)
    assert {(line["version"], line["status"], line["paid_fen"]) for line in lines} == {
        (1, "paid", 3990)
    }
    assert {line["supplier_org_id"] for line in lines} == {str(seller.org_id)}

    again = await upload(client, county, [row(o, paid) for o in orders])
    assert (again["created"], again["unchanged"]) == (0, 1001)
    assert len(await batches()) == 3

    refunded = await upload(client, county, [row(orders[7], paid, flow_point="REFUND")])
    assert refunded["updated"] == 1
    (changed,) = [line for line in lines if line["platform_order_id"] == orders[7]]
    assert [(e["version"], e["status"]) for e in await line_events(changed["line_id"])] == [
        (1, "paid"),
        (2, "refunded"),
    ]
