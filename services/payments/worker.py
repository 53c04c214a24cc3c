"""The payments service's Celery tasks (queue `payments`)."""

from services.payments.db import kernel
from services.payments.events import handlers
from services.payments.intents import service
from services.payments.ledger import reconcile
from services.payments.settlement import service as settlement
from shared.tasks import add_periodic_task, celery_app, register_service_tasks, unit_of_work_task

tasks = register_service_tasks(kernel, handlers)


@celery_app.task(name="payments.retry_pending_intents", queue="payments")
def retry_pending_intents() -> int:
    return unit_of_work_task(kernel, service.retry_pending_intents)


add_periodic_task(
    "payments-retry-pending-intents", "payments.retry_pending_intents", "payments", 30.0
)


@celery_app.task(name="payments.retry_pending_refunds", queue="payments")
def retry_pending_refunds() -> int:
    return unit_of_work_task(kernel, settlement.retry_pending_refunds)


add_periodic_task(
    "payments-retry-pending-refunds", "payments.retry_pending_refunds", "payments", 60.0
)


@celery_app.task(name="payments.reconcile_stripe", queue="payments")
def reconcile_stripe() -> dict:
    return unit_of_work_task(kernel, reconcile.reconcile_stripe)


add_periodic_task("payments-reconcile-stripe", "payments.reconcile_stripe", "payments", 86400.0)

__all__ = ["celery_app", "tasks"]
