"""Placing an order is set-based: the number of SQL statements a 30-line order costs
does not grow with its stocked lines (one conditional UPDATE for every balance,
multi-row INSERTs for reservations, movements and lines), and stays within 20."""

from __future__ import annotations

import contextlib

from sqlalchemy import event

from tests.repository.factories import new_supplier, supply
from tests.repository.order_factories import (
    buyer_with,
    lines,
    new_warehouse,
    placed,
    receive,
    stock_of,
    verify,
)

MAX_STATEMENTS = 20


@contextlib.asynccontextmanager
async def counting_statements():
    from services.repository.db import kernel
    from shared.db import get_engine
    from shared.settings import get_settings

    engine = get_engine(get_settings().database_url_for(kernel.name)).sync_engine
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_a_thirty_line_order_costs_the_same_few_statements_however_many_are_stocked(
    client, county
):
    warehouse = await new_warehouse(client, county)
    supplier = await new_supplier(client, county)
    stocked = []
    for _ in range(30):
        offer = await supply(client, county, supplier, fulfilment="stocked")
        await receive(client, county, warehouse["id"], offer["variant_id"], 50)
        stocked.append(offer)
    to_order = [await supply(client, county, supplier) for _ in range(28)]
    station = await buyer_with(client, county, "card")

    counts = []
    for n_stocked in (2, 12, 30):
        order_lines = lines(*[(o, 2) for o in stocked[:n_stocked]]) + lines(
            *[(o, 1) for o in to_order[: 30 - n_stocked]]
        )
        async with counting_statements() as seen:
            order = await placed(client, station, order_lines)
        assert len(order["lines"]) == 30
        counts.append(len(seen))

    assert counts[0] == counts[1] == counts[2], counts
    assert counts[2] <= MAX_STATEMENTS, counts
    # the stock is right: 2 cases held per stocked line, three times for the first two,
    # twice for the next ten, once for the rest
    level = await stock_of(client, county, warehouse["id"], stocked[0]["variant_id"])
    assert (level["on_hand"], level["reserved"]) == (50, 6)
    level = await stock_of(client, county, warehouse["id"], stocked[11]["variant_id"])
    assert (level["on_hand"], level["reserved"]) == (50, 4)
    level = await stock_of(client, county, warehouse["id"], stocked[29]["variant_id"])
    assert (level["on_hand"], level["reserved"]) == (50, 2)
    assert (await verify(client, county, warehouse["id"]))["consistent"] is True
