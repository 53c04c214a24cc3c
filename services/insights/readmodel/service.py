"""Recording other services' events into the read model.

Every handler is idempotent on its own facts (keys are the producers' ids; the inbox
already drops a repeated event id) and insensitive to order: an order's shortage or
cancellation may arrive before the order itself, and is applied when the order comes.
Events of one order are serialised by the order's row lock (taken first, held to commit).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.readmodel.models import Product, Supplier
from services.insights.readmodel.repository import ReadModelRepository
from services.insights.readmodel.rules import (
    NIL,
    WITHIN_HOURS,
    Deltas,
    local_month,
    parse_time,
    stream_net_fen,
    within_hours,
)
from shared.events import Event

SUPPLIER_STATUS = {
    "suppliers.supplier.approved": "approved",
    "suppliers.supplier.reinstated": "approved",
    "suppliers.supplier.suspended": "suspended",
}


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def deltas_of(session: AsyncSession) -> Deltas:
    """The session's pending roll-up changes (a batch sums many events before writing)."""
    deltas = session.info.get("insights_deltas")
    if deltas is None:
        deltas = session.info["insights_deltas"] = Deltas()
    return deltas


async def flush_deltas(session: AsyncSession) -> None:
    deltas = session.info.get("insights_deltas")
    if deltas:
        await ReadModelRepository(session).flush_deltas(deltas)


async def _done(session: AsyncSession) -> None:
    if not session.info.get("insights_batch"):
        await flush_deltas(session)


# ---------------------------------------------------------------- reference data


async def record_region(session: AsyncSession, event: Event) -> None:
    data = event.data
    region_id = _uuid(data.get("region_id")) or event.region_id
    if region_id is None:
        return
    repo = ReadModelRepository(session)
    is_org = "organisation_id" in data
    # an organisation's event carries its own name, not the region's
    name = data.get("region_name") or (None if is_org else data.get("name"))
    await repo.upsert_region(region_id, name, data.get("timezone"))
    if is_org:
        await repo.upsert_organisation(
            {
                "org_id": uuid.UUID(data["organisation_id"]),
                "region_id": region_id,
                "kind": data.get("kind"),
                "name": data.get("name"),
                "status": data.get("status"),
            }
        )


async def record_supplier(session: AsyncSession, event: Event) -> None:
    data = event.data
    await ReadModelRepository(session).upsert_newer(
        Supplier,
        "supplier_id",
        {
            "supplier_id": uuid.UUID(data["supplier_id"]),
            "region_id": uuid.UUID(data["region_id"]),
            "name": data.get("display_name") or data.get("legal_name"),
            "township": data.get("township"),
            "status": SUPPLIER_STATUS[event.type],
            "supports_households": bool(data.get("supports_households")),
            "as_of": event.occurred_at,
        },
    )


async def record_household_link(session: AsyncSession, event: Event) -> None:
    """A link started or ended; either may arrive first."""
    data = event.data
    on = date.fromisoformat(data["on"]) if data.get("on") else event.occurred_at.date()
    ended = data.get("change") == "ended"
    await ReadModelRepository(session).household_link(
        {
            "link_id": uuid.UUID(data["link_id"]),
            "supplier_id": uuid.UUID(data["supplier_id"]),
            "region_id": uuid.UUID(data["region_id"]),
            "household_kind": data.get("household_kind") or "poverty_alleviated",
            "started_on": None if ended else on,
            "ended_on": on if ended else None,
        }
    )


async def record_product(session: AsyncSession, event: Event) -> None:
    data = event.data
    product_id = uuid.UUID(data["product_id"])
    repo = ReadModelRepository(session)
    values: dict[str, Any] = {
        "product_id": product_id,
        "region_id": uuid.UUID(data["region_id"]),
        "supplier_id": uuid.UUID(data["supplier_id"]),
        "as_of": event.occurred_at,
    }
    if event.type == "catalog.product.delisted":
        values["delisted_at"] = event.occurred_at
    else:
        values.update(name=data.get("name"), brand=data.get("brand"), delisted_at=None)
    await repo.upsert_newer(Product, "product_id", values)
    if event.type == "catalog.product.published":
        await repo.first_published(product_id, event.occurred_at)
    await repo.upsert_variants(
        product_id, [uuid.UUID(v["variant_id"]) for v in data.get("variants") or []]
    )


