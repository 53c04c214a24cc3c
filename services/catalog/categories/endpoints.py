from __future__ import annotations

import uuid
from typing import Literal

from fastapi import Query, Request, Response

from services.catalog.categories import service
from services.catalog.categories.rules import CATEGORY_MACHINE
from services.catalog.categories.schemas import (
    Category,
    CategoryAction,
    CategoryActionName,
    CategoryChange,
    CategoryCreate,
    CategoryUpdate,
    ManagedCategory,
)
from services.catalog.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, etag_response, service_router

public = service_router(kernel, prefix="/v1/catalog", tags=["catalog-categories"])
manage = service_router(kernel, prefix="/v1/catalog/manage", tags=["catalog-categories"])


def managed_out(detail: service.CategoryDetail) -> ManagedCategory:
    category = detail.category
    return ManagedCategory(
        id=category.id,
        region_id=category.region_id,
        name=category.name,
        position=category.position,
        products=detail.products,
        status=category.status,
        allowed_actions=CATEGORY_MACHINE.allowed_actions(category.status),
        created_at=category.created_at,
        updated_at=category.updated_at,
        history=[CategoryChange.model_validate(h) for h in detail.history],
    )


# An array, not a page: a county's category list is short by nature (the operator's own
# ordered list for the apps' filter, tens of entries) and the apps draw it whole.
@public.get("/categories", response_model=list[Category], responses={304: {}})
async def list_categories(region_id: uuid.UUID, request: Request, session: SessionDep) -> Response:
    """A county's active categories for the apps' filter, in the operator's order (ETag)."""
    rows, counts = await service.public_categories(session, region_id)
    body = [
        Category(
            id=c.id,
            region_id=c.region_id,
            name=c.name,
            position=c.position,
            products=counts.get(c.name, 0),
        ).model_dump(mode="json")
        for c in rows
    ]
    return etag_response(request, body)


# An array for the same reason as the public list: the county's few categories, with the
# retired ones, reordered as a whole by `position`.
@manage.get("/categories", response_model=list[ManagedCategory], responses={403: {}})
async def list_managed_categories(
    region_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    status: Literal["active", "retired"] | None = Query(None),
) -> list[ManagedCategory]:
    """Every category of the county, retired ones included (the operator's view)."""
    rows, counts = await service.managed_categories(session, principal, region_id, status)
    return [managed_out(service.CategoryDetail(c, [], counts.get(c.name, 0))) for c in rows]


@manage.post(
    "/categories",
    response_model=ManagedCategory,
    status_code=201,
    responses={403: {}, 409: {}},
)
async def create_category(
    data: CategoryCreate, principal: CurrentPrincipal, session: SessionDep
) -> ManagedCategory:
    """The operator adds a category to the county's list."""
    return managed_out(await service.create_category(session, principal, data))


@manage.get(
    "/categories/{category_id}", response_model=ManagedCategory, responses={403: {}, 404: {}}
)
async def get_category(
    category_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> ManagedCategory:
    return managed_out(await service.get_category(session, principal, category_id))


@manage.put(
    "/categories/{category_id}",
    response_model=ManagedCategory,
    responses={403: {}, 404: {}, 409: {}},
)
async def update_category(
    category_id: uuid.UUID, data: CategoryUpdate, principal: CurrentPrincipal, session: SessionDep
) -> ManagedCategory:
    """Rename (products and brands follow) or reorder a category."""
    return managed_out(await service.update_category(session, principal, category_id, data))


@manage.post(
    "/categories/{category_id}/{action}",
    response_model=ManagedCategory,
    responses={403: {}, 404: {}, 409: {}},
)
async def category_action(
    category_id: uuid.UUID,
    action: CategoryActionName,
    principal: CurrentPrincipal,
    session: SessionDep,
    data: CategoryAction | None = None,
) -> ManagedCategory:
    """retire (no new products or brands may take it) / reinstate."""
    reason = data.reason if data else None
    return managed_out(
        await service.category_action(session, principal, category_id, action, reason)
    )
