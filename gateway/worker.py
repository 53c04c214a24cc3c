"""One Celery worker (and beat) for every service's queue in the all-in-one mode.

`celery -A gateway.worker worker -Q identity,catalog,...` ; per queue in production.
"""

from __future__ import annotations

import importlib

from gateway.services import installed_services
from shared.logging import configure_logging
from shared.settings import get_settings
from shared.tasks import celery_app

configure_logging(get_settings().log_level, get_settings().log_json)

for _name in installed_services():
    importlib.import_module(f"services.{_name}.worker")

app = celery_app