# ---------------------------------------------------------------- orders


async def record_order_placed(session: AsyncSession, event: Event) -> None:
    data = event.data
    order_id = uuid.UUID(data["order_id"])
    region_id = _uuid(data.get("region_id")) or event.region_id
    assert region_id is not None
    repo = ReadModelRepository(session)
    month = local_month(event.occurred_at, await repo.timezone_of(region_id))
    buyer = uuid.UUID(data["buyer_org_id"])
    order = await repo.upsert_order(
        order_id,
        region_id=region_id,
        buyer_org_id=buyer,
        placed_at=event.occurred_at,
        month=month,
        total_fen=int(data.get("total_fen") or 0),
    )
    lines = data.get("lines") or []
    inserted = set(
        await repo.add_lines(
            [
                {
                    "line_id": uuid.UUID(line["line_id"]),
                    "order_id": order_id,
                    "variant_id": uuid.UUID(line["variant_id"]),
                    "supplier_id": uuid.UUID(line["supplier_id"]),
                    "quantity": int(line["quantity"]),
                    "amount_fen": int(line["amount_fen"]),
                }
                for line in lines
            ]
        )
    )
    if order.cancelled_at is not None or not inserted:
        return
    # a shortage can only be waiting if another of the order's events came first
    adjustments = {} if order.created else await repo.adjustments_of(order_id)
    deltas = deltas_of(session)
    total = 0
    for line in lines:
        line_id = uuid.UUID(line["line_id"])
        if line_id not in inserted:
            continue
        net = int(line["amount_fen"]) - adjustments.get(line_id, 0)
        total += net
        deltas.line(
            (
                order.region_id,
                order.month,
                uuid.UUID(line["variant_id"]),
                uuid.UUID(line["supplier_id"]),
            ),
            net,
            1,
        )
    deltas.station((order.region_id, order.month, order.buyer_org_id), total, 1)
    await _done(session)


async def record_line_shortened(session: AsyncSession, event: Event) -> None:
    data = event.data
    order_id = uuid.UUID(data["order_id"])
    line_id = uuid.UUID(data["line_id"])
    amount = int(data["amount_fen"])
    repo = ReadModelRepository(session)
    order = await repo.upsert_order(order_id)
    if not await repo.add_adjustment(event.id, order_id, line_id, amount):
        return
    if order.placed_at is None or order.cancelled_at is not None:
        return  # applied when the order arrives, or nothing left to lower
    line = await repo.line(line_id)
    if line is None:
        return
    deltas = deltas_of(session)
    deltas.line((order.region_id, order.month, line.variant_id, line.supplier_id), -amount, 0)
    deltas.station((order.region_id, order.month, order.buyer_org_id), -amount, 0)
    await _done(session)


async def record_order_cancelled(session: AsyncSession, event: Event) -> None:
    order_id = uuid.UUID(event.data["order_id"])
    repo = ReadModelRepository(session)
    order = await repo.upsert_order(order_id)
    if not await repo.cancel_order(order_id, event.occurred_at):
        return
    if order.placed_at is None or order.cancelled_at is not None:
        return
    adjustments = await repo.adjustments_of(order_id)
    deltas = deltas_of(session)
    total = 0
    for line in await repo.lines_of(order_id):
        net = line.amount_fen - adjustments.get(line.line_id, 0)
        total += net
        deltas.line((order.region_id, order.month, line.variant_id, line.supplier_id), -net, -1)
    deltas.station((order.region_id, order.month, order.buyer_org_id), -total, -1)
    await _done(session)


