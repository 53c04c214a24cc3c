"""Older names of the checks in `shared.auth.access` (kept so existing code keeps working).

New code imports from `shared.auth` (access.py): `ensure_readable`, `ensure_writable`,
`acting_membership`, `readable_clause`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from shared.auth.access import (
    can_act_for_org,
    ensure_operator_of,
    readable_clause,
    scope_to_caller,
)
from shared.auth.principal import Principal
from shared.auth.roles import OPERATOR_READ_ROLES
from shared.errors import NotFound

visibility_clause = readable_clause


def ensure_acts_for_org(
    principal: Principal,
    org_id: uuid.UUID,
    roles: Iterable[str] | None = None,
    what: str = "object",
) -> None:
    """Acting for another organisation is indistinguishable from it not existing."""
    if not can_act_for_org(principal, org_id, roles):
        raise NotFound(f"No such {what}")


__all__ = [
    "OPERATOR_READ_ROLES",
    "can_act_for_org",
    "ensure_acts_for_org",
    "ensure_operator_of",
    "scope_to_caller",
    "visibility_clause",
]
