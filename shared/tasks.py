"""One Celery application; each service registers its tasks under its own name and queue.

Tasks are thin: they open a session through the service's sessionmaker, call one
service function and commit. Async code runs on one event loop per worker process.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import structlog
from celery import Celery, Task, signals
from celery.schedules import crontab
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import ServiceKernel, run_after_commit, sessionmaker_for
from shared.events import (
    EventHandlers,
    consume_event,
    record_dead_letter,
    relay_outbox,
    replay_outbox,
)
from shared.logging import bind_request_id, clear_request_id, current_request_id
from shared.settings import get_settings

log = structlog.get_logger(__name__)
T = TypeVar("T")

celery_app = Celery("county_market")


def configure_celery() -> Celery:
    settings = get_settings()
    celery_app.conf.update(
        broker_url=settings.redis_url,
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="default",
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        worker_hijack_root_logger=False,
    )
    return celery_app


configure_celery()

_local = threading.local()


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on this thread's long-lived loop (engines and pools stay bound to it)."""
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
    return loop.run_until_complete(coro)


def send_task(name: str, payload: dict[str, Any], queue: str) -> None:
    celery_app.send_task(name, args=[payload], queue=queue)


def retry_delay(retries: int) -> float:
    """Seconds before the next try of a failed event: 1, 2, 4, … capped at 60."""
    return float(min(60, 2**retries))


def event_task(
    kernel: ServiceKernel,
    handlers: EventHandlers,
    *,
    name: str | None = None,
    max_retries: int | None = None,
) -> Any:
    """The task that consumes events sent to a service: handled once (inbox), retried with
    backoff on failure, and after the last retry kept as a dead letter (never dropped)."""
    task_name = name or f"{kernel.name}.handle_event"
    retries = get_settings().event_max_retries if max_retries is None else max_retries

    # (sessionmakers are made inside the coroutines: engines belong to the running loop)
    async def consume(payload: dict[str, Any]) -> bool:
        return await consume_event(sessionmaker_for(kernel), handlers, payload)

    async def give_up(payload: dict[str, Any], error: str, attempts: int) -> None:
        await record_dead_letter(
            sessionmaker_for(kernel), payload, consumer=kernel.name, error=error, attempts=attempts
        )

    @celery_app.task(name=task_name, queue=kernel.name, bind=True, max_retries=retries)
    def handle_event(self: Task, payload: dict[str, Any]) -> bool:
        bind_request_id(payload.get("request_id"))
        try:
            return run_async(consume(payload))
        except Exception as exc:
            tries = self.request.retries
            if tries >= (self.max_retries or 0):
                run_async(give_up(payload, f"{type(exc).__name__}: {exc}", tries + 1))
                return False
            log.warning(
                "event.retry",
                event_type=payload.get("type"),
                event_id=payload.get("id"),
                attempt=tries + 1,
                error=str(exc)[:300],
            )
            raise self.retry(exc=exc, countdown=retry_delay(tries)) from exc

    return handle_event


# a relay run sends at most RELAY_BATCHES batches of RELAY_BATCH rows, each batch its own
# transaction, so it never holds locks long nor keeps the worker from the events it consumes
RELAY_BATCH = 500
RELAY_BATCHES = 40


def register_service_tasks(
    kernel: ServiceKernel,
    handlers: EventHandlers,
    *,
    relay_every_seconds: float = 5.0,
) -> dict[str, Any]:
    """The tasks every service has: relay its outbox, consume events sent to it, replay
    stored events to one consumer, and prune its kernel tables daily (shared/retention.py)."""
    name = kernel.name

    async def relay_now() -> int:
        return await relay_outbox(
            sessionmaker_for(kernel), send_task, batch_size=RELAY_BATCH, max_batches=RELAY_BATCHES
        )

    @celery_app.task(name=f"{name}.relay_outbox", queue=name)
    def relay() -> int:
        sent = run_async(relay_now())
        if sent >= RELAY_BATCH * RELAY_BATCHES:  # more waiting: go on now, not at the next tick
            kick_relay(name)
        return sent

    handle_event = event_task(kernel, handlers)

    async def replay_now(consumer: str, event_types: list[str], since: str | None) -> int:
        from datetime import datetime

        return await replay_outbox(
            sessionmaker_for(kernel),
            send_task,
            consumer=consumer,
            event_types=event_types,
            since=datetime.fromisoformat(since) if since else None,
        )

    @celery_app.task(name=f"{name}.replay_events", queue=name)
    def replay(consumer: str, event_types: list[str], since: str | None = None) -> int:
        return run_async(replay_now(consumer, event_types, since))

    async def prune_now() -> dict[str, int]:
        from shared.retention import prune_kernel_tables

        return dict((await prune_kernel_tables(sessionmaker_for(kernel))).__dict__)

    @celery_app.task(name=f"{name}.prune_kernel_tables", queue=name)
    def prune() -> dict[str, int]:
        return run_async(prune_now())

    from shared.retention import PRUNE_HOUR_UTC, PRUNE_MINUTE

    celery_app.conf.beat_schedule = {
        **(celery_app.conf.beat_schedule or {}),
        f"{name}-relay-outbox": {
            "task": f"{name}.relay_outbox",
            "schedule": relay_every_seconds,
            "options": {"queue": name, "expires": 10},
        },
        f"{name}-prune-kernel-tables": {
            "task": f"{name}.prune_kernel_tables",
            "schedule": crontab(minute=PRUNE_MINUTE, hour=PRUNE_HOUR_UTC),
            "options": {"queue": name},
        },
    }
    return {"relay": relay, "handle_event": handle_event, "replay": replay, "prune": prune}


def add_periodic_task(name: str, task_name: str, queue: str, schedule: Any) -> None:
    celery_app.conf.beat_schedule = {
        **(celery_app.conf.beat_schedule or {}),
        name: {"task": task_name, "schedule": schedule, "options": {"queue": queue}},
    }


def unit_of_work_task(kernel: ServiceKernel, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `fn(session)` and commit once: how a scheduled job calls a service function."""

    async def run() -> T:
        async with sessionmaker_for(kernel)() as session:
            result = await fn(session)
            await session.commit()
            await run_after_commit(session)
        if session.info.get("outbox_dirty"):
            kick_relay(kernel.name)
        return result

    return run_async(run())


def kick_relay(service: str) -> None:
    """Ask for a relay right away; the beat schedule is the safety net if this is lost."""
    if not get_settings().celery_eager_relay:
        return
    try:
        celery_app.send_task(f"{service}.relay_outbox", queue=service, expires=10)
    except Exception as exc:  # the broker being down must not fail a committed request
        log.warning("relay.kick_failed", service=service, error=str(exc))


@signals.before_task_publish.connect
def _carry_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    rid = current_request_id()
    if headers is not None and rid:
        headers["request_id"] = rid


@signals.task_prerun.connect
def _bind_request_id(task: Any = None, **_: Any) -> None:
    rid = None
    if task is not None:
        rid = getattr(task.request, "request_id", None) or (task.request.headers or {}).get(
            "request_id"
        )
    bind_request_id(rid)


@signals.task_postrun.connect
def _clear_request_id(**_: Any) -> None:
    clear_request_id()
