"""The payments service as its own FastAPI app (one process per service mode)."""

from fastapi import FastAPI

from services.payments.commissions.endpoints import router as commissions_router
from services.payments.intents.endpoints import router as intents_router
from services.payments.ledger.endpoints import router as ledger_router
from services.payments.receipts.endpoints import router as receipts_router
from services.payments.refunds.endpoints import router as refunds_router
from services.payments.settlement.endpoints import router as settlement_router
from services.payments.statements.endpoints import router as statements_router
from shared.web import create_app, lazy_app

SERVICE = "payments"
routers = [
    intents_router,
    settlement_router,
    ledger_router,
    statements_router,
    receipts_router,
    refunds_router,
    commissions_router,
]


def __getattr__(name: str) -> FastAPI:
    """`app`, built on first use: the all-in-one gateway imports only `routers`."""
    return lazy_app(globals(), name, lambda: create_app("Payments service", routers, [SERVICE]))
