from __future__ import annotations

from pydantic import Field

from services.livestream import examples
from services.livestream.streamers.schemas import Platform
from shared.schemas import Fen, Id, Schema, Timestamp, WriteSchema


class SessionCreate(WriteSchema):
    booking_id: Id = Field(examples=[examples.BOOKING_ID])
    platform: Platform
    title: str = Field(min_length=1, max_length=200, examples=["封丘金银花产地直发专场"])
    link_code: str | None = Field(
        None, min_length=4, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", examples=["FQJYH1205"]
    )


class LineupItemWrite(WriteSchema):
    pool_entry_id: Id = Field(examples=[examples.POOL_ENTRY_ID])
    live_price_fen: Fen = Field(examples=[3990])
    stock_cap: int = Field(ge=0, le=10**7, examples=[500])


class LineupWrite(WriteSchema):
    items: list[LineupItemWrite] = Field(
        max_length=100,
        examples=[[{"pool_entry_id": examples.POOL_ENTRY_ID, "live_price_fen": 3990,
                    "stock_cap": 500}]],
    )  # fmt: skip


class CapUpdate(WriteSchema):
    stock_cap: int = Field(ge=0, le=10**7, examples=[300])


class SessionAction(WriteSchema):
    reason: str | None = Field(None, max_length=500)


class LineupItem(Schema):
    id: Id
    position: int
    pool_entry_id: Id
    product_id: Id
    live_price_fen: int
    stock_cap: int


class LiveSession(Schema):
    id: Id
    region_id: Id
    booking_id: Id
    room_id: Id
    streamer_id: Id
    platform: str
    title: str
    link_code: str | None
    planned_start: Timestamp
    planned_end: Timestamp
    status: str
    started_at: Timestamp | None
    ended_at: Timestamp | None
    lineup: list[LineupItem] = []
    allowed_actions: list[str] = []


class Step(Schema):
    from_state: str
    to_state: str
    action: str
    actor_id: Id | None
    reason: str | None
    at: Timestamp
