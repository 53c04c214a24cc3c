"""Every model of the service, imported so the metadata is complete (migrations, tests)."""

from services.livestream.consignment.models import (
    ConsignedSale,
    ConsignmentMovement,
    ConsignmentStock,
)
from services.livestream.directory.models import Organisation, Product, Region, Supplier
from services.livestream.plans.models import Plan, PlanApplication, PlanRate
from services.livestream.pool.models import PoolEntry
from services.livestream.rooms.models import Booking, Room
from services.livestream.samples.models import QuotaBands, SampleRequest
from services.livestream.sessions.models import LineupItem, LiveSession
from services.livestream.settlement.models import (
    CommissionEntry,
    PlatformProduct,
    ReturnWindow,
    SaleLine,
)
from services.livestream.statements.models import Statement
from services.livestream.streamers.models import Agency, Streamer

__all__ = [
    "Agency",
    "Booking",
    "CommissionEntry",
    "ConsignedSale",
    "ConsignmentMovement",
    "ConsignmentStock",
    "LineupItem",
    "LiveSession",
    "Organisation",
    "Plan",
    "PlanApplication",
    "PlanRate",
    "PlatformProduct",
    "PoolEntry",
    "Product",
    "QuotaBands",
    "Region",
    "ReturnWindow",
    "Room",
    "SaleLine",
    "SampleRequest",
    "Statement",
    "Streamer",
    "Supplier",
]