async def record_order_closed(session: AsyncSession, event: Event) -> None:
    order_id = uuid.UUID(event.data["order_id"])
    await ReadModelRepository(session).upsert_order(order_id, closed_at=event.occurred_at)


# ---------------------------------------------------------------- delivery


async def record_parcel_delivered(session: AsyncSession, event: Event) -> None:
    data = event.data
    region_id = event.region_id
    if region_id is None or data.get("source") == "livestream_sample":
        # a sample travels with the supplier's own carrier, not the county's common delivery
        return
    repo = ReadModelRepository(session)
    delivered_at = parse_time(data.get("delivered_at")) or event.occurred_at
    dispatched_at = parse_time(data.get("dispatched_at"))
    station = _uuid(data.get("station_org_id"))
    township = data.get("township")
    month = local_month(delivered_at, await repo.timezone_of(region_id))
    first = await repo.add_parcel(
        {
            "parcel_id": uuid.UUID(data["parcel_id"]),
            "region_id": region_id,
            "order_id": _uuid(data.get("order_id")),
            "station_org_id": station,
            "run_id": _uuid(data.get("run_id")),
            "township": township,
            "carrier": data.get("carrier"),
            "dispatched_at": dispatched_at,
            "delivered_at": delivered_at,
            "month": month,
        }
    )
    if not first:
        return
    deltas_of(session).delivery(
        (region_id, month, township or "", data.get("carrier") or ""),
        dispatched_at is not None,
        within_hours(dispatched_at, delivered_at, WITHIN_HOURS),
    )
    if station is not None and township:
        await repo.station_township(station, region_id, township)
    await _done(session)


async def record_run(session: AsyncSession, event: Event) -> None:
    data = event.data
    region_id = _uuid(data.get("region_id")) or event.region_id
    if region_id is None:
        return
    at = parse_time(data.get("at")) or event.occurred_at
    delivery_date = data.get("delivery_date")
    values: dict[str, Any] = {
        "region_id": region_id,
        "kind": data.get("kind"),
        "delivery_date": date.fromisoformat(delivery_date) if delivery_date else None,
        "month": local_month(at, await ReadModelRepository(session).timezone_of(region_id)),
        "started_at": at if event.type == "delivery.run.started" else None,
        "completed_at": at if event.type == "delivery.run.completed" else None,
        "cancelled": True if event.type == "delivery.run.cancelled" else None,
    }
    if event.type == "delivery.run.completed":
        counts = data.get("parcels") or {}
        values.update(
            cost_fen=int(data.get("cost_fen") or 0),
            weight_g=int(data.get("weight_g") or 0),
            parcels=sum(int(n) for n in counts.values()),
        )
    await ReadModelRepository(session).upsert_run(uuid.UUID(data["run_id"]), values)


# ---------------------------------------------------------------- livestream


async def record_stream_session(session: AsyncSession, event: Event) -> None:
    """A session that went live counts; its start and end give the peak live at once."""
    data = event.data
    region_id = _uuid(data.get("region_id")) or event.region_id
    if region_id is None:
        return
    repo = ReadModelRepository(session)
    started = parse_time(data.get("started_at"))
    month_of = started or parse_time(data.get("planned_start")) or event.occurred_at
    await repo.upsert_stream_session(
        uuid.UUID(data["session_id"]),
        {
            "region_id": region_id,
            "started_at": started,
            "ended_at": parse_time(data.get("ended_at")),
            "month": local_month(month_of, await repo.timezone_of(region_id)),
        },
    )


async def record_sale_line(session: AsyncSession, event: Event) -> None:
    """`livestream.sale_line.recorded`: one line (see `_record_line`)."""
    await _record_line(session, event.data, event)
    await _done(session)


