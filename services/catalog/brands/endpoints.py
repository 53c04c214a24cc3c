from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, File, Request, Response, UploadFile

from services.catalog.brands import service
from services.catalog.brands.rules import LICENCE_MACHINE
from services.catalog.brands.schemas import (
    Brand,
    BrandCreate,
    BrandUpdate,
    Licence,
    LicenceAction,
    LicenceActionName,
    LicenceCreate,
    LicenceProducts,
    LicenceTransition,
)
from services.catalog.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, etag_response, file_response, service_router

router = service_router(kernel, prefix="/v1/catalog", tags=["catalog-brands"])
BRANDS_QUERY = list_query(service.BRAND_SORT_FIELDS, default="name")
LICENCES_QUERY = list_query(service.LICENCE_SORT_FIELDS, default="created_at")


def brand_out(brand) -> Brand:
    return Brand(
        id=brand.id,
        region_id=brand.region_id,
        name=brand.name,
        story=brand.story,
        categories=brand.categories,
        trademark_classes=brand.trademark_classes,
        vi_assets=brand.vi_assets,
        logo_url=f"/v1/catalog/brands/{brand.id}/logo" if brand.logo_key else None,
    )


def licence_out(licence, history=()) -> Licence:
    return Licence(
        id=licence.id,
        brand_id=licence.brand_id,
        region_id=licence.region_id,
        supplier_id=licence.supplier_id,
        number=licence.number,
        product_ids=licence.product_ids,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=licence.status,
        status_reason=licence.status_reason,
        allowed_actions=[
            a for a in LICENCE_MACHINE.allowed_actions(licence.status) if a != "expire"
        ],
        history=[LicenceTransition.model_validate(t) for t in history],
    )


@router.post("/brands", response_model=Brand, status_code=201, responses={403: {}, 409: {}})
async def create_brand(
    data: BrandCreate, principal: CurrentPrincipal, session: SessionDep
) -> Brand:
    """The region's operator creates its public brand."""
    return brand_out(await service.create_brand(session, principal, data))


@router.get("/brands", response_model=Page[Brand], responses={304: {}, 422: {}})
async def list_brands(
    q: Annotated[ListQuery, Depends(BRANDS_QUERY)],
    region_id: uuid.UUID,
    request: Request,
    session: SessionDep,
) -> Response:
    """A county's public brands, by name (public; ETag)."""
    brands, next_cursor = await service.list_brands(session, region_id, q)
    page = Page[Brand](items=[brand_out(b) for b in brands], next_cursor=next_cursor)
    return etag_response(request, page)


@router.get("/brands/{brand_id}", response_model=Brand, responses={304: {}, 404: {}})
async def get_brand(brand_id: uuid.UUID, request: Request, session: SessionDep) -> Response:
    brand = await service.get_brand(session, brand_id)
    return etag_response(request, brand_out(brand).model_dump(mode="json"))


@router.put("/brands/{brand_id}", response_model=Brand, responses={403: {}, 404: {}, 409: {}})
async def update_brand(
    brand_id: uuid.UUID, data: BrandUpdate, principal: CurrentPrincipal, session: SessionDep
) -> Brand:
    return brand_out(await service.update_brand(session, principal, brand_id, data))


@router.put("/brands/{brand_id}/logo", response_model=Brand, responses={403: {}, 404: {}, 415: {}})
async def upload_logo(
    brand_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="PNG, JPEG or WebP")],
) -> Brand:
    return brand_out(await service.set_logo(session, principal, brand_id, await file.read()))


@router.get(
    "/brands/{brand_id}/logo",
    response_class=Response,
    responses={
        **file_response("image/png", "image/jpeg", "image/webp", description="The logo"),
        404: {},
    },
)
async def get_logo(brand_id: uuid.UUID, session: SessionDep) -> Response:
    content_type, content = await service.logo(session, brand_id)
    return Response(
        content, media_type=content_type, headers={"Cache-Control": "public, max-age=3600"}
    )


@router.post(
    "/brands/{brand_id}/licences",
    response_model=Licence,
    status_code=201,
    responses={403: {}, 404: {}, 422: {}},
)
async def grant_licence(
    brand_id: uuid.UUID, data: LicenceCreate, principal: CurrentPrincipal, session: SessionDep
) -> Licence:
    """License the brand to a supplier for named products and a period.

    A licence whose `valid_until` already passed is created `expired` (renew it to use it).
    While a licence is not active (suspended, expired, revoked) its products **keep
    selling, unbranded**: they lose the brand name in the catalog, search and the
    repository, not their place on sale. Every change is published as
    `catalog.licence.status_changed` for the supplier's notification."""
    licence = await service.grant_licence(session, principal, brand_id, data)
    _, history = await service.get_licence(session, principal, licence.id)
    return licence_out(licence, history)


@router.get("/licences", response_model=Page[Licence], responses={422: {}})
async def list_licences(
    q: Annotated[ListQuery, Depends(LICENCES_QUERY)],
    principal: CurrentPrincipal,
    session: SessionDep,
    brand_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
) -> Page[Licence]:
    """A supplier sees its licences; the operator those of its county (oldest first)."""
    rows, next_cursor = await service.list_licences(session, principal, brand_id, supplier_id, q)
    return Page[Licence](items=[licence_out(lic) for lic in rows], next_cursor=next_cursor)


@router.get("/licences/{licence_id}", response_model=Licence, responses={404: {}})
async def get_licence(
    licence_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Licence:
    licence, history = await service.get_licence(session, principal, licence_id)
    return licence_out(licence, history)


@router.put(
    "/licences/{licence_id}/products", response_model=Licence, responses={403: {}, 404: {}, 422: {}}
)
async def set_licence_products(
    licence_id: uuid.UUID, data: LicenceProducts, principal: CurrentPrincipal, session: SessionDep
) -> Licence:
    licence = await service.set_licence_products(session, principal, licence_id, data.product_ids)
    _, history = await service.get_licence(session, principal, licence.id)
    return licence_out(licence, history)


@router.post(
    "/licences/{licence_id}/{action}",
    response_model=Licence,
    responses={403: {}, 404: {}, 409: {}, 422: {}},
)
async def licence_action(
    licence_id: uuid.UUID,
    action: LicenceActionName,
    principal: CurrentPrincipal,
    session: SessionDep,
    data: LicenceAction | None = None,
) -> Licence:
    """suspend / reinstate / revoke / renew (with a new valid_until)."""
    data = data or LicenceAction()
    licence = await service.licence_action(
        session, principal, licence_id, action, data.reason, data.valid_until
    )
    _, history = await service.get_licence(session, principal, licence.id)
    return licence_out(licence, history)
