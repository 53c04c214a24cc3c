"""The delivery figures per day and route."""

from __future__ import annotations

import uuid
from datetime import date

from shared.schemas import Schema


class RouteDay(Schema):
    """One route on one day: what it carried, how fast and at what cost."""

    delivery_date: date
    route_id: uuid.UUID
    route_name: str
    parcels: int
    delivered: int
    completed_runs: int
    carried: int
    on_time_rate: float | None
    median_dispatch_to_delivery_hours: float | None
    within_goal_rate: float | None
    cost_per_parcel_fen: int | None
    carrier_share: float
