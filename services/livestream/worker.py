"""The livestream service's Celery tasks (queue `livestream`): events, the outbox relay and
the periodic jobs (sample expiry, overdue samples, plan cuts reaching local midnight,
sale lines past their return window)."""

from __future__ import annotations

import uuid
from datetime import datetime

from celery.schedules import crontab

from services.livestream.db import SERVICE, kernel
from services.livestream.events import handlers
from services.livestream.plans.service import refresh_open_rates
from services.livestream.samples.service import expire_requests, mark_overdue
from services.livestream.settlement.service import settle_due
from shared.tasks import add_periodic_task, celery_app, register_service_tasks, unit_of_work_task

tasks = register_service_tasks(kernel, handlers)

EXPIRE_SAMPLES_TASK = f"{SERVICE}.expire_samples"
OVERDUE_SAMPLES_TASK = f"{SERVICE}.overdue_samples"
OPEN_RATES_TASK = f"{SERVICE}.refresh_open_rates"
SETTLE_LINES_TASK = f"{SERVICE}.settle_lines"


def _as_of(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _region(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


@celery_app.task(name=EXPIRE_SAMPLES_TASK, queue=SERVICE)
def expire_samples(as_of: str | None = None, region_id: str | None = None) -> int:
    """Requests the supplier left undecided for 7 days expire."""
    return unit_of_work_task(
        kernel, lambda session: expire_requests(session, _as_of(as_of), _region(region_id))
    )


@celery_app.task(name=OVERDUE_SAMPLES_TASK, queue=SERVICE)
def overdue_samples(as_of: str | None = None, region_id: str | None = None) -> int:
    """Samples received 14 days ago and not featured live become overdue."""
    return unit_of_work_task(
        kernel, lambda session: mark_overdue(session, _as_of(as_of), _region(region_id))
    )


@celery_app.task(name=OPEN_RATES_TASK, queue=SERVICE)
def open_rates(as_of: str | None = None) -> int:
    """Open-plan cuts that reached local midnight show in the pool's commission sort."""
    return unit_of_work_task(kernel, lambda session: refresh_open_rates(session, _as_of(as_of)))


@celery_app.task(name=SETTLE_LINES_TASK, queue=SERVICE)
def settle_lines(as_of: str | None = None, region_id: str | None = None) -> int:
    """Sale lines past their platform's return window: the commission becomes real."""
    return unit_of_work_task(
        kernel, lambda session: settle_due(session, _as_of(as_of), _region(region_id))
    )


add_periodic_task(f"{SERVICE}-expire-samples", EXPIRE_SAMPLES_TASK, SERVICE, crontab(minute=5))
add_periodic_task(f"{SERVICE}-overdue-samples", OVERDUE_SAMPLES_TASK, SERVICE, crontab(minute=15))
add_periodic_task(f"{SERVICE}-open-rates", OPEN_RATES_TASK, SERVICE, crontab(minute="*/5"))
add_periodic_task(f"{SERVICE}-settle-lines", SETTLE_LINES_TASK, SERVICE, crontab(minute=25))

__all__ = [
    "celery_app",
    "expire_samples",
    "open_rates",
    "overdue_samples",
    "settle_lines",
    "tasks",
]
