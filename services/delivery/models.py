"""Every model of the service, imported so the metadata is complete (migrations, tests)."""

from services.delivery.carriers.models import AddressReview
from services.delivery.network.models import Route, RouteStop, Stop, Vehicle
from services.delivery.regions.models import Region
from services.delivery.runs.models import Parcel, ParcelEvent, Run, RunStop, RunTransition
from services.delivery.samples.models import SampleParcel

__all__ = [
    "AddressReview",
    "Parcel",
    "ParcelEvent",
    "Region",
    "Route",
    "RouteStop",
    "Run",
    "RunStop",
    "RunTransition",
    "SampleParcel",
    "Stop",
    "Vehicle",
]
