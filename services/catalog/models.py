"""Every model of the service, imported so the metadata is complete (migrations, tests)."""

from services.catalog.brands.models import BrandLicence, LicenceTransition, PublicBrand
from services.catalog.categories.models import Category, CategoryChange
from services.catalog.certificates.models import CatalogNotification, Certificate
from services.catalog.products.models import Product, ProductHistory, ProductImage, Variant
from services.catalog.suppliers.models import CatalogSupplier
from services.catalog.trace.models import Lot, LotEvent

__all__ = [
    "BrandLicence",
    "CatalogNotification",
    "CatalogSupplier",
    "Category",
    "CategoryChange",
    "Certificate",
    "LicenceTransition",
    "Lot",
    "LotEvent",
    "Product",
    "ProductHistory",
    "ProductImage",
    "PublicBrand",
    "Variant",
]
