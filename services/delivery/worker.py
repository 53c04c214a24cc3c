"""The delivery service's Celery tasks (queue `delivery`): events and the outbox relay."""

from services.delivery.db import kernel
from services.delivery.events import handlers
from shared.tasks import celery_app, register_service_tasks

tasks = register_service_tasks(kernel, handlers)

__all__ = ["celery_app", "tasks"]
