"""Who is calling (access tokens signed by identity, verified everywhere with the cached
JWKS) and what it may do with an object (`access.py`, role sets in `roles.py`)."""

from shared.auth.access import (
    acting_membership,
    can_act_for_org,
    ensure_operator_of,
    ensure_platform_admin,
    ensure_readable,
    ensure_writable,
    may_read,
    readable_clause,
    scope_to_caller,
)
from shared.auth.principal import Membership, Principal
from shared.auth.roles import (
    DISPATCH_ROLES,
    DRIVER_ROLES,
    FINANCE_ROLES,
    MANAGE_ROLES,
    OPERATOR_READ_ROLES,
    OPERATOR_WRITE_ROLES,
    REVIEW_ROLES,
    STAFF_ROLES,
)
from shared.auth.tokens import TokenVerifier, get_verifier

__all__ = [
    "DISPATCH_ROLES",
    "DRIVER_ROLES",
    "FINANCE_ROLES",
    "MANAGE_ROLES",
    "OPERATOR_READ_ROLES",
    "OPERATOR_WRITE_ROLES",
    "REVIEW_ROLES",
    "STAFF_ROLES",
    "Membership",
    "Principal",
    "TokenVerifier",
    "acting_membership",
    "can_act_for_org",
    "ensure_operator_of",
    "ensure_platform_admin",
    "ensure_readable",
    "ensure_writable",
    "get_verifier",
    "may_read",
    "readable_clause",
    "scope_to_caller",
]
