"""Every model of the service, imported so the metadata is complete (migrations, tests)."""

from services.repository.buyers.models import BuyerAccount
from services.repository.consignment.models import ConsignmentReturn, ConsignmentTransfer
from services.repository.directory.models import (
    CatalogVariant,
    KnownSupplier,
    Region,
    RouteSchedule,
    RouteStopRef,
)
from services.repository.inventory.models import (
    Reservation,
    StockBalance,
    StockMovement,
    Warehouse,
)
from services.repository.offers.models import Offer
from services.repository.orders.models import CartLine, Order, OrderLine, OrderTransition
from services.repository.purchasing.models import (
    ConsolidationRun,
    GoodsReceipt,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderTransition,
)

__all__ = [
    "BuyerAccount",
    "CartLine",
    "CatalogVariant",
    "ConsignmentReturn",
    "ConsignmentTransfer",
    "ConsolidationRun",
    "GoodsReceipt",
    "KnownSupplier",
    "Offer",
    "Order",
    "OrderLine",
    "OrderTransition",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseOrderTransition",
    "Region",
    "Reservation",
    "RouteSchedule",
    "RouteStopRef",
    "StockBalance",
    "StockMovement",
    "Warehouse",
]
