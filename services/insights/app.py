"""The insights service as its own FastAPI app (one process per service mode)."""

from fastapi import FastAPI

from services.insights.figures.endpoints import router as figures_router
from services.insights.records.endpoints import router as records_router
from services.insights.snapshots.endpoints import router as snapshots_router
from shared.web import create_app, lazy_app

SERVICE = "insights"
routers = [figures_router, records_router, snapshots_router]


def __getattr__(name: str) -> FastAPI:
    """`app`, built on first use: the all-in-one gateway imports only `routers`."""
    return lazy_app(globals(), name, lambda: create_app("Insights service", routers, [SERVICE]))
