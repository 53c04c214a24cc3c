"""The suppliers service's Celery tasks (queue `suppliers`): events, relay, the expiry job."""

from __future__ import annotations

import uuid
from datetime import date

from celery.schedules import crontab

from services.suppliers.db import SERVICE, kernel
from services.suppliers.events import handlers
from services.suppliers.expiry.service import run_expiry_check
from shared.tasks import add_periodic_task, celery_app, register_service_tasks, unit_of_work_task

tasks = register_service_tasks(kernel, handlers)

EXPIRY_TASK = f"{SERVICE}.check_document_expiry"


@celery_app.task(name=EXPIRY_TASK, queue=SERVICE)
def check_document_expiry(as_of: str | None = None, region_id: str | None = None) -> dict:
    """Daily: warn of documents expiring in 30/7 days; suspend suppliers whose required one lapsed.

    `as_of` (ISO date) and `region_id` narrow a manual run; beat runs it for today, everywhere.
    """
    run = unit_of_work_task(
        kernel,
        lambda session: run_expiry_check(
            session,
            date.fromisoformat(as_of) if as_of else None,
            uuid.UUID(region_id) if region_id else None,
        ),
    )
    return {"as_of": run.as_of.isoformat(), "warnings": run.warnings, "suspended": run.suspended}


# Hourly: each region is checked on its own local date, so every county's day turn is
# caught within the hour (notifications and suspensions happen once however often it runs).
add_periodic_task(f"{SERVICE}-document-expiry", EXPIRY_TASK, SERVICE, crontab(minute=30))

__all__ = ["celery_app", "check_document_expiry", "tasks"]
