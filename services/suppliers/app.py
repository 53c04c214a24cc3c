"""The suppliers service as its own FastAPI app (one process per service mode)."""

from fastapi import FastAPI

from services.suppliers.applications.endpoints import profiles as profiles_router
from services.suppliers.applications.endpoints import router as applications_router
from services.suppliers.documents.endpoints import router as documents_router
from services.suppliers.expiry.endpoints import jobs as jobs_router
from services.suppliers.expiry.endpoints import router as notifications_router
from services.suppliers.households.endpoints import router as households_router
from services.suppliers.payouts.endpoints import router as payouts_router
from services.suppliers.register.endpoints import router as register_router
from shared.web import create_app, lazy_app

SERVICE = "suppliers"
# Fixed paths (/register.xlsx, /profiles) come before /{supplier_id}.
routers = [
    register_router,
    jobs_router,
    profiles_router,
    applications_router,
    documents_router,
    payouts_router,
    notifications_router,
    households_router,
]


def __getattr__(name: str) -> FastAPI:
    """`app`, built on first use: the all-in-one gateway imports only `routers`."""
    return lazy_app(globals(), name, lambda: create_app("Suppliers service", routers, [SERVICE]))
