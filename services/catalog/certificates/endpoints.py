from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, File, Response, UploadFile

from services.catalog.certificates import service
from services.catalog.certificates.schemas import (
    Certificate,
    CertificateCheckRun,
    CertificateCreate,
    ComplianceCertificate,
    Notification,
)
from services.catalog.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, download, file_response, service_router

router = service_router(kernel, prefix="/v1/catalog/manage", tags=["catalog-certificates"])
CERTIFICATES_QUERY = list_query(service.CERTIFICATE_SORT_FIELDS, default="created_at")
NOTIFICATIONS_QUERY = list_query(service.NOTIFICATION_SORT_FIELDS, default="-created_at")


def certificate_out(c) -> Certificate:
    out = Certificate.model_validate(c)
    out.has_file = bool(c.file_key)
    if c.kind == "compliance_certificate" and c.details:
        out.compliance = ComplianceCertificate.model_validate(c.details)
    return out


@router.post(
    "/products/{product_id}/certificates",
    response_model=Certificate,
    status_code=201,
    responses={404: {}, 422: {}},
)
async def add_certificate(
    product_id: uuid.UUID, data: CertificateCreate, principal: CurrentPrincipal, session: SessionDep
) -> Certificate:
    """Record a certificate of the product (or of one of its lots); upload its file next."""
    return certificate_out(await service.add_certificate(session, principal, product_id, data))


@router.get(
    "/products/{product_id}/certificates",
    response_model=Page[Certificate],
    responses={404: {}, 422: {}},
)
async def list_certificates(
    q: Annotated[ListQuery, Depends(CERTIFICATES_QUERY)],
    product_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Page[Certificate]:
    """The product's certificates and its lots' (oldest first: each lot adds its own)."""
    rows, next_cursor = await service.list_certificates(session, principal, product_id, q)
    return Page[Certificate](items=[certificate_out(c) for c in rows], next_cursor=next_cursor)


@router.put(
    "/certificates/{certificate_id}/file",
    response_model=Certificate,
    responses={404: {}, 413: {}, 415: {}},
)
async def upload_certificate_file(
    certificate_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPEG or WebP")],
) -> Certificate:
    certificate = await service.attach_file(session, principal, certificate_id, await file.read())
    return certificate_out(certificate)


@router.get(
    "/certificates/{certificate_id}/file",
    response_class=Response,
    responses={
        **file_response(
            "application/pdf", "image/png", "image/jpeg", "image/webp", description="The scan"
        ),
        404: {},
    },
)
async def download_certificate_file(
    certificate_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    content_type, content = await service.certificate_file(session, principal, certificate_id)
    return Response(content, media_type=content_type, headers={"Cache-Control": "private"})


@router.get(
    "/certificates/{certificate_id}/print.pdf",
    response_class=Response,
    responses={
        **file_response("application/pdf", description="The 合格证, one A6 page with its QR code"),
        404: {},
    },
)
async def print_compliance_certificate(
    certificate_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """The printable compliance certificate (合格证) carried with the goods: producer,
    product, quantity, date, contact, 承诺依据, commitments and a QR code to the trace page."""
    filename, content = await service.compliance_print(session, principal, certificate_id)
    return download(content, "application/pdf", filename, inline=True, cache="private")


@router.get(
    "/suppliers/{supplier_id}/notifications",
    response_model=Page[Notification],
    responses={404: {}, 422: {}},
)
async def list_notifications(
    q: Annotated[ListQuery, Depends(NOTIFICATIONS_QUERY)],
    supplier_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Page[Notification]:
    """Warnings ahead of certificate expiry (30 and 7 days), newest first."""
    rows, next_cursor = await service.notifications(session, principal, supplier_id, q)
    return Page[Notification](
        items=[Notification.model_validate(n) for n in rows], next_cursor=next_cursor
    )


@router.post(
    "/suppliers/{supplier_id}/notifications/{notification_id}/read",
    response_model=Notification,
    responses={404: {}},
)
async def mark_notification_read(
    supplier_id: uuid.UUID,
    notification_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Notification:
    note = await service.mark_read(session, principal, supplier_id, notification_id)
    return Notification.model_validate(note)


@router.post(
    "/regions/{region_id}/certificate-check",
    response_model=CertificateCheckRun,
    responses={403: {}, 404: {}},
)
async def run_certificate_check_now(
    region_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> CertificateCheckRun:
    """Run the region's daily certificate check now, for today (the region's operator):
    lapsed required certificates take products off sale, renewed ones bring them back,
    warnings go out, licences past their end date expire."""
    run = await service.run_check_now(session, principal, region_id)
    return CertificateCheckRun.model_validate(run, from_attributes=True)
