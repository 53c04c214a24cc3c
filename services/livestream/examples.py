"""Example values the request bodies show in the OpenAPI spec (mobile developers read it):
the Fengqiu (封丘) base, its 金银花 products and Douyin accounts, money in fen."""

from __future__ import annotations

REGION_ID = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"
STREAMER_ID = "3b7d9e21-5c4a-4f8b-a6d2-7e1f0c9b8a34"
ROOM_ID = "8a2f4c6e-1b3d-4e5f-9a7c-2d4e6f8a0b1c"
BOOKING_ID = "c4e6a8b0-2d1f-4a3c-8e5b-6f7a9c0d1e2f"
PRODUCT_ID = "5d9b1f3a-7e2c-4b6d-a8f0-1c3e5a7b9d2e"
POOL_ENTRY_ID = "e1a3c5b7-9d2f-4e6a-8c0b-3d5f7a9b1c4e"
WAREHOUSE_ID = "2c8e7a10-4f3b-4d6e-8a9c-1e2f3a4b5c6d"

# one Douyin 精选联盟 export row (columns of settlement/columns.py; fen, rate ×10000)
DOUYIN_ROW = {
    "order_id": "6925148736250183",
    "product_id": "3658201947",
    "author_id": "fqjinyinhua88",
    "item_num": "2",
    "pay_amount": "7980",
    "commission_rate": "2000",
    "flow_point": "PAY_SUCC",
    "pay_success_time": "2026-11-18T20:15:00+08:00",
    "settle_time": "",
    "refund_time": "",
}
