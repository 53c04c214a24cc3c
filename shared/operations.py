"""Operator endpoints every service has, built once here and mounted by `create_app` for
each service whose routes it serves (`/v1/<service>/admin/...`):

- `GET  /dead-letters` — events this service gave up on after every retry (newest first;
  `state=open|retried|handled`);
- `GET  /dead-letters/{id}` — one, with the whole event and the last error;
- `POST /dead-letters/{id}/retry` — send the event to this service's queue again (the
  inbox still makes it count once);
- `POST /events/replay` — re-send this service's stored outbox events of some types
  (optionally from a date) to ONE consumer's queue, in the worker (202).

A platform administrator sees and retries every dead letter; a region's operator (read
roles to look, write roles to retry) those of events of its region. Replays are for
platform administrators only.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import Field
from sqlalchemy import Select, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import (
    OPERATOR_READ_ROLES,
    OPERATOR_WRITE_ROLES,
    Principal,
    ensure_platform_admin,
    ensure_readable,
    ensure_writable,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.db import ServiceKernel, kernel_of, utcnow
from shared.errors import Forbidden, NotFound, RuleViolation
from shared.events import count_replayable, subscribers_of
from shared.pagination import ListQuery, Sort, decode_cursor, encode_cursor, list_query
from shared.schemas import Page, Schema, Timestamp, WriteSchema
from shared.tasks import celery_app, send_task
from shared.web import SessionDep, service_router

DeadLetterState = Literal["open", "retried", "handled"]


class DeadLetter(Schema):
    id: int
    event_id: uuid.UUID
    event_type: str
    consumer: str
    region_id: uuid.UUID | None
    state: DeadLetterState = Field(
        description="open: nobody retried it; retried: sent again, not handled yet; "
        "handled: this service has handled the event since"
    )
    error: str
    attempts: int
    first_failed_at: Timestamp
    last_failed_at: Timestamp
    retried_at: Timestamp | None


class DeadLetterDetail(DeadLetter):
    event: dict[str, Any]


class EventReplayCreate(WriteSchema):
    consumer: str = Field(min_length=1, max_length=60, examples=["insights"])
    event_types: list[str] = Field(
        min_length=1, max_length=50, examples=[["repository.order.placed"]]
    )
    since: Timestamp | None = Field(
        default=None, description="Only events stored at or after this time"
    )


class EventReplay(Schema):
    producer: str
    consumer: str
    event_types: list[str]
    since: Timestamp | None
    matching: int = Field(description="Stored events that will be sent, oldest first")


DeadLettersQuery = list_query(("id",), default="-id")


def _region_of(table: Any) -> Any:
    return table.c.event["region_id"].as_string()


def _readable(principal: Principal, table: Any, roles: tuple[str, ...]) -> Any:
    if principal.platform_admin:
        return None
    regions = [str(r) for r in principal.operator_region_ids(roles)]
    if not regions:
        raise Forbidden("Only a platform administrator or the region's operator can do this")
    return _region_of(table).in_(regions)


def _state_clause(kernel: ServiceKernel, state: str) -> Any:
    table, inbox = kernel.dead_letters, kernel.inbox
    handled = exists().where(inbox.c.event_id == table.c.event_id)
    if state == "handled":
        return handled
    if state == "retried":
        return and_(~handled, table.c.retried_at.is_not(None))
    return and_(~handled, table.c.retried_at.is_(None))


def _with_state(kernel: ServiceKernel) -> Select[Any]:
    table, inbox = kernel.dead_letters, kernel.inbox
    handled = exists().where(inbox.c.event_id == table.c.event_id).label("handled")
    return select(table, handled)


def _as_schema(row: Any, *, detail: bool = False) -> DeadLetter:
    state: DeadLetterState = (
        "handled" if row.handled else ("retried" if row.retried_at is not None else "open")
    )
    region = row.event.get("region_id")
    fields = {
        "id": row.id,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "consumer": row.consumer,
        "region_id": uuid.UUID(region) if region else None,
        "state": state,
        "error": row.error,
        "attempts": row.attempts,
        "first_failed_at": row.first_failed_at,
        "last_failed_at": row.last_failed_at,
        "retried_at": row.retried_at,
    }
    if detail:
        return DeadLetterDetail(**fields, event=row.event)
    return DeadLetter(**fields)


async def _one(session: AsyncSession, principal: Principal, letter_id: int) -> Any:
    kernel = kernel_of(session)
    row = (
        await session.execute(_with_state(kernel).where(kernel.dead_letters.c.id == letter_id))
    ).first()
    if row is None:
        raise NotFound("No such dead letter")
    return row


def _ensure_region_access(principal: Principal, row: Any, *, write: bool) -> None:
    region = row.event.get("region_id")
    region_id = uuid.UUID(region) if region else None
    if write:
        ensure_writable(
            principal,
            org_id=None,
            region_id=region_id,
            operator_roles=OPERATOR_WRITE_ROLES,
            what="dead letter",
        )
    else:
        ensure_readable(principal, org_id=None, region_id=region_id, what="dead letter")


def operations_router(kernel: ServiceKernel) -> APIRouter:
    """The operator routes of one service (see the module docstring)."""
    name = kernel.name
    router = service_router(kernel, prefix=f"/v1/{name}/admin", tags=[f"{name}-operations"])

    @router.get(
        "/dead-letters",
        response_model=Page[DeadLetter],
        summary=f"Events {name} gave up on after every retry",
    )
    async def list_dead_letters(
        session: SessionDep,
        principal: CurrentPrincipal,
        q: Annotated[ListQuery, Depends(DeadLettersQuery)],
        state: Annotated[DeadLetterState | None, Query()] = None,
        event_type: Annotated[str | None, Query(max_length=120)] = None,
    ) -> Page[DeadLetter]:
        table = kernel.dead_letters
        stmt = _with_state(kernel)
        where = _readable(principal, table, OPERATOR_READ_ROLES)
        if where is not None:
            stmt = stmt.where(where)
        if state is not None:
            stmt = stmt.where(_state_clause(kernel, state))
        if event_type:
            stmt = stmt.where(table.c.event_type == event_type)
        sort = q.sort
        if q.cursor:
            _, last_id = decode_cursor(q.cursor, sort)
            if not isinstance(last_id, int):
                last_id = 0
            stmt = stmt.where(table.c.id < last_id if sort.descending else table.c.id > last_id)
        order = table.c.id.desc() if sort.descending else table.c.id.asc()
        rows = (await session.execute(stmt.order_by(order).limit(q.limit + 1))).all()
        next_cursor = None
        if len(rows) > q.limit:
            rows = rows[: q.limit]
            next_cursor = encode_cursor(Sort("id", sort.descending), rows[-1].id, rows[-1].id)
        return Page[DeadLetter](items=[_as_schema(r) for r in rows], next_cursor=next_cursor)

    @router.get(
        "/dead-letters/{letter_id}",
        response_model=DeadLetterDetail,
        summary="One dead letter, with its event and last error",
    )
    async def get_dead_letter(
        letter_id: int, session: SessionDep, principal: CurrentPrincipal
    ) -> DeadLetter:
        row = await _one(session, principal, letter_id)
        _ensure_region_access(principal, row, write=False)
        return _as_schema(row, detail=True)

    @router.post(
        "/dead-letters/{letter_id}/retry",
        response_model=DeadLetterDetail,
        summary=f"Send a dead letter to {name}'s queue again",
    )
    async def retry_dead_letter(
        letter_id: int, session: SessionDep, principal: CurrentPrincipal
    ) -> DeadLetter:
        row = await _one(session, principal, letter_id)
        _ensure_region_access(principal, row, write=True)
        if row.handled:
            raise RuleViolation("This event has been handled since; there is nothing to retry")
        table = kernel.dead_letters
        now = utcnow()
        await session.execute(table.update().where(table.c.id == row.id).values(retried_at=now))
        send_task(f"{row.consumer}.handle_event", row.event, row.consumer)
        row = await _one(session, principal, letter_id)
        return _as_schema(row, detail=True)

    @router.post(
        "/events/replay",
        status_code=202,
        response_model=EventReplay,
        summary=f"Re-send {name}'s stored events of some types to one consumer",
    )
    async def replay_events(
        body: EventReplayCreate, session: SessionDep, principal: CurrentPrincipal
    ) -> EventReplay:
        ensure_platform_admin(principal)
        not_subscribed = sorted(
            t for t in body.event_types if body.consumer not in subscribers_of(t)
        )
        if not_subscribed:
            raise RuleViolation(
                f"{body.consumer} does not subscribe to {', '.join(not_subscribed)}",
                extra={"not_subscribed": not_subscribed},
            )
        matching = await count_replayable(session, body.event_types, body.since)
        celery_app.send_task(
            f"{name}.replay_events",
            args=[body.consumer, body.event_types, body.since.isoformat() if body.since else None],
            queue=name,
        )
        return EventReplay(
            producer=name,
            consumer=body.consumer,
            event_types=body.event_types,
            since=body.since,
            matching=matching,
        )

    return router
