from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import (
    APIRouter,
    Depends,
    FastAPI,
    File,
    Form,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from services.catalog.db import kernel
from services.catalog.products import importer, service
from services.catalog.products.rules import SORT_FIELDS
from services.catalog.products.schemas import (
    PUBLIC_DEFAULT_SORT,
    HistoryEntry,
    ManagedProduct,
    ManagedProductPage,
    ProductCreate,
    ProductImportReport,
    ProductPage,
    ProductUpdate,
    PublicListQuery,
    ReviewAction,
)
from services.catalog.products.schemas import Product as ProductOut
from services.catalog.products.service import ProductFilters
from services.catalog.products.views import managed_product
from shared.auth.dependencies import CurrentPrincipal, OptionalPrincipal
from shared.pagination import ListQuery, list_query, parse_sort_field
from shared.web import SessionDep, download, etag_body_response, file_response, service_router

public = service_router(kernel, prefix="/v1/catalog", tags=["catalog-products"])
# The hottest public reads open no session (no unit of work): the read pool, one statement.
public_reads = APIRouter(prefix="/v1/catalog", tags=["catalog-products"])
manage = service_router(kernel, prefix="/v1/catalog/manage", tags=["catalog-manage"])

ManagedListQuery = list_query(SORT_FIELDS, "-updated_at")
Action = Literal["submit", "withdraw", "revise", "approve", "reject", "request-changes"]


async def _names(session, products) -> dict[uuid.UUID, str]:
    return await service.supplier_names(session, products)


def _documented_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The OpenAPI parameters FastAPI writes for `model` taken as query parameters."""

    async def route(query: Any) -> None:
        pass

    route.__annotations__["query"] = Annotated[model, Query()]  # (this module's are strings)
    probe = FastAPI()
    probe.get("/")(route)
    return probe.openapi()["paths"]["/"]["get"]["parameters"]


def _public_list_query(request: Request) -> PublicListQuery:
    """The query parameters in one pydantic call; the same 422 FastAPI would answer."""
    try:
        return PublicListQuery.model_validate(request.query_params)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("query", *error["loc"])} for error in exc.errors()]
        ) from None


@public_reads.get(
    "/products",
    response_model=ProductPage,
    responses={304: {}, 422: {"description": "Validation Error"}},
    # parsed by `_public_list_query`, documented as FastAPI would document them
    openapi_extra={"parameters": _documented_parameters(PublicListQuery)},
)
async def list_products(request: Request) -> Response:
    """Products on sale in a county (public; ETag)."""
    query = _public_list_query(request)
    filters = ProductFilters(
        region_id=query.region_id,
        category=query.category,
        township=query.township,
        grade=query.grade,
        channel=query.channel,
        brand_id=query.brand_id,
        branded=query.branded,
        supplier_id=query.supplier_id,
    )
    sort = parse_sort_field(query.sort, SORT_FIELDS, PUBLIC_DEFAULT_SORT)
    body, tag = await service.public_page(filters, sort, query.cursor or None, query.limit)
    return etag_body_response(request, body, tag=tag)


@public_reads.get("/products/{product_id}", response_model=ProductOut, responses={304: {}, 404: {}})
async def get_product(product_id: uuid.UUID, request: Request) -> Response:
    """A product on sale (public; ETag). Unlisted products answer 404."""
    body, tag = await service.public_detail(product_id)
    return etag_body_response(request, body, tag=tag)


@public.get(
    "/images/{image_id}",
    response_class=Response,
    responses={
        **file_response("image/png", "image/jpeg", "image/webp", description="The image"),
        404: {},
    },
)
async def get_image(
    image_id: uuid.UUID,
    principal: OptionalPrincipal,
    session: SessionDep,
    size: Literal["original", "thumbnail"] = "original",
) -> Response:
    image, content = await service.image_file(session, principal, image_id, size == "thumbnail")
    media_type = "image/jpeg" if size == "thumbnail" else image.content_type
    return Response(
        content,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@manage.get(
    "/products/import/template.{fmt}",
    response_class=Response,
    responses=file_response(
        *TEMPLATE_TYPES.values(),
        description="The header row (every column) and an example product of two variants",
    ),
)
async def import_template(
    fmt: Literal["csv", "xlsx"],
    lang: Annotated[Literal["en", "zh"], Query(description="Header names: en or zh")] = "en",
) -> Response:
    """The import template (public): one column per field, English or Chinese headers; any
    other column is refused by the import."""
    make = importer.template_csv if fmt == "csv" else importer.template_xlsx
    return download(
        make(chinese=lang == "zh"),
        TEMPLATE_TYPES[fmt],
        f"catalog-import-template-{lang}.{fmt}",
        cache="public, max-age=3600",
    )


@manage.post(
    "/products/import",
    response_model=ProductImportReport,
    status_code=201,
    responses={409: {}, 415: {}, 422: {"model": ProductImportReport}},
)
async def import_products(
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8) or XLSX, one row per variant")],
    supplier_id: Annotated[uuid.UUID | None, Form()] = None,
    dry_run: Annotated[bool, Form()] = False,
) -> ProductImportReport:
    """Import draft products in one go: every row is checked, nothing is half-imported."""
    unknown = sorted(set((await request.form()).keys()) - {"file", "supplier_id", "dry_run"})
    if unknown:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", n),
                    "msg": "Extra inputs are not permitted",
                    "type": "extra_forbidden",
                }
                for n in unknown
            ]
        )
    content = await file.read(importer.MAX_BYTES + 1)
    return await importer.import_products(
        session, principal, supplier_id, content, file.filename, dry_run=dry_run
    )


@manage.post("/products", response_model=ManagedProduct, status_code=201, responses={409: {}})
async def create_product(
    data: ProductCreate, principal: CurrentPrincipal, session: SessionDep
) -> ManagedProduct:
    """A supplier drafts a product with its variants."""
    product = await service.create_product(session, principal, data)
    return managed_product(product, (await _names(session, [product])).get(product.supplier_id))


@manage.get("/products", response_model=ManagedProductPage)
async def list_my_products(
    principal: CurrentPrincipal,
    session: SessionDep,
    region_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
    status: str | None = Query(None, description="draft, submitted, approved, rejected, ..."),
    category: str | None = None,
    page: ListQuery = Depends(ManagedListQuery),
) -> ManagedProductPage:
    """Suppliers see their own products; an operator sees its county's (the review queue)."""
    filters = ProductFilters(
        region_id=region_id, supplier_id=supplier_id, status=status, category=category
    )
    rows, next_cursor = await service.list_for_caller(
        session, principal, filters, page.sort, page.cursor, page.limit
    )
    names = await _names(session, rows)
    return ManagedProductPage(
        items=[managed_product(p, names.get(p.supplier_id)) for p in rows],
        next_cursor=next_cursor,
    )


@manage.get("/products/{product_id}", response_model=ManagedProduct, responses={404: {}})
async def get_my_product(
    product_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> ManagedProduct:
    product = await service.get_for_caller(session, principal, product_id)
    return managed_product(product, (await _names(session, [product])).get(product.supplier_id))


@manage.put("/products/{product_id}", response_model=ManagedProduct, responses={404: {}, 409: {}})
async def update_product(
    product_id: uuid.UUID, data: ProductUpdate, principal: CurrentPrincipal, session: SessionDep
) -> ManagedProduct:
    """Replace the editable content; a changed approved product goes back to draft."""
    product = await service.update_product(session, principal, product_id, data)
    return managed_product(product, (await _names(session, [product])).get(product.supplier_id))


@manage.post(
    "/products/{product_id}/images",
    response_model=ManagedProduct,
    status_code=201,
    responses={404: {}, 409: {}, 413: {}, 415: {}},
)
async def upload_image(
    product_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="PNG, JPEG or WebP; a thumbnail is made")],
) -> ManagedProduct:
    await service.add_image(session, principal, product_id, await file.read())
    product = await service.get_for_caller(session, principal, product_id)
    return managed_product(product, (await _names(session, [product])).get(product.supplier_id))


@manage.post(
    "/products/{product_id}/review/{action}",
    response_model=ManagedProduct,
    responses={403: {}, 404: {}, 409: {}, 422: {}},
)
async def review_product(
    product_id: uuid.UUID,
    action: Action,
    principal: CurrentPrincipal,
    session: SessionDep,
    data: ReviewAction | None = None,
) -> ManagedProduct:
    """submit / withdraw / revise (supplier); approve / reject / request-changes (operator)."""
    reasons = data.reasons if data else []
    product = await service.transition(
        session, principal, product_id, action.replace("-", "_"), reasons
    )
    return managed_product(product, (await _names(session, [product])).get(product.supplier_id))


@manage.get(
    "/products/{product_id}/history", response_model=list[HistoryEntry], responses={404: {}}
)
async def product_history(
    product_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> list[HistoryEntry]:
    """Every change and review step, oldest first."""
    rows = await service.history(session, principal, product_id)
    return [HistoryEntry.model_validate(r) for r in rows]
