"""The identity service as its own FastAPI app (one process per service mode)."""

from fastapi import FastAPI

from services.identity.auth.endpoints import router as auth_router
from services.identity.notifications.endpoints import router as notifications_router
from services.identity.organisations.endpoints import router as organisations_router
from services.identity.regions.endpoints import router as regions_router
from services.identity.users.endpoints import router as users_router
from shared.web import create_app, lazy_app

SERVICE = "identity"
routers = [auth_router, regions_router, organisations_router, users_router, notifications_router]


def __getattr__(name: str) -> FastAPI:
    """`app`, built on first use: the all-in-one gateway imports only `routers`."""
    return lazy_app(globals(), name, lambda: create_app("Identity service", routers, [SERVICE]))
