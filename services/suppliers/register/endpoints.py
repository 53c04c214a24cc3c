from __future__ import annotations

import uuid

from fastapi import Response

from services.suppliers.db import kernel
from services.suppliers.register import service
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, download, service_router

router = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-register"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/register.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, 403: {}},
)
async def export_register(
    region_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """The county's supplier register as a spreadsheet (the region's operator)."""
    content = await service.export_register(session, principal, region_id)
    return download(content, XLSX, "supplier-register.xlsx")
