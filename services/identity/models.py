"""Every model of the service, imported so the metadata is complete (migrations, tests)."""

from services.identity.auth.models import AuthSession, RefreshToken
from services.identity.notifications.models import Notification
from services.identity.organisations.models import Organisation, OrganisationStatusChange
from services.identity.regions.models import Region
from services.identity.users.models import Invitation, Membership, User

__all__ = [
    "AuthSession",
    "Invitation",
    "Membership",
    "Notification",
    "Organisation",
    "OrganisationStatusChange",
    "RefreshToken",
    "Region",
    "User",
]
