"""Every model of the service, imported so the metadata is complete (migrations, tests)."""

from services.suppliers.applications.models import HouseholdLink, Supplier, SupplierTransition
from services.suppliers.documents.models import QualificationDocument
from services.suppliers.expiry.models import SupplierNotification
from services.suppliers.organisations.models import SupplierOrganisation
from services.suppliers.payouts.models import PayoutAccount

__all__ = [
    "HouseholdLink",
    "PayoutAccount",
    "QualificationDocument",
    "Supplier",
    "SupplierNotification",
    "SupplierOrganisation",
    "SupplierTransition",
]
