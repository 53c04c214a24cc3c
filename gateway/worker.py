"""One Celery worker (and beat) for every service's queue in the all-in-one mode.

`celery -A gateway.worker worker -Q identity,catalog,...` ; per queue in production.
With `COUNTY_EMBEDDED_BEAT=<schedule file>` the worker also runs beat, in a thread of its
own process (`./dev up`: one Python process less, ~130 MB; Celery's `-B` forks a process).
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from celery import signals

from gateway.services import installed_services
from shared.logging import configure_logging
from shared.settings import get_settings
from shared.tasks import celery_app

configure_logging(get_settings().log_level, get_settings().log_json)

for _name in installed_services():
    importlib.import_module(f"services.{_name}.worker")

app = celery_app

_BEAT: list[Any] = []


@signals.worker_ready.connect
def _start_embedded_beat(**_: Any) -> None:
    schedule = os.environ.get("COUNTY_EMBEDDED_BEAT")
    if not schedule or _BEAT:
        return
    from celery.beat import EmbeddedService

    service = EmbeddedService(app, thread=True, schedule_filename=schedule)
    service.start()
    _BEAT.append(service)


@signals.worker_shutdown.connect
def _stop_embedded_beat(**_: Any) -> None:
    while _BEAT:
        _BEAT.pop().stop()
