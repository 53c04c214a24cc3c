from __future__ import annotations

import uuid
from typing import Annotated, Literal, cast

from fastapi import Depends, Query, Request, Response

from services.suppliers.applications import service, views
from services.suppliers.applications.schemas import (
    ChangesRequest,
    Decision,
    QueueItem,
    Status,
    Supplier,
    SupplierCreate,
    SupplierForOperator,
    SupplierKind,
    SupplierProfile,
    SupplierUpdate,
    Transition,
    TransitionList,
)
from services.suppliers.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, etag_response, service_router

router = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-applications"])
profiles = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-profiles"])
PROFILES_QUERY = list_query(service.LIST_SORT, default="legal_name", default_limit=50)
SUPPLIERS_QUERY = list_query(service.LIST_SORT, default="-created_at", default_limit=50)
QUEUE_SORT_QUERY = list_query(service.QUEUE_SORT, default="submitted_at", default_limit=50)

AnyView = SupplierForOperator | Supplier


def _view(principal, supplier) -> AnyView:
    if service.is_operator_for(principal, supplier):
        return views.for_operator(supplier)
    return views.for_supplier(supplier)


# ------------------------------------------------------------------ public profiles


@profiles.get("/profiles", response_model=Page[SupplierProfile])
async def list_profiles(
    q: Annotated[ListQuery, Depends(PROFILES_QUERY)],
    session: SessionDep,
    region_id: uuid.UUID,
) -> Page[SupplierProfile]:
    """Approved suppliers of a county, for buyers and streamers choosing goods (public fields)."""
    rows, next_cursor = await service.public_profiles(
        session,
        region_id,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    return Page[SupplierProfile](items=[views.public(s, []) for s in rows], next_cursor=next_cursor)


@profiles.get(
    "/profiles/{supplier_id}", response_model=SupplierProfile, responses={304: {}, 404: {}}
)
async def get_profile(supplier_id: uuid.UUID, request: Request, session: SessionDep) -> Response:
    """A supplier's public profile: name, place, products, capacity, public qualifications."""
    supplier, documents = await service.public_profile(session, supplier_id)
    return etag_response(request, views.public(supplier, documents).model_dump(mode="json"))


# ------------------------------------------------------------------ applications


@router.post("", status_code=201, response_model=Supplier, responses={409: {}, 422: {}})
async def start_application(
    body: SupplierCreate, principal: CurrentPrincipal, session: SessionDep
) -> AnyView:
    """Start the application of your supplier organisation as a draft (save and resume later)."""
    return _view(principal, await service.create_draft(session, principal, body))


@router.get("", response_model=Page[SupplierForOperator | Supplier])
async def list_suppliers(
    page: Annotated[ListQuery, Depends(SUPPLIERS_QUERY)],
    principal: CurrentPrincipal,
    session: SessionDep,
    status: Status | None = None,
    supplier_kind: SupplierKind | None = None,
    township: str | None = None,
    supports_households: bool | None = None,
    q: str | None = Query(None, max_length=100, description="Part of the legal or display name"),
) -> Page[AnyView]:
    """Your own supplier record; an operator sees every supplier of its region."""
    rows, next_cursor = await service.list_suppliers(
        session,
        principal,
        status=status,
        supplier_kind=supplier_kind,
        township=township,
        supports_households=supports_households,
        q=q,
        sort=page.sort,
        cursor=page.cursor,
        limit=page.limit,
    )
    return Page[AnyView](items=[_view(principal, s) for s in rows], next_cursor=next_cursor)


@router.get("/review-queue", response_model=Page[QueueItem])
async def review_queue(
    q: Annotated[ListQuery, Depends(QUEUE_SORT_QUERY)],
    principal: CurrentPrincipal,
    session: SessionDep,
    region_id: uuid.UUID | None = None,
    status: list[Literal["submitted", "under_review", "changes_requested"]] = Query(
        ["submitted", "under_review"]
    ),
    supplier_kind: SupplierKind | None = None,
    township: str | None = None,
    supports_households: bool | None = None,
) -> Page[QueueItem]:
    """Applications waiting for the operator's review, with how long each has waited."""
    items, next_cursor = await service.review_queue(
        session,
        principal,
        region_id=region_id,
        statuses=list(status),
        supplier_kind=supplier_kind,
        township=township,
        supports_households=supports_households,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    return Page[QueueItem](
        items=[
            QueueItem(
                id=s.id,
                region_id=s.region_id,
                status=cast(Status, s.status),
                supplier_kind=s.supplier_kind,
                legal_name=s.legal_name,
                township=s.township,
                supports_households=s.supports_households,
                submitted_at=s.submitted_at,
                waiting_seconds=waited,
                reviewer_user_id=s.reviewer_user_id,
                documents_needing_changes=needing,
            )
            for s, waited, needing in items
        ],
        next_cursor=next_cursor,
    )


@router.get("/{supplier_id}", response_model=SupplierForOperator | Supplier, responses={404: {}})
async def get_supplier(
    supplier_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> AnyView:
    """The whole application: for the supplier itself, and its operator (with households)."""
    return _view(principal, await service.load_visible(session, principal, supplier_id))


@router.patch(
    "/{supplier_id}", response_model=SupplierForOperator | Supplier, responses={404: {}, 409: {}}
)
async def save_draft(
    supplier_id: uuid.UUID, body: SupplierUpdate, principal: CurrentPrincipal, session: SessionDep
) -> AnyView:
    """Save changes to a draft (or to an application sent back for changes)."""
    return _view(principal, await service.update_draft(session, principal, supplier_id, body))


@router.get("/{supplier_id}/history", response_model=TransitionList, responses={404: {}})
async def get_history(
    supplier_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> TransitionList:
    """Every status change: who, when, why (and per-document reasons)."""
    rows = await service.history(session, principal, supplier_id)
    return TransitionList(items=[Transition.model_validate(t) for t in rows])


def _action_route(action: str, summary: str, body_model: type | None) -> None:
    if body_model is ChangesRequest:

        async def decide(
            supplier_id: uuid.UUID,
            body: ChangesRequest,
            principal: CurrentPrincipal,
            session: SessionDep,
        ) -> AnyView:
            supplier = await service.act(
                session, principal, supplier_id, action, body.reason, changes=body
            )
            return _view(principal, supplier)

    else:

        async def decide(  # type: ignore[misc]
            supplier_id: uuid.UUID,
            principal: CurrentPrincipal,
            session: SessionDep,
            body: Decision | None = None,
        ) -> AnyView:
            supplier = await service.act(
                session, principal, supplier_id, action, body.reason if body else None
            )
            return _view(principal, supplier)

    decide.__name__ = action
    router.add_api_route(
        f"/{{supplier_id}}/{action.replace('_', '-')}",
        decide,
        methods=["POST"],
        response_model=SupplierForOperator | Supplier,
        summary=summary,
        responses={403: {}, 404: {}, 409: {}, 422: {}},
    )


_action_route("submit", "Submit the draft for review (the supplier)", None)
_action_route("withdraw", "Take a submitted application back to draft (the supplier)", None)
_action_route("resubmit", "Send the application back after making the requested changes", None)
_action_route("reopen", "Start again from a draft after a rejection (the supplier)", None)
_action_route("start_review", "Take the application into review (operator)", None)
_action_route("approve", "Approve: the supplier may sell (operator)", None)
_action_route("reject", "Reject, with a reason (operator)", None)
_action_route(
    "request_changes", "Send back for changes, with reasons per document (operator)", ChangesRequest
)
_action_route("suspend", "Suspend selling rights, with a reason (operator)", None)
_action_route("reinstate", "Reinstate a suspended supplier whose documents are in order", None)
