"""The repository service as its own FastAPI app (one process per service mode)."""

from fastapi import FastAPI

from services.repository.board.endpoints import router as board_router
from services.repository.buyers.endpoints import router as buyers_router
from services.repository.consignment.endpoints import router as consignment_router
from services.repository.directory.endpoints import router as regions_router
from services.repository.inventory.endpoints import router as inventory_router
from services.repository.offers.endpoints import router as offers_router
from services.repository.orders.endpoints import router as orders_router
from services.repository.purchasing.endpoints import router as purchasing_router
from shared.web import create_app, lazy_app

SERVICE = "repository"
routers = [
    regions_router,
    offers_router,
    buyers_router,
    inventory_router,
    orders_router,
    purchasing_router,
    board_router,
    consignment_router,
]


def __getattr__(name: str) -> FastAPI:
    """`app`, built on first use: the all-in-one gateway imports only `routers`."""
    return lazy_app(globals(), name, lambda: create_app("Repository service", routers, [SERVICE]))
