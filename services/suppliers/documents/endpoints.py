from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import File, Form, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from services.suppliers.db import kernel
from services.suppliers.documents import service
from services.suppliers.documents.schemas import Document, DocumentCreate, DocumentList
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, download, service_router

router = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-documents"])


@router.post(
    "/{supplier_id}/documents",
    status_code=201,
    response_model=Document,
    responses={404: {}, 409: {}, 413: {}, 415: {}, 422: {}},
)
async def upload_document(
    supplier_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPEG or WebP, at most 5 MiB")],
    kind: Annotated[str, Form()],
    number: Annotated[str, Form()],
    issuer: Annotated[str, Form()],
    valid_from: Annotated[str | None, Form()] = None,
    valid_until: Annotated[str | None, Form()] = None,
    replaces_document_id: Annotated[str | None, Form()] = None,
) -> Document:
    """Upload a qualification document with its number, issuer and validity (multipart)."""
    fields = {
        "kind": kind,
        "number": number,
        "issuer": issuer,
        "valid_from": valid_from or None,
        "valid_until": valid_until or None,
        "replaces_document_id": replaces_document_id or None,
    }
    unknown = sorted(set((await request.form()).keys()) - set(fields) - {"file"})
    if unknown:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", name),
                    "msg": "Extra inputs are not permitted",
                    "type": "extra_forbidden",
                }
                for name in unknown
            ]
        )
    try:
        data = DocumentCreate.model_validate(fields)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from exc
    content = await file.read(service.DOCUMENT_MAX_BYTES + 1)
    document = await service.upload(session, principal, supplier_id, data, content, file.filename)
    return Document.model_validate(document)


@router.get("/{supplier_id}/documents", response_model=DocumentList, responses={404: {}})
async def list_documents(
    supplier_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    include_superseded: bool = False,
) -> DocumentList:
    """The supplier's documents: for the supplier itself and its region's operator only."""
    rows = await service.list_documents(session, principal, supplier_id, include_superseded)
    return DocumentList(items=[Document.model_validate(d) for d in rows])


@router.get("/{supplier_id}/documents/{document_id}", response_model=Document, responses={404: {}})
async def get_document(
    supplier_id: uuid.UUID, document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Document:
    return Document.model_validate(
        await service.get_document(session, principal, supplier_id, document_id)
    )


@router.get(
    "/{supplier_id}/documents/{document_id}/file",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/*": {}}}, 404: {}},
)
async def download_document(
    supplier_id: uuid.UUID, document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """The stored file, as uploaded."""
    document, content = await service.read_file(session, principal, supplier_id, document_id)
    name = document.filename or f"{document.kind}-{document.id}"
    return download(content, document.content_type, name, inline=True)


@router.delete(
    "/{supplier_id}/documents/{document_id}", status_code=204, responses={404: {}, 409: {}}
)
async def delete_document(
    supplier_id: uuid.UUID, document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """Withdraw a document while the application is a draft or sent back for changes."""
    await service.delete_document(session, principal, supplier_id, document_id)
    return Response(status_code=204)
