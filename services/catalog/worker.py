"""The catalog service's Celery tasks (queue `catalog`): events, relay, the daily check."""

from __future__ import annotations

import uuid
from datetime import date

from celery.schedules import crontab

from services.catalog.certificates.service import run_certificate_check
from services.catalog.db import SERVICE, kernel
from services.catalog.events import handlers
from shared.tasks import add_periodic_task, celery_app, register_service_tasks, unit_of_work_task

tasks = register_service_tasks(kernel, handlers)

DAILY_CHECK_TASK = f"{SERVICE}.check_certificates"


@celery_app.task(name=DAILY_CHECK_TASK, queue=SERVICE)
def check_certificates(as_of: str | None = None, region_id: str | None = None) -> dict:
    """Daily: hide products whose required certificate lapsed (and show renewed ones),
    warn suppliers 30 and 7 days ahead, expire brand licences past their end date."""
    run = unit_of_work_task(
        kernel,
        lambda session: run_certificate_check(
            session,
            date.fromisoformat(as_of) if as_of else None,
            uuid.UUID(region_id) if region_id else None,
        ),
    )
    return {
        "as_of": run.as_of.isoformat(),
        "held": run.held,
        "released": run.released,
        "warnings": run.warnings,
        "licences_expired": run.licences_expired,
    }


# 00:10 in Asia/Shanghai (beat runs in UTC).
add_periodic_task(f"{SERVICE}-certificates", DAILY_CHECK_TASK, SERVICE, crontab(minute=10, hour=16))

__all__ = ["celery_app", "check_certificates", "tasks"]
