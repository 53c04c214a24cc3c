"""Commission statements through the API: per streamer and per agency and the region's
local month (Asia/Shanghai and America/New_York), never a month in progress; draft →
approved → paid (payments' payout event); an approved statement never changes and a
clawback after settlement lands on the next statement; the XLSX download; a payee sees
only its own statements."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from shared.events import Event
from shared.tasks import send_task
from tests.factories import eventually, new_county, new_org
from tests.livestream.helpers import L, streamer
from tests.livestream.money import (
    attribute,
    lines_by_order,
    local,
    month,
    order_id,
    outbox,
    row,
    settle,
    upload,
)


async def generate(client, county, period: str, status: int = 200):
    r = await client.post(
        f"{L}/statements/generate",
        json={"region_id": str(county.region_id), "period": period},
        headers=county.operator.headers,
    )
    assert r.status_code == status, r.text
    return r.json()


def of(statements, payee) -> dict:
    (found,) = [s for s in statements if s["payee_org_id"] == str(payee.org_id)]
    return found


async def detail(client, actor, statement_id: str, status: int = 200):
    r = await client.get(f"{L}/statements/{statement_id}", headers=actor.headers)
    assert r.status_code == status, r.text
    return r.json()


async def test_statements_by_local_month_approval_clawback_and_payout(client, county):
    tz = "Asia/Shanghai"
    li, wang = await streamer(client, county), await streamer(client, county)
    agency = await new_org(client, county, "livestream_agency")
    await client.put(f"{L}/agencies/me", json={"service_fee_bps": 1000}, headers=agency.headers)
    r = await client.post(
        f"{L}/agencies/me/members", json={"streamer_id": str(li.org_id)}, headers=agency.headers
    )
    assert r.status_code == 200, r.text
    p3, m3 = month(3, tz)
    p2, m2 = month(2, tz)
    a, b, d, w = order_id(), order_id(), order_id(), order_id()
    confirm = {"flow_point": "CONFIRM"}
    rows = {
        a: row(a, local(m3, 2), confirm_time=local(m3, 3), **confirm),
        b: row(b, local(m3, 2), confirm_time=local(m3, 3), **confirm),
        # due 30 minutes into the next local month (still the month before in UTC)
        d: row(
            d,
            local(m3, 20),
            confirm_time=local(m2, -7, 0.5),
            pay_amount="5990",
            **confirm,
        ),
        w: row(w, local(m3, 2), confirm_time=local(m3, 3), **confirm),
    }
    await upload(client, county, list(rows.values()))
    lines = await lines_by_order(client, county.operator)
    for order in (a, b, d):
        await attribute(client, county, lines[order]["id"], li)
    await attribute(client, county, lines[w]["id"], wang)
    assert await settle(client, county, local(m3, 12)) == 3
    assert await settle(client, county, local(m2, 0, 0.5)) == 1
    assert local(m2, 0, 0.5).astimezone(UTC).month != m2.month  # UTC would say the month before

    statements = await generate(client, county, p3)
    assert {(s["payee_kind"], s["status"]) for s in statements} == {
        ("streamer", "draft"),
        ("agency", "draft"),
    } and len(statements) == 3
    mine = of(statements, li)
    # 3990 at the platform's 10 %: 399, of which the agency takes 39
    assert (mine["line_count"], mine["commission_fen"], mine["total_fen"]) == (2, 720, 720)
    assert of(statements, agency)["total_fen"] == 78
    shown = await detail(client, li, mine["id"])
    assert sorted(e["platform_order_id"] for e in shown["entries"]) == sorted([a, b])

    # approve: the event, and the statement never changes afterwards
    r = await client.post(f"{L}/statements/{mine['id']}/approve", headers=county.operator.headers)
    assert r.status_code == 200, r.text
    approved = r.json()
    assert approved["status"] == "approved"
    (event,) = [
        e["data"]
        for e in await outbox("livestream.statement.approved")
        if e["data"]["statement_id"] == mine["id"]
    ]
    assert event == {
        "statement_id": mine["id"],
        "region_id": str(county.region_id),
        "payee_org_id": str(li.org_id),
        "payee_kind": "streamer",
        "period": p3,
        "total_fen": 720,
        "line_count": 2,
        "approved_at": event["approved_at"],
    }
    r = await client.post(f"{L}/statements/{mine['id']}/approve", headers=county.operator.headers)
    assert r.status_code == 409, r.text
    r = await client.post(f"{L}/statements/{mine['id']}/approve", headers=li.headers)
    assert r.status_code == 403, r.text

    # a refund after settlement (the platform dates it inside the approved month)
    refund = {**rows[a], "flow_point": "REFUND", "refund_time": local(m3, 25).isoformat()}
    assert (await upload(client, county, [refund]))["updated"] == 1
    line = (await lines_by_order(client, li))[a]
    assert (line["status"], line["streamer_fen"], line["agency_fen"]) == ("clawed_back", 0, 0)
    again = of(await generate(client, county, p3), li)
    assert again == approved
    assert len((await detail(client, li, mine["id"]))["entries"]) == 2
    # the agency's statement was still a draft: rebuilt with its clawback
    assert of(await generate(client, county, p3), agency)["total_fen"] == 39

    # the next month's statement carries the clawback beside its own line
    following = of(await generate(client, county, p2), li)
    assert (following["commission_fen"], following["clawback_fen"]) == (540, -360)
    assert following["total_fen"] == 180 and following["line_count"] == 2
    kinds = {
        (e["platform_order_id"], e["kind"], e["amount_fen"])
        for e in (await detail(client, li, following["id"]))["entries"]
    }
    assert kinds == {(d, "commission", 540), (a, "clawback", -360)}

    # never a month in progress
    current, _ = month(0, tz)
    r = await client.post(
        f"{L}/statements/generate",
        json={"region_id": str(county.region_id), "period": current},
        headers=county.operator.headers,
    )
    assert r.status_code == 422 and r.json()["type"].endswith("livestream-period-open"), r.text

    # payments paid the bank batch: the statement is paid
    paid = Event(
        type="payments.commission_payout.paid",
        producer="payments",
        region_id=county.region_id,
        data={
            "statement_id": mine["id"],
            "region_id": str(county.region_id),
            "payee_org_id": str(li.org_id),
            "amount_fen": 720,
            "bank_batch_id": "BB-2026-001",
            "paid_at": datetime.now(UTC).isoformat(),
        },
    )
    send_task("livestream.handle_event", paid.model_dump(mode="json"), "livestream")

    async def is_paid() -> bool:
        return (await detail(client, li, mine["id"]))["statement"]["status"] == "paid"

    await eventually(is_paid)
    final = (await detail(client, li, mine["id"]))["statement"]
    assert (final["paid_fen"], final["bank_batch_id"], final["total_fen"]) == (
        720,
        "BB-2026-001",
        720,
    )

    # the workbook
    r = await client.get(f"{L}/statements/{mine['id']}/xlsx", headers=li.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    cells = [c for values in sheet.iter_rows(values_only=True) for c in values]
    assert a in cells and b in cells and 720 in cells

    # each payee sees only its own statements
    theirs = of(await generate(client, county, p3), wang)
    await detail(client, li, theirs["id"], status=404)
    await detail(client, li, of(statements, agency)["id"], status=404)
    r = await client.get(f"{L}/statements/{theirs['id']}/xlsx", headers=li.headers)
    assert r.status_code == 404
    listed = (await client.get(f"{L}/statements", headers=li.headers)).json()["items"]
    assert {s["payee_org_id"] for s in listed} == {str(li.org_id)}
    assert {s["period"] for s in listed} == {p3, p2}
    assert [
        s["payee_kind"]
        for s in (await client.get(f"{L}/statements", headers=agency.headers)).json()["items"]
    ] == ["agency"] * 2


async def test_a_statement_netting_below_zero_settles_with_nothing_to_pay_and_opens_the_next(
    client, county
):
    tz = "Asia/Shanghai"
    li = await streamer(client, county)
    (p3, m3), (p2, m2), (p1, m1) = month(3, tz), month(2, tz), month(1, tz)
    a, c = order_id(), order_id()
    confirm = {"flow_point": "CONFIRM"}
    rows = {
        a: row(a, local(m3, 2), confirm_time=local(m3, 3), **confirm),  # 399 at 10 %
        c: row(c, local(m1, 2), confirm_time=local(m1, 3), pay_amount="5990", **confirm),
    }
    await upload(client, county, list(rows.values()))
    lines = await lines_by_order(client, county.operator)
    for order in (a, c):
        await attribute(client, county, lines[order]["id"], li)
    assert await settle(client, county, local(m3, 12)) == 1
    first = of(await generate(client, county, p3), li)
    r = await client.post(f"{L}/statements/{first['id']}/approve", headers=county.operator.headers)
    assert r.json()["status"] == "approved" and r.json()["total_fen"] == 399
    # refunded in full the next month: that month has only the clawback
    refund = {**rows[a], "flow_point": "REFUND", "refund_time": local(m2, 5).isoformat()}
    assert (await upload(client, county, [refund]))["updated"] == 1
    negative = of(await generate(client, county, p2), li)
    assert (negative["commission_fen"], negative["clawback_fen"], negative["total_fen"]) == (
        0,
        -399,
        -399,
    )
    r = await client.post(
        f"{L}/statements/{negative['id']}/approve", headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    closed = r.json()
    # nothing to pay: closed at once, and payments is not asked for a payout
    assert (closed["status"], closed["paid_fen"], closed["total_fen"]) == ("settled", 0, -399)
    approvals = {e["data"]["statement_id"] for e in await outbox("livestream.statement.approved")}
    assert first["id"] in approvals and negative["id"] not in approvals
    assert of(await generate(client, county, p2), li) == closed  # never changes

    # the next month opens with the carried -399 beside its own commission of 599
    assert await settle(client, county, local(m1, 12)) == 1
    following = of(await generate(client, county, p1), li)
    assert (following["commission_fen"], following["carried_in_fen"]) == (599, -399)
    assert following["total_fen"] == 200 and following["line_count"] == 1
    # rebuilding the draft takes the carry once, not twice
    assert of(await generate(client, county, p1), li)["total_fen"] == 200
    r = await client.post(
        f"{L}/statements/{following['id']}/approve", headers=county.operator.headers
    )
    assert r.json()["status"] == "approved", r.text
    (event,) = [
        e["data"]
        for e in await outbox("livestream.statement.approved")
        if e["data"]["statement_id"] == following["id"]
    ]
    assert event["total_fen"] == 200
    listed = (
        await client.get(f"{L}/statements", params={"status": "settled"}, headers=li.headers)
    ).json()["items"]
    assert [s["id"] for s in listed] == [negative["id"]]


async def test_statements_follow_another_zones_local_month(client, admin):
    tz = "America/New_York"
    county = await new_county(client, admin, timezone=tz, name="纽约测试县")
    li = await streamer(client, county)
    p3, m3 = month(3, tz)
    p2, m2 = month(2, tz)
    late = order_id()
    # due an hour before the local month ends (already the next month in UTC)
    as_of = local(m2, 0, -1)
    assert as_of.astimezone(UTC).month == m2.month
    await upload(
        client,
        county,
        [row(late, local(m3, 10), flow_point="CONFIRM", confirm_time=as_of - timedelta(days=7))],
    )
    lines = await lines_by_order(client, county.operator)
    await attribute(client, county, lines[late]["id"], li)
    assert await settle(client, county, as_of) == 1
    # livestream learns the county's time zone from identity's event, which may still wait
    # behind other events in its queue: until then its months would be Shanghai's
    statements = await eventually(lambda: generate(client, county, p3))
    assert [s["line_count"] for s in statements] == [1]
    assert await generate(client, county, p2) == []


async def test_another_countys_callers_get_404_for_lines_and_statements(client, county, admin):
    li = await streamer(client, county)
    period, start = month(1, "Asia/Shanghai")
    order = order_id()
    await upload(
        client,
        county,
        [row(order, local(start, 2), confirm_time=local(start, 3), flow_point="CONFIRM")],
    )
    line = (await lines_by_order(client, county.operator))[order]
    await attribute(client, county, line["id"], li)
    assert await settle(client, county, local(start, 12)) == 1
    statement = of(await generate(client, county, period), li)
    other = await new_county(client, admin, name="外县")
    stranger = await streamer(client, other)
    for caller in (other.operator, stranger):
        for method, path, body in [
            ("GET", f"/sales/lines/{line['id']}", None),
            ("POST", f"/sales/lines/{line['id']}/attribute", {"streamer_id": str(li.org_id)}),
            ("GET", f"/statements/{statement['id']}", None),
            ("POST", f"/statements/{statement['id']}/approve", {}),
            ("GET", f"/statements/{statement['id']}/xlsx", None),
        ]:
            r = await client.request(method, f"{L}{path}", json=body, headers=caller.headers)
            assert r.status_code == 404, (method, path, r.status_code, r.text)
        listed = (await client.get(f"{L}/statements", headers=caller.headers)).json()
        assert listed == {"items": [], "next_cursor": None}


async def test_a_month_outside_the_calendar_is_a_422_not_a_crash(client, county):
    # found by the schemathesis fuzz: "0000-01" reached datetime() and was a 500
    for period in ("0000-01", "9999-12", "2026-13", "2026-1"):
        r = await client.post(
            f"{L}/statements/generate",
            json={"region_id": str(county.region_id), "period": period},
            headers=county.operator.headers,
        )
        assert r.status_code == 422, (period, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.get(
        f"{L}/statements", params={"period": "0000-01"}, headers=county.operator.headers
    )
    assert r.status_code == 422
    r = await client.get(f"{L}/statements", headers=county.operator.headers)
    assert r.status_code == 200
