"""The apps page through the base's lists with a cursor: every item once, in the
documented order, and nothing of another county's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import new_county
from tests.livestream.helpers import (
    L,
    at,
    book,
    count_at_base,
    listed,
    pool_entry,
    room,
    streamer,
)
from tests.livestream.money import order_id, row, upload

EMPTY = {"items": [], "next_cursor": None}


async def pages(client, path: str, headers, **params) -> list[list[dict]]:
    """Every page of a list, following `next_cursor`."""
    found, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await client.get(f"{L}{path}", params=query, headers=headers)
        assert r.status_code == 200, r.text
        found.append(r.json()["items"])
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return found


def ids(found: list[list[dict]], key: str = "id") -> list[str]:
    return [item[key] for page in found for item in page]


async def test_a_streamer_pages_through_its_bookings_and_another_county_sees_none(
    client, county, admin
):
    studio = await room(client, county)
    li = await streamer(client, county)
    booked = []
    for hour in range(5):
        r = await book(client, li, studio["id"], at(2 * hour + 1), at(2 * hour + 2))
        assert r.status_code == 201, r.text
        booked.append(r.json()["id"])

    found = await pages(client, "/bookings", li.headers, limit=2)
    assert [len(page) for page in found] == [2, 2, 1]
    assert ids(found) == booked  # by start, each exactly once
    latest_first = await pages(client, "/bookings", li.headers, limit=2, sort="-starts_at")
    assert ids(latest_first) == booked[::-1]
    # the operator's view of the base's window, page by page
    window = await pages(
        client,
        "/bookings",
        county.operator.headers,
        limit=3,
        region_id=str(county.region_id),
        **{"from": at(3), "to": at(8)},
    )
    assert ids(window) == booked[1:4]

    other = await new_county(client, admin, name="长垣市")
    wang = await streamer(client, other)
    assert (await client.get(f"{L}/bookings", headers=wang.headers)).json() == EMPTY
    r = await client.get(
        f"{L}/bookings",
        params={"region_id": str(county.region_id)},
        headers=other.operator.headers,
    )
    assert r.json() == EMPTY
    # a cursor of another sort, or an unknown sort, is the caller's mistake
    cursor = (await client.get(f"{L}/bookings", params={"limit": 1}, headers=li.headers)).json()[
        "next_cursor"
    ]
    r = await client.get(
        f"{L}/bookings", params={"cursor": cursor, "sort": "-starts_at"}, headers=li.headers
    )
    assert r.status_code == 422
    r = await client.get(f"{L}/bookings", params={"sort": "room_seq"}, headers=li.headers)
    assert r.status_code == 422 and "starts_at" in r.text


async def test_the_operator_pages_through_the_imported_lines_of_its_region(client, county, admin):
    paid = datetime.now(UTC) - timedelta(days=2)
    orders = [order_id() for _ in range(5)]
    await upload(
        client, county, [row(o, paid + timedelta(minutes=i)) for i, o in enumerate(orders)]
    )

    found = await pages(client, "/sales/lines", county.operator.headers, limit=2)
    assert [len(page) for page in found] == [2, 2, 1]
    assert ids(found, "platform_order_id") == orders  # by payment time, each exactly once
    unmatched = await pages(
        client, "/sales/lines", county.operator.headers, limit=4, unmatched="true"
    )
    assert ids(unmatched, "platform_order_id") == orders

    other = await new_county(client, admin, name="长垣市")
    assert (await client.get(f"{L}/sales/lines", headers=other.operator.headers)).json() == EMPTY
    wang = await streamer(client, other)
    assert (await client.get(f"{L}/sales/lines", headers=wang.headers)).json() == EMPTY


async def test_a_products_consignment_ledger_pages_in_order_and_is_404_to_others(
    client, county, admin
):
    seller, entry = await pool_entry(client, county, stock_at_base=100)
    for counted in (99, 98, 97, 96):
        stock = await count_at_base(client, county, entry["product_id"], counted, "盘点短少")
    ledger = f"/consignment/stock/{stock['id']}/movements"

    found = await pages(client, ledger, county.operator.headers, limit=2)
    assert [len(page) for page in found] == [2, 2, 1]
    movements = [m for page in found for m in page]
    assert len({m["id"] for m in movements}) == 5
    assert [m["on_hand_after"] for m in movements] == [100, 99, 98, 97, 96]
    # the supplier reads its own goods' ledger, the latest change first
    latest = await pages(client, ledger, seller.headers, limit=3, sort="-at")
    assert [m["on_hand_after"] for page in latest for m in page] == [96, 97, 98, 99, 100]
    stocks = await listed(client, "/consignment/stock", seller.headers, limit=1)
    assert [s["id"] for s in stocks] == [stock["id"]]

    # another supplier of the county, and another county's operator: no such stock
    other_seller, _ = await pool_entry(client, county, stock_at_base=0)
    other = await new_county(client, admin, name="长垣市")
    for caller in (other_seller, other.operator):
        r = await client.get(f"{L}{ledger}", headers=caller.headers)
        assert r.status_code == 404, r.text
    assert (await client.get(f"{L}/consignment/stock", headers=other.operator.headers)).json() == (
        EMPTY
    )


async def test_the_operator_pages_through_the_streamers_by_name(client, county, admin):
    names = ["封丘小李", "封丘小王", "封丘小张"]
    made = {name: await streamer(client, county, name=name) for name in names}

    found = await pages(client, "/streamers", county.operator.headers, limit=2)
    assert [item["display_name"] for page in found for item in page] == sorted(names)
    assert sorted(ids(found)) == sorted(str(a.org_id) for a in made.values())
    # a streamer sees itself only; another county's operator none
    mine = await listed(client, "/streamers", made["封丘小王"].headers)
    assert [s["display_name"] for s in mine] == ["封丘小王"]
    other = await new_county(client, admin, name="长垣市")
    assert (await client.get(f"{L}/streamers", headers=other.operator.headers)).json() == EMPTY