async def record_sale_lines(session: AsyncSession, event: Event) -> None:
    """`livestream.sale_lines.recorded`: an import's new lines, each counted as a
    `sale_line.recorded` would count it. Lines not known yet (all of them, unless the
    event is late or a line's later version came first) go in with one INSERT and their
    roll-up and session changes are summed and written once; a known line takes the
    one-line path (its version decides)."""
    repo = ReadModelRepository(session)
    fields = event.data["fields"]
    lines = []
    for raw in event.data["lines"]:
        data = dict(zip(fields, raw, strict=True))
        values = await _line_values(repo, data, event)
        if values is not None:
            lines.append((values, data))
    lines.sort(key=lambda pair: pair[0]["line_id"])  # one lock order for concurrent batches
    fresh = await repo.insert_new_sale_lines([values for values, _ in lines])
    deltas = deltas_of(session)
    sessions: dict[tuple[uuid.UUID, uuid.UUID, date | None], int] = {}
    for values, data in lines:
        if values["line_id"] not in fresh:
            await _record_line(session, data, event)
            continue
        _count(deltas, values, 1)
        if values["session_id"] is not None and values["net_fen"]:
            key = (values["session_id"], values["region_id"], values["month"])
            sessions[key] = sessions.get(key, 0) + values["net_fen"]
    for (session_id, region_id, month), amount in sessions.items():
        await repo.add_stream_gmv(session_id, region_id, amount, month)
    await _done(session)


async def _line_values(
    repo: ReadModelRepository, data: dict[str, Any], event: Event
) -> dict[str, Any] | None:
    """A published line as the read model's row (None: a line of no region)."""
    region_id = _uuid(data.get("region_id")) or event.region_id
    if region_id is None:
        return None
    paid_at = parse_time(data.get("paid_at")) or event.occurred_at
    paid, refunded = int(data.get("paid_fen") or 0), int(data.get("refunded_fen") or 0)
    status = str(data.get("status") or "paid")
    return {
        "line_id": uuid.UUID(str(data["line_id"])),
        "region_id": region_id,
        "session_id": _uuid(data.get("session_id")),
        "supplier_id": _uuid(data.get("supplier_org_id")),
        "product_id": _uuid(data.get("catalog_product_id")),
        "month": local_month(paid_at, await repo.timezone_of(region_id)),
        "paid_fen": paid,
        "refunded_fen": refunded,
        "net_fen": stream_net_fen(paid, refunded, status),
        "status": status[:20],
        "version": int(data.get("version") or 0),
    }


def _count(deltas: Deltas, values: dict[str, Any], sign: int) -> None:
    key = (
        values["region_id"],
        values["month"],
        values["supplier_id"] or NIL,
        values["product_id"] or NIL,
    )
    deltas.stream(key, sign * values["net_fen"], sign)


async def _record_line(session: AsyncSession, data: dict[str, Any], event: Event) -> None:
    """A new or changed livestream sale line. Only a higher `version` replaces what is
    known; the roll-ups then lose the old line's GMV and gain the new one's (a refund
    lowers it), so a late or repeated version changes nothing."""
    repo = ReadModelRepository(session)
    values = await _line_values(repo, data, event)
    if values is None:
        return
    line_id, region_id, version = values["line_id"], values["region_id"], values["version"]
    before = await repo.sale_line_for_update(line_id)
    if before is None and not await repo.insert_sale_line(values):
        before = await repo.sale_line_for_update(line_id)  # inserted meanwhile by another
    deltas = deltas_of(session)
    if before is not None:
        if before.version >= version:
            return
        old = (before.region_id, before.month, before.supplier_id, before.product_id)
        old_session, old_net = before.session_id, before.net_fen
        await repo.update_sale_line(values)
        deltas.stream((old[0], old[1], old[2] or NIL, old[3] or NIL), -old_net, -1)
        if old_session is not None and old_net:
            await repo.add_stream_gmv(old_session, old[0], -old_net, old[1])
    _count(deltas, values, 1)
    if values["session_id"] is not None and values["net_fen"]:
        await repo.add_stream_gmv(
            values["session_id"], region_id, values["net_fen"], values["month"]
        )
