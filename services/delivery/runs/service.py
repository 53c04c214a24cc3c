"""Parcels from orders, runs per route and day, driver and station execution, tracking."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery import planning
from services.delivery.network.models import Route, Stop, Vehicle
from services.delivery.network.repository import NetworkRepository
from services.delivery.problems import (
    COD_MISMATCH,
    RUN_DATED_AHEAD,
    RUN_HAS_PARCELS_ABOARD,
    RUN_NOT_STARTED,
    WRONG_PICKUP_CODE,
)
from services.delivery.regions.service import today_in
from services.delivery.runs import documents
from services.delivery.runs.lifecycle import (
    ACTIONS_BY_ROLE,
    DISPATCHER,
    DRIVER,
    PARCEL,
    RUN,
    RUN_UNDER_WAY,
    allowed_actions,
    still_aboard,
)
from services.delivery.runs.models import Parcel, ParcelEvent, Run, RunTransition
from services.delivery.runs.repository import PARCEL_SORTS, RUN_SORTS, RunRepository
from shared.auth.access import may_read
from shared.auth.principal import Principal
from shared.auth.scope import ensure_acts_for_org, ensure_operator_of
from shared.db import utcnow
from shared.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidTransition,
    NotFound,
    RuleViolation,
)
from shared.events import Event, publish
from shared.pagination import Sort
from shared.storage import IMAGE_TYPES, check_upload, load_async, save, sniff_content_type

log = logging.getLogger(__name__)

EXCEPTIONS = ("absent", "refused", "damaged")
MAX_ATTEMPTS = 3
# the documented sort keys of the lists (the repository keeps the columns)
RUN_SORT_FIELDS = tuple(RUN_SORTS)
PARCEL_SORT_FIELDS = tuple(PARCEL_SORTS)
DISPATCH_ROLES = ("owner", "admin", "dispatcher")
# A run's status change as the event other services (and audit) see.
RUN_EVENTS = {
    "in_transit": "delivery.run.started",
    "completed": "delivery.run.completed",
    "cancelled": "delivery.run.cancelled",
}


async def transition(
    session: AsyncSession,
    parcel: Parcel,
    action: str,
    actor_id: uuid.UUID | None,
    reason: str | None = None,
) -> None:
    """Apply a parcel transition and record who/when/why in its tracking history."""
    source = parcel.status
    target = await PARCEL.apply(session, parcel, action, actor_id=actor_id, reason=reason)
    session.add(
        ParcelEvent(
            parcel_id=parcel.id,
            from_status=source,
            to_status=target,
            action=action,
            actor_id=actor_id,
            reason=reason,
        )
    )


async def route_for(
    session: AsyncSession, stop: Stop, delivery_date: date
) -> tuple[Route, int] | None:
    """The first route (by name) calling at the stop on that weekday, with the stop's sequence."""
    for route, sequence in await NetworkRepository(session).routes_through(stop.id):
        if delivery_date.isoweekday() in route.weekdays:
            return route, sequence
    return None


async def register_order(session: AsyncSession, event: Event) -> list[Parcel]:
    """repository.order.ready_for_delivery: each parcel goes on its station's route that day."""
    data = event.data
    if not data.get("station_org_id") or not data.get("delivery_date"):
        # A shop not yet assigned to a station, or no route scheduled: the dispatcher
        # sees the order in the repository's board; nothing can be put on a run here.
        log.warning("order %s: no station or delivery date, not carried", data.get("order_id"))
        return []
    station_org_id = uuid.UUID(data["station_org_id"])
    delivery_date = date.fromisoformat(data["delivery_date"])
    stop = await NetworkRepository(session).station_stop(station_org_id)
    placed = await route_for(session, stop, delivery_date) if stop else None
    if stop is None or placed is None:
        log.warning(
            "order %s: station %s has no route on %s",
            data["order_id"],
            station_org_id,
            delivery_date,
        )
        return []
    route, sequence = placed
    cod_left = int(data.get("cod_amount_fen") or 0)
    parcels: list[Parcel] = []
    for spec in data.get("parcels") or [{}]:
        parcel = Parcel(
            region_id=uuid.UUID(data["region_id"]),
            tracking_number=planning.new_tracking_number(),
            order_id=uuid.UUID(data["order_id"]),
            station_org_id=station_org_id,
            stop_id=stop.id,
            route_id=route.id,
            stop_sequence=sequence,
            delivery_date=delivery_date,
            weight_g=int(spec.get("weight_g", 0)),
            volume_cm3=int(spec.get("volume_cm3", 0)),
            chilled=bool(spec.get("chilled", False)),
            cod_amount_fen=cod_left,
        )
        cod_left = 0
        session.add(parcel)
        parcels.append(parcel)
    await session.flush()
    for parcel in parcels:
        session.add(ParcelEvent(parcel_id=parcel.id, to_status="registered", action="register"))
    return parcels


