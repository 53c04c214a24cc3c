"""The delivery service as its own FastAPI app (one process per service mode)."""

from fastapi import FastAPI

from services.delivery.carriers.endpoints import router as carriers_router
from services.delivery.figures.endpoints import router as figures_router
from services.delivery.network.endpoints import router as network_router
from services.delivery.runs.endpoints import router as runs_router
from services.delivery.runs.endpoints import stations as stations_router
from services.delivery.runs.endpoints import tracking as tracking_router
from services.delivery.samples.endpoints import router as samples_router
from services.delivery.trips.endpoints import router as trips_router
from shared.web import create_app, lazy_app

SERVICE = "delivery"
# Fixed paths (/runs/ad-hoc, /runs/mine) come before /runs/{run_id}.
routers = [
    network_router,
    trips_router,
    runs_router,
    stations_router,
    carriers_router,
    samples_router,
    figures_router,
    tracking_router,
]


def __getattr__(name: str) -> FastAPI:
    """`app`, built on first use: the all-in-one gateway imports only `routers`."""
    return lazy_app(globals(), name, lambda: create_app("Delivery service", routers, [SERVICE]))
