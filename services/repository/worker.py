"""The repository service's Celery tasks (queue `repository`): events, relay, schedules."""

from services.repository.db import kernel
from services.repository.events import handlers
from shared.tasks import celery_app, register_service_tasks

tasks = register_service_tasks(kernel, handlers)

# Scheduled jobs (cut-off consolidation, reservation expiry, closing delivered orders)
# live in their sub-domain's tasks module and are imported here so the worker has them.
from services.repository.orders import tasks as order_tasks  # noqa: E402
from services.repository.purchasing import tasks as purchasing_tasks  # noqa: E402

__all__ = ["celery_app", "order_tasks", "purchasing_tasks", "tasks"]