async def plan_day(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, delivery_date: date
) -> tuple[list[Run], list[uuid.UUID]]:
    """Build the day's runs: per route, parcels in stop order, overflow onto a second trip."""
    ensure_operator_of(principal, region_id, DISPATCH_ROLES)
    runs: list[Run] = []
    unplaced: list[uuid.UUID] = []
    for route in await NetworkRepository(session).routes_of_region(region_id):
        if delivery_date.isoweekday() not in route.weekdays:
            continue
        parcels = await RunRepository(session).unplanned_parcels(route.id, delivery_date)
        if not parcels:
            continue
        vehicle = await NetworkRepository(session).get_vehicle(route.vehicle_id)
        if vehicle is None:
            continue
        by_id = {p.id: p for p in parcels}
        plan = planning.plan_route(
            [
                planning.PlannedParcel(p.id, p.stop_sequence, p.weight_g, p.volume_cm3, p.chilled)
                for p in parcels
            ],
            planning.VehicleCapacity(
                vehicle.id, vehicle.max_weight_g, vehicle.max_volume_cm3, vehicle.cold_chain
            ),
        )
        trip = await RunRepository(session).last_trip(route.id, delivery_date)
        for planned in plan.runs:
            trip += 1
            run = Run(
                region_id=region_id,
                route_id=route.id,
                delivery_date=delivery_date,
                trip=trip,
                vehicle_id=planned.vehicle.vehicle_id,
                driver_user_id=route.driver_user_id,
                weight_g=planned.weight_g,
                volume_cm3=planned.volume_cm3,
                overloaded=planned.overloaded,
            )
            await RunRepository(session).add(run)
            record_planned(session, run, principal.user_id, DISPATCHER)
            for item in planned.parcels:
                by_id[item.parcel_id].run_id = run.id
            runs.append(run)
        unplaced.extend(p.parcel_id for p in plan.unplaced_chilled)
    await session.flush()
    return runs, unplaced


def role_on_run(principal: Principal, run: Run) -> str | None:
    """The region's dispatcher acts on every run; a driver only on the runs assigned to them."""
    if principal.platform_admin or principal.is_operator_of(run.region_id, DISPATCH_ROLES):
        return DISPATCHER
    is_driver = run.region_id in principal.operator_region_ids(["driver"])
    if is_driver and run.driver_user_id == principal.user_id:
        return DRIVER
    return None


async def run_and_role(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, *, lock: bool = False
) -> tuple[Run, str]:
    """A run the caller may see, with the caller's role on it (anyone else's run: 404).
    `lock` for a change: two drivers' taps on start must not both load the parcels."""
    run = await RunRepository(session).get_run(run_id, lock=lock)
    role = role_on_run(principal, run) if run is not None else None
    if run is None or role is None:
        raise NotFound("No such run")
    return run, role


async def visible_run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, *, lock: bool = False
) -> Run:
    return (await run_and_role(session, principal, run_id, lock=lock))[0]


def record_planned(session: AsyncSession, run: Run, actor_id: uuid.UUID | None, role: str) -> None:
    """The first line of a run's history: who planned it."""
    session.add(
        RunTransition(
            run_id=run.id,
            from_status=None,
            to_status=run.status,
            action="plan",
            actor_user_id=actor_id,
            actor_role=role,
        )
    )


