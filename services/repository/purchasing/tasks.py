"""Scheduled jobs of centralized purchasing (queue `repository`).

Every few minutes beat finds the windows whose cut-off has passed with work left and
queues `repository.consolidate_window` for each. That job runs the steps of
purchasing/consolidation.py each in its own transaction (a crash loses only the step in
flight; the next run finishes the rest) while one connection holds the window's
advisory lock, so two runs never work on the same window at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.db import kernel
from services.repository.purchasing import consolidation, repository
from shared.db import get_engine, sessionmaker_for
from shared.settings import get_settings
from shared.tasks import add_periodic_task, celery_app, kick_relay, run_async, unit_of_work_task

T = TypeVar("T")

CONSOLIDATE_WINDOW = "repository.consolidate_window"
CONSOLIDATE_DUE = "repository.consolidate_due_windows"
DUE_CHECK_SECONDS = 120.0


async def in_own_transaction(step: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One step, one unit of work: commit when it returns, roll back if it raises."""
    async with sessionmaker_for(kernel)() as session:
        result = await step(session)
        await session.commit()
    if session.info.get("outbox_dirty"):
        kick_relay(kernel.name)
    return result


async def run_window(region_id: uuid.UUID, window_date: date) -> dict[str, Any]:
    """Consolidate one window step by step; {"status": "busy"} if another run holds it."""
    key = repository.window_lock_key(region_id, window_date)
    engine = get_engine(get_settings().database_url_for(kernel.name))
    async with engine.connect() as lock_holder:
        if not await repository.try_lock_window(lock_holder, key):
            return {"status": "busy"}
        try:
            return await _steps(region_id, window_date)
        finally:
            await repository.unlock_window(lock_holder, key)
            await lock_holder.commit()


async def _steps(region_id: uuid.UUID, window_date: date) -> dict[str, Any]:
    start = await in_own_transaction(lambda s: consolidation.open_run(s, region_id, window_date))
    for batch in start.order_batches:

        async def orders_step(s: AsyncSession, batch: list[uuid.UUID] = batch) -> int:
            return await consolidation.consolidate_batch(s, region_id, window_date, batch)

        await in_own_transaction(orders_step)
    suppliers = await in_own_transaction(
        lambda s: consolidation.start_suppliers(s, region_id, window_date)
    )
    size = consolidation.SUPPLIER_BATCH
    for group in [suppliers[i : i + size] for i in range(0, len(suppliers), size)]:

        async def suppliers_step(
            s: AsyncSession, group: list[uuid.UUID] = group
        ) -> list[consolidation.SupplierResult]:
            return await consolidation.purchase_counted(s, region_id, window_date, group)

        await in_own_transaction(suppliers_step)
    run = await in_own_transaction(lambda s: consolidation.close_run(s, region_id, window_date))
    return {
        "status": run.status,
        "attempt": run.attempts,
        "orders": run.orders,
        "lines": run.lines,
        "purchase_orders": run.purchase_orders,
    }


@celery_app.task(name=CONSOLIDATE_WINDOW, queue=kernel.name)
def consolidate_window(region_id: str, window_date: str) -> dict[str, Any]:
    return run_async(run_window(uuid.UUID(region_id), date.fromisoformat(window_date)))


def queue_window(region_id: uuid.UUID, window_date: date) -> None:
    """Ask the worker to consolidate the window (sent after the request committed)."""
    consolidate_window.apply_async(
        args=[str(region_id), window_date.isoformat()], queue=kernel.name
    )


@celery_app.task(name=CONSOLIDATE_DUE, queue=kernel.name)
def consolidate_due_windows() -> int:
    """Queue a consolidation for every closed window with work left (nothing committed
    here, so queuing before any commit cannot announce work that never happened)."""
    due = unit_of_work_task(kernel, consolidation.due_windows)
    for region_id, window_date in due:
        consolidate_window.apply_async(
            args=[str(region_id), window_date.isoformat()], queue=kernel.name
        )
    return len(due)


add_periodic_task(
    "repository-consolidate-due-windows", CONSOLIDATE_DUE, kernel.name, DUE_CHECK_SECONDS
)
