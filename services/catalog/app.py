"""The catalog service as its own FastAPI app (one process per service mode)."""

from fastapi import FastAPI

from services.catalog.brands.endpoints import router as brands_router
from services.catalog.categories.endpoints import manage as manage_categories_router
from services.catalog.categories.endpoints import public as categories_router
from services.catalog.certificates.endpoints import router as certificates_router
from services.catalog.products.endpoints import manage as manage_products_router
from services.catalog.products.endpoints import public as products_router
from services.catalog.products.endpoints import public_reads as product_reads_router
from services.catalog.search.endpoints import router as search_router
from services.catalog.trace.endpoints import manage as lots_router
from services.catalog.trace.endpoints import public as trace_router
from shared.web import create_app, lazy_app

SERVICE = "catalog"
# The public reads first: FastAPI matches a path against the routes in order.
routers = [
    product_reads_router,
    search_router,
    brands_router,
    categories_router,
    manage_categories_router,
    products_router,
    manage_products_router,
    certificates_router,
    lots_router,
    trace_router,
]


def __getattr__(name: str) -> FastAPI:
    """`app`, built on first use: the all-in-one gateway imports only `routers`."""
    return lazy_app(globals(), name, lambda: create_app("Catalog service", routers, [SERVICE]))
