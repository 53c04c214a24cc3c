"""The base's figures through the API: GMV per session, streamer, product and local day
(the operator its region, a streamer its own), sample-to-session conversion, the peak of
sessions live at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.livestream.helpers import L, at, pool_entry, streamer
from tests.livestream.money import attribute, lines_by_order, map_product, order_id, row, upload
from tests.livestream.test_sales import live_session


async def figures(client, actor, path: str, county, **params):
    r = await client.get(
        f"{L}/figures/{path}",
        params={"region_id": str(county.region_id), **params},
        headers=actor.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_gmv_per_session_streamer_product_and_day(client, county):
    _, entry = await pool_entry(client, county)
    li, wang = await streamer(client, county), await streamer(client, county)
    session = await live_session(client, county, li, entry, 2, 6)
    await map_product(client, county, entry)
    in_session, refunded, theirs = order_id(), order_id(), order_id()
    paid = datetime.fromisoformat(at(3))
    await upload(
        client,
        county,
        [
            row(in_session, paid),
            row(refunded, paid, flow_point="REFUND", refund_amount="990", item_num="2"),
            row(theirs, datetime.now(UTC), product_id="DY-OTHER", pay_amount="1000"),
        ],
    )
    lines = await lines_by_order(client, county.operator)
    await attribute(client, county, lines[theirs]["id"], wang)

    by_session = await figures(client, county.operator, "gmv", county, by="session")
    rows = {r["key"]: r for r in by_session["rows"]}
    assert rows[session["id"]] == {
        "key": session["id"],
        "lines": 2,
        "quantity": 3,
        "paid_fen": 7980,
        "gmv_fen": 3990 + 3000,
    }
    assert rows[None]["gmv_fen"] == 1000  # wang's line has no session
    by_streamer = await figures(client, county.operator, "gmv", county, by="streamer")
    assert {r["key"]: r["gmv_fen"] for r in by_streamer["rows"]} == {
        str(li.org_id): 6990,
        str(wang.org_id): 1000,
    }
    by_product = await figures(client, county.operator, "gmv", county, by="product")
    assert {r["key"]: r["gmv_fen"] for r in by_product["rows"]} == {entry["id"]: 6990, None: 1000}
    by_day = await figures(client, county.operator, "gmv", county, by="day")
    local_day = paid.date().isoformat()  # `at` is in the region's zone
    assert {r["key"]: r["gmv_fen"] for r in by_day["rows"]}[local_day] == 6990

    # a streamer sees its own figures only
    mine = await figures(client, li, "gmv", county, by="streamer")
    assert [r["key"] for r in mine["rows"]] == [str(li.org_id)]
    window = await figures(
        client,
        county.operator,
        "gmv",
        county,
        by="streamer",
        starts=(paid + timedelta(hours=1)).isoformat(),
    )
    assert window["rows"] == []


async def test_live_peak_and_sample_conversion(client, county):
    figures_now = await figures(client, county.operator, "live-peak", county)
    assert figures_now["peak"] == 0 and figures_now["at"] is None
    _, entry = await pool_entry(client, county)
    li, wang = await streamer(client, county), await streamer(client, county)
    first = await live_session(client, county, li, entry, 2, 6)
    second = await live_session(client, county, wang, entry, 3, 7)
    for actor, s in ((li, first), (wang, second)):
        r = await client.post(f"{L}/sessions/{s['id']}/start", headers=actor.headers)
        assert r.status_code == 200, r.text
    r = await client.post(f"{L}/sessions/{first['id']}/end", headers=li.headers)
    assert r.status_code == 200, r.text
    ends = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    peak = await figures(client, county.operator, "live-peak", county, ends=ends)
    assert (peak["peak"], peak["sessions"]) == (2, 2) and peak["at"] is not None
    own = await figures(client, wang, "live-peak", county, ends=ends)
    assert (own["peak"], own["sessions"]) == (1, 1)
    conversion = await figures(client, county.operator, "samples", county)
    assert (conversion["received"], conversion["featured"], conversion["conversion_bps"]) == (
        0,
        0,
        0,
    )
    li = await streamer(client, county)
    r = await client.get(
        f"{L}/figures/gmv", params={"region_id": str(county.region_id)}, headers=li.headers
    )
    assert r.status_code == 200 and r.json()["rows"] == []


def test_the_peak_counts_half_open_windows():
    from services.livestream.figures.rules import peak

    t = datetime(2026, 11, 1, tzinfo=UTC)
    h = timedelta(hours=1)
    assert peak([]) == (0, None)
    assert peak([(t, t + h), (t + h, t + 2 * h)]) == (1, t)  # back to back: one at a time
    assert peak([(t, t + 3 * h), (t + h, t + 2 * h), (t + h, t + 4 * h)]) == (3, t + h)
