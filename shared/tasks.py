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
from celery import Celery, signals
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import ServiceKernel, sessionmaker_for
from shared.events import EventHandlers, consume_event, relay_outbox, replay_outbox
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


def register_service_tasks(
    kernel: ServiceKernel,
    handlers: EventHandlers,
    *,
    relay_every_seconds: float = 5.0,
) -> dict[str, Any]:
    """The two tasks every service has: relay its outbox, and consume events sent to it."""
    name = kernel.name

    async def relay_now() -> int:
        return await relay_outbox(sessionmaker_for(kernel), send_task)

    async def consume(payload: dict[str, Any]) -> bool:
        return await consume_event(sessionmaker_for(kernel), handlers, payload)

    @celery_app.task(name=f"{name}.relay_outbox", queue=name)
    def relay() -> int:
        return run_async(relay_now())

    @celery_app.task(name=f"{name}.replay_outbox", queue=name)
    def replay(payload: dict[str, Any]) -> int:
        """Send this service's stored events again to one subscriber (it rebuilds)."""
        return run_async(
            replay_outbox(sessionmaker_for(kernel), send_task, str(payload["subscriber"]))
        )

    @celery_app.task(
        name=f"{name}.handle_event",
        queue=name,
        autoretry_for=(Exception,),
        retry_backoff=True,
        retry_backoff_max=60,
        max_retries=10,
    )
    def handle_event(payload: dict[str, Any]) -> bool:
        bind_request_id(payload.get("request_id"))
        return run_async(consume(payload))

    celery_app.conf.beat_schedule = {
        **(celery_app.conf.beat_schedule or {}),
        f"{name}-relay-outbox": {
            "task": f"{name}.relay_outbox",
            "schedule": relay_every_seconds,
            "options": {"queue": name, "expires": 10},
        },
    }
    return {"relay": relay, "replay": replay, "handle_event": handle_event}


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
