"""Run mode 2, for real: every service in its own processes with its own database, nginx in
front, events the only way across. Runs under COUNTY_TEST_SPLIT=1 (`./dev test` does a
second pass for tests/split and tests/stories); skipped in the all-in-one pass."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from gateway.services import installed_services
from gateway.split import has_database
from tests.factories import eventually
from tests.repository.factories import R
from tests.repository.order_factories import buyer_with, lines, placed, stocked_offer

pytestmark = pytest.mark.usefixtures("split_deployment")


async def _schemas_of(url: str) -> set[str]:
    raw = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(raw)
    try:
        rows = await conn.fetch(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
            " AND nspname NOT IN ('information_schema', 'public')"
        )
        return {r["nspname"] for r in rows}
    finally:
        await conn.close()


async def test_each_service_has_its_own_database_and_knows_no_other(split_deployment):
    for service in installed_services():
        if not has_database(service):
            continue
        own = split_deployment.env[f"{service.upper()}_DATABASE_URL"]
        assert await _schemas_of(own) == {service}
        for name, process in split_deployment.processes.items():
            if name.startswith(f"{service}-"):
                urls = {k: v for k, v in process.env.items() if k.endswith("DATABASE_URL")}
                assert set(urls.values()) == {own}, f"{name} is told of {urls}"


async def test_the_gateway_routes_every_service_to_its_own_process(client, split_deployment):
    for service in installed_services():
        if not split_deployment.api(service):
            continue
        # the service's own problem (with its request id), not nginx's
        r = await client.get(f"/v1/{service}/no-such-thing-{uuid.uuid4().hex[:6]}")
        assert r.status_code in (401, 404, 405), (service, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json().get("request_id"), (service, r.text)
        # the bare prefix is the service's too, never nginx's redirect
        r = await client.get(f"/v1/{service}", follow_redirects=False)
        assert r.status_code != 301, service


async def _payments_orders(order_id: str) -> int:
    from sqlalchemy import func, select

    from services.payments.db import kernel
    from services.payments.intents.models import OrderAccount
    from shared.db import sessionmaker_for

    async with sessionmaker_for(kernel)() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(OrderAccount)
                .where(OrderAccount.order_id == uuid.UUID(order_id))
            )
            or 0
        )


async def test_an_order_placed_while_the_payments_worker_is_down_reaches_payments_once(
    client, county, split_deployment
):
    buyer = await buyer_with(client, county, "card")
    offer, _warehouse = await stocked_offer(client, county, 40)
    split_deployment.kill("payments-worker")
    try:
        order = await placed(client, buyer, lines((offer, 3)))
        await asyncio.sleep(2)
        # the event waits in the payments queue: nothing is lost, nothing is guessed
        assert await _payments_orders(order["id"]) == 0
    finally:
        split_deployment.restart("payments-worker")

    async def known_once() -> bool:
        return await _payments_orders(order["id"]) == 1

    await eventually(known_once, timeout=60)
    r = await client.post(f"/v1/payments/orders/{order['id']}/intent", headers=buyer.headers)
    assert r.status_code in (200, 201), r.text
    assert r.json()["amount_fen"] == order["total_fen"]
    # redelivery after the restart (if any) changed nothing
    await asyncio.sleep(1)
    assert await _payments_orders(order["id"]) == 1


async def test_a_killed_payments_replica_leaves_rotation_and_comes_back(
    client, county, split_deployment
):
    buyer = await buyer_with(client, county, "card")
    offer, _warehouse = await stocked_offer(client, county, 40)
    assert len(split_deployment.api("payments")) == 2
    split_deployment.kill("payments-api-1")
    try:
        # every call still answers: nginx retries a refused connection on the other replica
        order = await placed(client, buyer, lines((offer, 2)))

        async def payable() -> bool:
            r = await client.post(
                f"/v1/payments/orders/{order['id']}/intent",
                headers={**buyer.headers, "Idempotency-Key": f"pay-{order['id']}"},
            )
            return r.status_code in (200, 201)

        await eventually(payable, timeout=60)
        for _ in range(10):
            r = await client.get(
                f"/v1/payments/orders/{order['id']}/payment", headers=buyer.headers
            )
            assert r.status_code == 200, r.text
        deadline = time.monotonic() + 10
        while split_deployment.in_rotation("payments") != ["payments-api-2"]:
            assert time.monotonic() < deadline, split_deployment.in_rotation("payments")
            await asyncio.sleep(0.2)
    finally:
        split_deployment.restart("payments-api-1")
    deadline = time.monotonic() + 10
    while len(split_deployment.in_rotation("payments")) != 2:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)
    # one order, one payment: the retry through the other replica did not double anything
    assert await _payments_orders(order["id"]) == 1
    r = await client.get(f"/v1/payments/orders/{order['id']}/payment", headers=buyer.headers)
    assert r.status_code == 200
    assert r.json()["amount_fen"] == order["total_fen"]


async def test_a_replica_that_stops_answering_readyz_is_taken_out_of_rotation(
    client, county, split_deployment
):
    replica = split_deployment.processes["payments-api-1"]
    assert replica.popen is not None
    replica.popen.send_signal(signal.SIGSTOP)  # alive, but its /readyz no longer answers
    try:
        deadline = time.monotonic() + 15
        while "payments-api-1" in split_deployment.in_rotation("payments"):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.2)
        started = time.monotonic()
        for _ in range(6):
            r = await client.get("/v1/payments/payments", headers=county.operator.headers)
            assert r.status_code == 200, r.text
        # none of them waited on the frozen replica
        assert time.monotonic() - started < 10
    finally:
        replica.popen.send_signal(signal.SIGCONT)
    deadline = time.monotonic() + 15
    while "payments-api-1" not in split_deployment.in_rotation("payments"):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)


async def test_the_repository_sees_events_from_the_other_processes(client, county):
    # a catalog product (catalog process) becomes an offer's variant in the repository
    # (repository process) only through the event: stocked_offer waits for it
    offer, _ = await stocked_offer(client, county, 5)
    r = await client.get(f"{R}/offers/{offer['id']}", headers=county.operator.headers)
    assert r.status_code == 200, r.text


async def test_the_console_runs_as_its_own_process_behind_the_gateway(client, split_deployment):
    if "console-web-1" not in split_deployment.processes:
        pytest.skip("no console in this checkout")
    r = await client.get("/console/login")
    assert r.status_code == 200, r.text
    assert "text/html" in r.headers["content-type"]
    env = split_deployment.processes["console-web-1"].env
    assert not any(k.endswith("DATABASE_URL") for k in env)
