from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from services.livestream import examples
from shared.schemas import Fen, Id, Schema, Timestamp, WriteSchema


class Platform(StrEnum):
    douyin = "douyin"
    kuaishou = "kuaishou"
    taobao_live = "taobao_live"
    wechat_channels = "wechat_channels"


class PlatformAccount(WriteSchema):
    platform: Platform
    account_id: str = Field(
        min_length=1,
        max_length=64,
        description="The 抖音号 (or platform account id)",
        examples=["fqjinyinhua88"],
    )
    followers: int = Field(ge=0, le=10**10, examples=[126000])
    level: int = Field(ge=0, le=10, examples=[4])


class StreamerProfileWrite(WriteSchema):
    display_name: str = Field(min_length=1, max_length=100, examples=["封丘小李"])
    platform_accounts: list[PlatformAccount] = Field(
        default_factory=list,
        max_length=8,
        examples=[[{"platform": "douyin", "account_id": "fqjinyinhua88", "followers": 126000,
                    "level": 4}]],
    )  # fmt: skip
    focus_categories: list[str] = Field(
        default_factory=list, max_length=20, examples=[["金银花", "山药"]]
    )


class StreamerFigures(WriteSchema):
    gmv_30d_fen: Fen
    sales_30d: int = Field(ge=0, le=10**9, examples=[860])


class Streamer(Schema):
    id: Id
    region_id: Id
    display_name: str
    platform_accounts: list[PlatformAccount]
    focus_categories: list[str]
    gmv_30d_fen: int
    sales_30d: int
    followers: int
    level: int
    overdue_samples: int
    agency_id: Id | None
    created_at: Timestamp


class AgencyWrite(WriteSchema):
    service_fee_bps: int = Field(
        ge=0, le=4000, description="Share of commission, ≤ 40 %", examples=[1000]
    )


class AgencyMemberAdd(WriteSchema):
    streamer_id: Id = Field(examples=[examples.STREAMER_ID])


class Agency(Schema):
    id: Id
    region_id: Id
    name: str
    service_fee_bps: int