def _counts(parcels: list[Parcel]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for parcel in parcels:
        counts[parcel.status] = counts.get(parcel.status, 0) + 1
    return counts


async def move_run(
    session: AsyncSession,
    run: Run,
    action: str,
    actor_id: uuid.UUID | None,
    role: str,
    *,
    reason: str | None = None,
    at: datetime | None = None,
) -> None:
    """Apply a run transition from the table, record who/when/why, publish a status change."""
    if action not in ACTIONS_BY_ROLE.get(role, ()):
        raise Forbidden(f"A {role} cannot {action} a run")
    at = at or utcnow()
    source = run.status
    target = await RUN.apply(
        session, run, action, actor_id=actor_id, reason=reason, data={"actor_role": role}
    )
    session.add(
        RunTransition(
            run_id=run.id,
            from_status=source,
            to_status=target,
            action=action,
            actor_user_id=actor_id,
            actor_role=role,
            reason=reason,
            at=at,
        )
    )
    if target == source:
        return
    parcels = await RunRepository(session).parcels_of_run(run.id)
    await publish(
        session,
        RUN_EVENTS[target],
        {
            "run_id": str(run.id),
            "region_id": str(run.region_id),
            "kind": run.kind,
            "route_id": str(run.route_id) if run.route_id else None,
            "delivery_date": run.delivery_date.isoformat(),
            "trip": run.trip,
            "vehicle_id": str(run.vehicle_id) if run.vehicle_id else None,
            "driver_user_id": str(run.driver_user_id) if run.driver_user_id else None,
            "from_status": source,
            "to_status": target,
            "action": action,
            "actor_role": role,
            "reason": reason,
            "at": at.isoformat(),
            "parcels": _counts(parcels),
            "weight_g": run.weight_g,
            "cost_fen": await _run_cost(session, run) if target == "completed" else 0,
        },
        region_id=run.region_id,
    )


async def _run_cost(session: AsyncSession, run: Run) -> int:
    """What the run's vehicle costs per run (for the county's cost per parcel)."""
    if run.vehicle_id is None:
        return 0
    vehicle = await session.get(Vehicle, run.vehicle_id)
    return vehicle.cost_per_run_fen if vehicle else 0


def ensure_under_way(run: Run) -> None:
    """Stops are visited only on a run that is planned or on the road."""
    if run.status not in RUN_UNDER_WAY:
        raise InvalidTransition(
            f"The run is {run.status}",
            extra={"state": run.status, "allowed_actions": RUN.allowed_actions(run.status)},
        )


async def pick_list(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> list[Parcel]:
    """The run's parcels in loading order: the last stop's first."""
    run = await visible_run(session, principal, run_id)
    parcels = await RunRepository(session).parcels_of_run(run.id)
    return sorted(parcels, key=lambda p: (-p.stop_sequence, str(p.id)))


async def my_runs(
    session: AsyncSession,
    principal: Principal,
    *,
    delivery_date: date | None,
    status: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Run], str | None]:
    """The runs assigned to the caller, in the regions where the caller is a driver."""
    return await RunRepository(session).runs_page(
        region_ids=principal.operator_region_ids(["driver"]),
        driver_user_id=principal.user_id,
        delivery_date=delivery_date,
        status=status,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )


async def day_runs(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    delivery_date: date,
    *,
    status: str | None,
    kind: str | None,
    driver_user_id: uuid.UUID | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Run], str | None]:
    """The dispatcher's view of the region's runs on a delivery date."""
    ensure_operator_of(principal, region_id, DISPATCH_ROLES)
    return await RunRepository(session).runs_page(
        region_ids=[region_id],
        driver_user_id=driver_user_id,
        delivery_date=delivery_date,
        status=status,
        kind=kind,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )


@dataclass
class RunDetail:
    run: Run
    role: str
    history: list[RunTransition]
    parcels: dict[str, int]

    @property
    def allowed_actions(self) -> list[str]:
        return allowed_actions(self.run.status, self.role)


