"""Every table of the insights service (imported by migrations/env.py)."""

from services.insights.readmodel.models import (
    DeliveriesByMonth,
    HouseholdLink,
    Order,
    OrderAdjustment,
    OrderLine,
    Organisation,
    Parcel,
    Product,
    Region,
    Run,
    SalesByStation,
    SalesByVariant,
    StreamSaleLine,
    StreamSalesByMonth,
    StreamSession,
    Supplier,
    Variant,
)
from services.insights.records.models import Evidence, RecordedFigure, RegionSettings
from services.insights.snapshots.models import Snapshot

__all__ = [
    "DeliveriesByMonth",
    "HouseholdLink",
    "Evidence",
    "Order",
    "OrderAdjustment",
    "OrderLine",
    "Organisation",
    "Parcel",
    "Product",
    "RecordedFigure",
    "Region",
    "RegionSettings",
    "Run",
    "SalesByStation",
    "SalesByVariant",
    "Snapshot",
    "StreamSaleLine",
    "StreamSalesByMonth",
    "StreamSession",
    "Supplier",
    "Variant",
]
