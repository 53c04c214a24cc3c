"""Qualification documents: upload (content checked), list, read and withdraw."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.applications import rules
from services.suppliers.applications.service import (
    ensure_supplier_member,
    load_visible,
)
from services.suppliers.documents.lifecycle import DOCUMENT_REVIEW
from services.suppliers.documents.models import QualificationDocument
from services.suppliers.documents.repository import DocumentRepository
from services.suppliers.documents.schemas import DocumentCreate
from services.suppliers.organisations.service import region_today
from services.suppliers.problems import NOT_EDITABLE
from shared import storage
from shared.auth import Principal
from shared.errors import Conflict, FieldError, NotFound, RuleViolation

# Scans and photos of licences; a larger file is almost always a mistake.
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


async def upload(
    session: AsyncSession,
    principal: Principal,
    supplier_id: uuid.UUID,
    data: DocumentCreate,
    content: bytes,
    filename: str | None,
) -> QualificationDocument:
    supplier = await load_visible(session, principal, supplier_id, for_update=True)
    # renewals of a selling supplier need an active organisation; a first application's
    # documents are uploaded while the organisation is still pending
    ensure_supplier_member(
        principal, supplier, onboarding=supplier.status in rules.EDITABLE_STATUSES
    )
    if supplier.status not in rules.UPLOAD_STATUSES:
        raise Conflict(
            f"Documents cannot be added while the application is {supplier.status}",
            code=NOT_EDITABLE,
            extra={"current_status": supplier.status},
        )
    content_type = storage.check_upload(content, storage.DOCUMENT_TYPES, DOCUMENT_MAX_BYTES)
    if data.valid_until is not None and data.valid_until < await region_today(
        session, supplier.region_id
    ):
        raise RuleViolation(
            "This document has already expired",
            code="validation-error",
            errors=[FieldError("valid_until", "in the past", "expired")],
        )
    repo = DocumentRepository(session)
    replaced = None
    if data.replaces_document_id is not None:
        replaced = await repo.get_for_supplier(supplier.id, data.replaces_document_id)
        if replaced is None or replaced.review_status == "superseded":
            raise RuleViolation(
                "The document to replace is not a current document of this supplier",
                code="validation-error",
                errors=[FieldError("replaces_document_id", "unknown document")],
            )
        await DOCUMENT_REVIEW.apply(
            session,
            replaced,
            "supersede",
            actor_id=principal.user_id,
            reason="replaced by a renewal",
            field="review_status",
        )
    stored = storage.save(f"suppliers/{supplier.region_id}/{supplier.id}", content, content_type)
    document = QualificationDocument(
        supplier_id=supplier.id,
        region_id=supplier.region_id,
        kind=data.kind,
        number=data.number,
        issuer=data.issuer,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        review_status="pending",
        replaces_id=replaced.id if replaced else None,
        storage_key=stored.key,
        content_type=stored.content_type,
        size_bytes=stored.size,
        sha256=stored.sha256,
        filename=(filename or "")[:200] or None,
        uploaded_by=principal.user_id,
    )
    repo.add(document)
    await session.flush()
    return document


async def list_documents(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, include_superseded: bool
) -> list[QualificationDocument]:
    await load_visible(session, principal, supplier_id)
    return await DocumentRepository(session).of_supplier(
        supplier_id, include_superseded=include_superseded
    )


async def get_document(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, document_id: uuid.UUID
) -> QualificationDocument:
    await load_visible(session, principal, supplier_id)
    document = await DocumentRepository(session).get_for_supplier(supplier_id, document_id)
    if document is None:
        raise NotFound("No such document")
    return document


async def read_file(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, document_id: uuid.UUID
) -> tuple[QualificationDocument, bytes]:
    document = await get_document(session, principal, supplier_id, document_id)
    try:
        return document, storage.load(document.storage_key)
    except FileNotFoundError as exc:
        raise NotFound("The document's file is missing from storage") from exc


async def delete_document(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, document_id: uuid.UUID
) -> None:
    """Withdraw a document while the application is still being edited."""
    document = await get_document(session, principal, supplier_id, document_id)
    supplier = await load_visible(session, principal, supplier_id, for_update=True)
    ensure_supplier_member(principal, supplier, onboarding=True)
    if supplier.status not in rules.EDITABLE_STATUSES:
        raise Conflict(
            "Documents can be withdrawn only while the application is being edited;"
            " upload a replacement instead",
            code=NOT_EDITABLE,
        )
    await DocumentRepository(session).delete(document)
