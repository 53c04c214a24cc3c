"""The insights service's Celery tasks (queue `insights`): events, relay, nightly snapshot."""

from typing import Any

from celery.schedules import crontab

from services.insights import demo
from services.insights.db import kernel
from services.insights.events import handlers
from services.insights.snapshots.service import nightly
from shared.tasks import (
    add_periodic_task,
    celery_app,
    register_service_tasks,
    run_async,
    unit_of_work_task,
)

tasks = register_service_tasks(kernel, handlers)


@celery_app.task(name="insights.nightly_snapshot", queue="insights")
def nightly_snapshot() -> int:
    """Freeze every county's figures of the year (one snapshot per local day)."""
    return unit_of_work_task(kernel, nightly)


@celery_app.task(name=demo.HISTORY_TASK, queue="insights")
def load_demo_history(job: dict[str, Any]) -> int:
    """The Fengqiu demo's history (`services/insights/demo.py`), loaded in the background."""
    return run_async(demo.load_history(job))


# 16:05 UTC is just past midnight in China (UTC+8): the day's figures are complete.
add_periodic_task(
    "insights-nightly-snapshot", "insights.nightly_snapshot", "insights", crontab(minute=5, hour=16)
)

__all__ = ["celery_app", "load_demo_history", "nightly_snapshot", "tasks"]
