"""The operator's cut-off board of a window, as JSON and as a workbook."""

from __future__ import annotations

import uuid

from fastapi import Response

from services.repository.board import service
from services.repository.board.schemas import WindowBoard
from services.repository.db import kernel
from services.repository.orders.schemas import WindowDate
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, download, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-board"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/windows/{region_id}/{window_date}/board", response_model=WindowBoard, responses={403: {}}
)
async def window_board(
    region_id: uuid.UUID, window_date: WindowDate, principal: CurrentPrincipal, session: SessionDep
):
    """Orders by status (lines, buyers, value in fen), each order, the purchase orders by
    supplier with their state, and the shortages per variant."""
    board = await service.window_board(session, principal, region_id, window_date)
    return WindowBoard.model_validate(board)


@router.get(
    "/windows/{region_id}/{window_date}/board.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, 403: {}},
)
async def window_board_xlsx(
    region_id: uuid.UUID, window_date: WindowDate, principal: CurrentPrincipal, session: SessionDep
):
    """The board as a workbook: sheets Orders, Purchase orders, Shortages."""
    content = await service.window_board_workbook(session, principal, region_id, window_date)
    return download(content, XLSX, f"board-{window_date.isoformat()}.xlsx")
