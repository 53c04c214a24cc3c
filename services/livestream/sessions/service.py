"""Live sessions: on a booking, with a lineup of pool products priced at or above the
floor; the lineup freezes when the session goes live (stock caps may still fall)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream import lifecycle
from services.livestream.consignment.repository import ConsignmentRepository
from services.livestream.pool.repository import PoolRepository
from services.livestream.problems import (
    BELOW_FLOOR_PRICE,
    CAP_OVER_ON_HAND,
    LINEUP_FROZEN,
    NOT_IN_POOL,
)
from services.livestream.rooms.service import get_booking
from services.livestream.samples.service import feature_samples
from services.livestream.sessions.models import LineupItem, LiveSession
from services.livestream.sessions.repository import SORTS, SessionRepository
from services.livestream.sessions.schemas import LineupWrite, SessionCreate
from shared.auth import ensure_readable, ensure_writable
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.events import publish
from shared.pagination import ListQuery
from shared.state_machine import StatusChange

SESSION_SORT_FIELDS = tuple(SORTS)


async def _ensure_cap_on_hand(
    session: AsyncSession, product_id: uuid.UUID, cap: int, field: str
) -> None:
    """A stock cap never exceeds the consignment goods on hand at the base."""
    on_hand = await ConsignmentRepository(session).on_hand(product_id)
    if cap > on_hand:
        raise RuleViolation(
            f"The stock cap {cap} exceeds the {on_hand} on hand at the base",
            code=CAP_OVER_ON_HAND,
            errors=[FieldError(field, f"at most {on_hand} (on hand at the base)")],
            extra={"on_hand": on_hand},
        )


@dataclass
class SessionView:
    session: LiveSession
    lineup: list[LineupItem]
    allowed_actions: list[str]


async def _view(session: AsyncSession, live: LiveSession) -> SessionView:
    return SessionView(
        live,
        await SessionRepository(session).lineup(live.id),
        lifecycle.SESSION.allowed_actions(live.status),
    )


async def create_session(
    session: AsyncSession, principal: Principal, body: SessionCreate
) -> SessionView:
    booking = await get_booking(session, principal, body.booking_id, lock=True)
    ensure_writable(
        principal, org_id=booking.streamer_id, region_id=booking.region_id, what="booking"
    )
    if booking.status != "booked":
        raise RuleViolation("The booking was cancelled")
    live = LiveSession(
        region_id=booking.region_id,
        booking_id=booking.id,
        room_id=booking.room_id,
        streamer_id=booking.streamer_id,
        platform=body.platform.value,
        title=body.title,
        link_code=body.link_code,
        planned_start=booking.starts_at,
        planned_end=booking.ends_at,
    )
    await SessionRepository(session).add(live)
    await lifecycle.created(
        session, lifecycle.SESSION, live.id, "planned", "plan", actor_id=principal.user_id
    )
    await _publish(session, live, "planned", None)
    return await _view(session, live)


async def _get(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, *, lock: bool = False
) -> LiveSession:
    live = await SessionRepository(session).get(session_id, lock=lock)
    if live is None:
        raise NotFound("No such session")
    ensure_readable(principal, org_id=live.streamer_id, region_id=live.region_id, what="session")
    return live


async def get_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> SessionView:
    return await _view(session, await _get(session, principal, session_id))


async def list_sessions(
    session: AsyncSession, principal: Principal, status: str | None, query: ListQuery
) -> tuple[list[SessionView], str | None]:
    repo = SessionRepository(session)
    rows, next_cursor = await repo.page(repo.readable(principal), query, status=status)
    return [await _view(session, s) for s in rows], next_cursor


async def set_lineup(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, body: LineupWrite
) -> SessionView:
    live = await _get(session, principal, session_id, lock=True)
    ensure_writable(principal, org_id=live.streamer_id, region_id=live.region_id, what="session")
    if live.status != "planned":
        raise Conflict("The lineup froze when the session went live", code=LINEUP_FROZEN)
    pool = PoolRepository(session)
    repo = SessionRepository(session)
    seen: set[uuid.UUID] = set()
    items = []
    for position, item in enumerate(body.items, start=1):
        entry = await pool.get(item.pool_entry_id)
        field = f"items.{position - 1}"
        if entry is None or entry.status != "active" or entry.region_id != live.region_id:
            raise RuleViolation(
                "The product is not in the pool",
                code=NOT_IN_POOL,
                errors=[FieldError(f"{field}.pool_entry_id", "not in the pool")],
            )
        if item.pool_entry_id in seen:
            raise RuleViolation(
                "A product appears once in a lineup",
                errors=[FieldError(f"{field}.pool_entry_id", "duplicate")],
            )
        seen.add(item.pool_entry_id)
        if item.live_price_fen < entry.floor_price_fen:
            raise RuleViolation(
                f"The live price is below the floor price ({entry.floor_price_fen} fen)",
                code=BELOW_FLOOR_PRICE,
                errors=[FieldError(f"{field}.live_price_fen", f"at least {entry.floor_price_fen}")],
            )
        await _ensure_cap_on_hand(session, entry.product_id, item.stock_cap, f"{field}.stock_cap")
        items.append(
            LineupItem(
                session_id=live.id,
                position=position,
                pool_entry_id=entry.id,
                product_id=entry.product_id,
                live_price_fen=item.live_price_fen,
                stock_cap=item.stock_cap,
            )
        )
    await repo.clear_lineup(live.id)
    await session.flush()
    for obj in items:
        session.add(obj)
    await session.flush()
    return await _view(session, live)


async def lower_cap(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, item_id: uuid.UUID, cap: int
) -> SessionView:
    live = await _get(session, principal, session_id, lock=True)
    ensure_writable(principal, org_id=live.streamer_id, region_id=live.region_id, what="session")
    item = await SessionRepository(session).lineup_item(item_id)
    if item is None or item.session_id != live.id:
        raise NotFound("No such lineup item")
    if live.status == "live" and cap > item.stock_cap:
        raise Conflict("While live a stock cap may only fall", code=LINEUP_FROZEN)
    if live.status in ("ended", "cancelled"):
        raise Conflict("The session is over", code=LINEUP_FROZEN)
    await _ensure_cap_on_hand(session, item.product_id, cap, "stock_cap")
    item.stock_cap = cap
    return await _view(session, live)


async def _publish(
    session: AsyncSession, live: LiveSession, action: str, source: str | None
) -> None:
    lineup = await SessionRepository(session).lineup(live.id)
    await publish(
        session,
        f"livestream.session.{live.status}",
        {
            "session_id": str(live.id),
            "region_id": str(live.region_id),
            "streamer_id": str(live.streamer_id),
            "room_id": str(live.room_id),
            "platform": live.platform,
            "link_code": live.link_code,
            "from_status": source,
            "to_status": live.status,
            "action": action,
            "planned_start": live.planned_start.isoformat(),
            "planned_end": live.planned_end.isoformat(),
            "started_at": live.started_at.isoformat() if live.started_at else None,
            "ended_at": live.ended_at.isoformat() if live.ended_at else None,
            "lineup": [
                {
                    "product_id": str(i.product_id),
                    "pool_entry_id": str(i.pool_entry_id),
                    "live_price_fen": i.live_price_fen,
                    "stock_cap": i.stock_cap,
                }
                for i in lineup
            ],
        },
        region_id=live.region_id,
    )


async def act(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    action: str,
    reason: str | None,
) -> SessionView:
    live = await _get(session, principal, session_id, lock=True)
    ensure_writable(principal, org_id=live.streamer_id, region_id=live.region_id, what="session")
    source = live.status
    if action == "start":
        lineup = await SessionRepository(session).lineup(live.id)
        if not lineup:
            raise RuleViolation("A session goes live with at least one product in its lineup")
        for i in lineup:  # goods may have sold or gone back since the lineup was set
            await _ensure_cap_on_hand(
                session, i.product_id, i.stock_cap, f"lineup.{i.position - 1}.stock_cap"
            )
    await lifecycle.apply(
        session, lifecycle.SESSION, live, action, actor_id=principal.user_id, reason=reason
    )
    now = utcnow()
    if action == "start":
        live.started_at = now
        lineup = await SessionRepository(session).lineup(live.id)
        await feature_samples(session, live.streamer_id, [i.product_id for i in lineup], live.id)
    elif action == "end":
        live.ended_at = now
    elif action == "cancel":
        booking = await get_booking(session, principal, live.booking_id, lock=True)
        if booking.status == "booked":
            await lifecycle.apply(
                session,
                lifecycle.BOOKING,
                booking,
                "cancel",
                actor_id=principal.user_id,
                reason="session cancelled",
            )
    await _publish(session, live, action, source)
    return await _view(session, live)


async def session_history(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> list[StatusChange]:
    live = await _get(session, principal, session_id)
    return await lifecycle.history(session, lifecycle.SESSION, live.id)


async def live_now(session: AsyncSession, principal: Principal, region_id: uuid.UUID) -> int:
    from services.livestream.access import ensure_operator

    ensure_operator(principal, region_id, write=False)
    return await SessionRepository(session).live_count(region_id)