async def run_detail(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> RunDetail:
    run, role = await run_and_role(session, principal, run_id)
    return await _detail(session, run, role)


async def _detail(session: AsyncSession, run: Run, role: str) -> RunDetail:
    await session.flush()
    return RunDetail(
        run=run,
        role=role,
        history=await RunRepository(session).run_transitions(run.id),
        parcels=_counts(await RunRepository(session).parcels_of_run(run.id)),
    )


async def start(
    session: AsyncSession, run: Run, actor_id: uuid.UUID, role: str, at: datetime
) -> None:
    """The run leaves: every parcel on it is loaded (in transit). Not before its day: a run
    dated ahead of today (the region's local date) waits for its date."""
    if run.status == "planned":
        today = await today_in(session, run.region_id)
        if run.delivery_date > today:
            raise RuleViolation(
                f"The run is dated {run.delivery_date}; today is {today}",
                code=RUN_DATED_AHEAD,
                extra={"delivery_date": run.delivery_date.isoformat(), "today": today.isoformat()},
            )
    await move_run(session, run, "start", actor_id, role, at=at)
    run.started_at = at
    for parcel in await RunRepository(session).parcels_of_run(run.id):
        await transition(session, parcel, "load", actor_id)


async def start_run(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> RunDetail:
    run, role = await run_and_role(session, principal, run_id, lock=True)
    await start(session, run, principal.user_id, role, utcnow())
    return await _detail(session, run, role)


async def start_on_arrival(
    session: AsyncSession, principal: Principal, run: Run, at: datetime
) -> None:
    """The first stop reached (or farm weighed) starts a run nobody started by hand."""
    ensure_under_way(run)
    if run.status == "planned":
        role = role_on_run(principal, run)
        assert role is not None  # the caller was given the run by run_and_role
        await start(session, run, principal.user_id, role, at)


async def finish_run(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> RunDetail:
    """The driver ends the run once every parcel on it is off the van: delivered, received by
    its station, returned, or taken off for redelivery."""
    run, role = await run_and_role(session, principal, run_id, lock=True)
    RUN.next_state(run.status, "finish")
    parcels = await RunRepository(session).parcels_of_run(run.id)
    aboard = still_aboard((p.tracking_number, p.status) for p in parcels)
    if aboard:
        raise Conflict(
            f"{len(aboard)} parcel(s) are still aboard",
            code=RUN_HAS_PARCELS_ABOARD,
            extra={"tracking_numbers": aboard},
        )
    at = utcnow()
    await move_run(session, run, "finish", principal.user_id, role, at=at)
    run.completed_at = at
    return await _detail(session, run, role)


async def cancel_run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, reason: str
) -> RunDetail:
    """The dispatcher calls off a run before it leaves; its parcels wait for the next plan of
    that day (nothing was loaded, so they are still registered)."""
    run, role = await run_and_role(session, principal, run_id, lock=True)
    await move_run(session, run, "cancel", principal.user_id, role, reason=reason)
    for parcel in await RunRepository(session).parcels_of_run(run.id):
        parcel.run_id = None
    return await _detail(session, run, role)


async def assign_run(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    driver_user_id: uuid.UUID | None,
    vehicle_id: uuid.UUID | None,
) -> RunDetail:
    """The dispatcher hands a planned run to another driver (or vehicle) before it leaves;
    the run then shows in that driver's list and no longer in the previous one's."""
    run, role = await run_and_role(session, principal, run_id, lock=True)
    ensure_operator_of(principal, run.region_id, DISPATCH_ROLES)
    RUN.next_state(run.status, "assign")
    changes = []
    if vehicle_id is not None:
        await _check_vehicle(session, run, vehicle_id)
        changes.append(f"vehicle {run.vehicle_id} -> {vehicle_id}")
        run.vehicle_id = vehicle_id
    if driver_user_id is not None:
        changes.append(f"driver {run.driver_user_id} -> {driver_user_id}")
        run.driver_user_id = driver_user_id
    await move_run(
        session, run, "assign", principal.user_id, role, reason="; ".join(changes) or None
    )
    return await _detail(session, run, role)


async def _check_vehicle(session: AsyncSession, run: Run, vehicle_id: uuid.UUID) -> None:
    vehicle = await NetworkRepository(session).get_vehicle(vehicle_id)
    if vehicle is None or vehicle.region_id != run.region_id:
        raise RuleViolation(
            "No such vehicle in the region",
            errors=[FieldError("vehicle_id", "unknown vehicle", "unknown")],
        )
    chilled = any(p.chilled for p in await RunRepository(session).parcels_of_run(run.id))
    if chilled and not vehicle.cold_chain:
        raise RuleViolation(
            "The run carries chilled parcels: it needs a cold-chain vehicle",
            errors=[FieldError("vehicle_id", "not a cold-chain vehicle", "cold_chain")],
        )


async def station_parcel(
    session: AsyncSession, principal: Principal, parcel_id: uuid.UUID
) -> Parcel:
    parcel = await RunRepository(session).get_parcel(parcel_id)
    if parcel is None:
        raise NotFound("No such parcel")
    ensure_acts_for_org(principal, parcel.station_org_id, what="parcel")
    return parcel


async def receive(session: AsyncSession, principal: Principal, parcel_id: uuid.UUID) -> Parcel:
    """The station takes the parcel off the van; it gets a 取件码 unique at the station that day."""
    parcel = await station_parcel(session, principal, parcel_id)
    await transition(session, parcel, "receive", principal.user_id)
    taken = await RunRepository(session).pickup_codes(parcel.station_org_id, parcel.delivery_date)
    parcel.pickup_code = planning.new_pickup_code(taken)
    return parcel


async def hand_over(
    session: AsyncSession,
    principal: Principal,
    parcel_id: uuid.UUID,
    pickup_code: str,
    recipient_name: str | None,
) -> Parcel:
    """The customer shows the pickup code; the parcel is delivered (COD collected if any)."""
    parcel = await station_parcel(session, principal, parcel_id)
    if parcel.status == "at_station" and parcel.pickup_code != pickup_code:
        raise RuleViolation("The pickup code does not match", code=WRONG_PICKUP_CODE)
    await transition(session, parcel, "hand_over", principal.user_id)
    run = await RunRepository(session).get_run(parcel.run_id) if parcel.run_id else None
    await _delivered(session, parcel, run, recipient_name, parcel.cod_amount_fen)
    return parcel


async def _delivered(
    session: AsyncSession,
    parcel: Parcel,
    run: Run | None,
    recipient_name: str | None,
    cod_collected_fen: int,
) -> None:
    parcel.delivered_at = utcnow()
    parcel.recipient_name = recipient_name
    parcel.cod_collected_fen = cod_collected_fen
    stop = await session.get(Stop, parcel.stop_id)
    await publish(
        session,
        "delivery.parcel.delivered",
        {
            "parcel_id": str(parcel.id),
            "order_id": str(parcel.order_id) if parcel.order_id else None,
            "station_org_id": str(parcel.station_org_id),
            "delivered_at": parcel.delivered_at.isoformat(),
            "run_id": str(run.id) if run else None,
            "dispatched_at": run.started_at.isoformat() if run and run.started_at else None,
            "carrier": parcel.carrier,
            "township": stop.township if stop else None,
        },
        region_id=parcel.region_id,
    )
    if parcel.cod_amount_fen and parcel.order_id:
        await publish(
            session,
            "delivery.cod.collected",
            {
                "order_id": str(parcel.order_id),
                "run_id": str(run.id) if run else None,
                "driver_user_id": str(run.driver_user_id) if run and run.driver_user_id else None,
                "amount_fen": cod_collected_fen,
                "collected_at": parcel.delivered_at.isoformat(),
            },
            region_id=parcel.region_id,
        )


async def driver_parcel(
    session: AsyncSession, principal: Principal, parcel_id: uuid.UUID
) -> tuple[Parcel, Run]:
    """A parcel on a started run assigned to the calling driver (404 for anyone else's)."""
    parcel = await RunRepository(session).get_parcel(parcel_id)
    if parcel is None or parcel.run_id is None:
        raise NotFound("No such parcel")
    try:
        run = await visible_run(session, principal, parcel.run_id)
    except NotFound:
        raise NotFound("No such parcel") from None
    if run.status == "planned":
        raise RuleViolation("The run has not been started", code=RUN_NOT_STARTED)
    ensure_under_way(run)
    return parcel, run


async def deliver(
    session: AsyncSession,
    principal: Principal,
    parcel_id: uuid.UUID,
    recipient_name: str,
    cod_collected_fen: int,
    proof: bytes | None,
) -> Parcel:
    """The driver hands the parcel over in person, with proof (photo or signature) and COD."""
    parcel, run = await driver_parcel(session, principal, parcel_id)
    if cod_collected_fen != parcel.cod_amount_fen:
        raise RuleViolation(
            f"Collect exactly {parcel.cod_amount_fen} fen cash on delivery",
            code=COD_MISMATCH,
            extra={"cod_amount_fen": parcel.cod_amount_fen},
        )
    if proof is not None:
        content_type = check_upload(proof, IMAGE_TYPES)
        parcel.proof_key = save("delivery-proof", proof, content_type).key
    await transition(session, parcel, "deliver", principal.user_id)
    await _delivered(session, parcel, run, recipient_name, cod_collected_fen)
    return parcel


async def proof_of_delivery(
    session: AsyncSession, principal: Principal, parcel_id: uuid.UUID
) -> tuple[bytes, str]:
    """The proof image of a parcel delivered in person, with its content type: for the
    parcel's station, the region's operator and the driver of its run (anyone else: 404)."""
    parcel = await RunRepository(session).get_parcel(parcel_id)
    if parcel is None:
        raise NotFound("No such parcel")
    run = await RunRepository(session).get_run(parcel.run_id) if parcel.run_id else None
    if not (
        may_read(principal, org_id=parcel.station_org_id, region_id=parcel.region_id)
        or (run is not None and role_on_run(principal, run) is not None)
    ):
        raise NotFound("No such parcel")
    if parcel.proof_key is None:
        raise NotFound("This parcel has no proof of delivery")
    data = await load_async(parcel.proof_key)
    return data, sniff_content_type(data) or "application/octet-stream"


async def report_exception(
    session: AsyncSession, principal: Principal, parcel_id: uuid.UUID, kind: str, note: str | None
) -> Parcel:
    """Absent: redelivered the next day (up to 3 attempts); refused or damaged: returned."""
    parcel, _run = await driver_parcel(session, principal, parcel_id)
    parcel.attempts += 1
    reason = f"{kind}: {note}" if note else kind
    if kind == "absent" and parcel.attempts < MAX_ATTEMPTS:
        await transition(session, parcel, "redeliver", principal.user_id, reason)
        parcel.delivery_date = parcel.delivery_date + timedelta(days=1)
        parcel.run_id = None
    else:
        await transition(session, parcel, "return", principal.user_id, reason)
    return parcel


async def station_stock(
    session: AsyncSession,
    principal: Principal,
    station_org_id: uuid.UUID,
    *,
    status: str | None,
    delivery_date: date | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Parcel], str | None]:
    """A station's own parcels only; another station's list answers 404."""
    ensure_acts_for_org(principal, station_org_id, what="station")
    return await RunRepository(session).station_parcels(
        station_org_id,
        status=status,
        delivery_date=delivery_date,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )


async def track(session: AsyncSession, tracking_number: str) -> tuple[Parcel, list[ParcelEvent]]:
    parcel = await RunRepository(session).parcel_by_tracking(tracking_number)
    if parcel is None:
        raise NotFound("No such parcel")
    return parcel, await RunRepository(session).history(parcel.id)


async def run_documents(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, kind: str
) -> bytes:
    """The run's printable manifest or its parcels' labels (PDF)."""
    run = await visible_run(session, principal, run_id)
    parcels = await RunRepository(session).parcels_of_run(run.id)
    route = await NetworkRepository(session).get_route(run.route_id) if run.route_id else None
    stop_names = {
        stop.id: stop.name
        for stop in await NetworkRepository(session).stops_of_region(run.region_id)
    }
    if kind == "labels":
        return documents.labels_pdf(parcels, stop_names)
    return documents.manifest_pdf(run, route.name if route else run.kind, parcels, stop_names)
