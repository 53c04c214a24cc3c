"""The livestream service as its own FastAPI app (one process per service mode)."""

from fastapi import FastAPI

from services.livestream.consignment.endpoints import router as consignment_router
from services.livestream.figures.endpoints import router as figures_router
from services.livestream.plans.endpoints import router as plans_router
from services.livestream.pool.endpoints import router as pool_router
from services.livestream.rooms.endpoints import router as rooms_router
from services.livestream.samples.endpoints import router as samples_router
from services.livestream.sessions.endpoints import router as sessions_router
from services.livestream.settlement.endpoints import router as sales_router
from services.livestream.statements.endpoints import router as statements_router
from services.livestream.streamers.endpoints import router as streamers_router
from shared.web import create_app, lazy_app

SERVICE = "livestream"
# Fixed paths (/plans/best, /sessions/live-count) come before /{id} in their routers.
routers = [
    streamers_router,
    rooms_router,
    sessions_router,
    pool_router,
    plans_router,
    samples_router,
    sales_router,
    statements_router,
    figures_router,
    consignment_router,
]


def __getattr__(name: str) -> FastAPI:
    """`app`, built on first use: the all-in-one gateway imports only `routers`."""
    return lazy_app(globals(), name, lambda: create_app("Livestream service", routers, [SERVICE]))
