"""The identity service's Celery tasks (queue `identity`)."""

from services.identity.db import kernel
from services.identity.events import handlers
from shared.tasks import celery_app, register_service_tasks

tasks = register_service_tasks(kernel, handlers)

__all__ = ["celery_app", "tasks"]
