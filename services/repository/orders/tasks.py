"""Scheduled jobs of bulk orders (queue `repository`): expire unpaid holds, close orders."""

from services.repository.db import kernel
from services.repository.orders import service
from shared.tasks import add_periodic_task, celery_app, unit_of_work_task

EXPIRE_TASK = "repository.expire_unpaid_orders"
CLOSE_TASK = "repository.close_delivered_orders"


@celery_app.task(name=EXPIRE_TASK, queue="repository")
def expire_unpaid_orders() -> int:
    return unit_of_work_task(kernel, service.expire_unpaid_orders)


@celery_app.task(name=CLOSE_TASK, queue="repository")
def close_delivered_orders() -> int:
    return unit_of_work_task(kernel, service.close_delivered_orders)


add_periodic_task("repository-expire-unpaid-orders", EXPIRE_TASK, "repository", 60.0)
add_periodic_task("repository-close-delivered-orders", CLOSE_TASK, "repository", 60.0)
