"""Who acts for which organisation, on top of shared.auth's object rules.

A foreign object is a 404 (`ensure_readable`); a visible object whose action the caller's
organisation or role may not take is a 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from shared.auth.principal import Membership, Principal
from shared.auth.scope import OPERATOR_READ_ROLES, can_act_for_org, visibility_clause
from shared.errors import Forbidden, NotFound

OPERATOR_WRITE_ROLES = ("owner", "admin", "staff")


def acting_membership(
    principal: Principal, org_id: uuid.UUID | None = None, *, kinds: Iterable[str]
) -> Membership:
    """The ACTIVE organisation of these kinds the caller acts for (the given or its only one)."""
    kinds = tuple(kinds)
    if org_id is not None:
        found = principal.membership_in(org_id)
        if found is None or found.org_kind not in kinds:
            raise NotFound("No such organisation")
        if found.org_status != "active":
            raise Forbidden(f"The organisation is {found.org_status}, not active")
        return found
    matching = principal.memberships_where(kinds)
    if len(matching) == 1:
        return matching[0]
    if not matching:
        pending = principal.memberships_where(kinds, active_only=False)
        if pending:
            raise Forbidden(f"Your organisation is {pending[0].org_status}, not active")
        raise Forbidden(f"Only a {' or '.join(kinds)} organisation can do this")
    raise Forbidden("You act for several organisations: name the one (org_id)")


def may_read(
    principal: Principal,
    *,
    org_ids: Iterable[uuid.UUID | None],
    region_id: uuid.UUID,
    operator_roles: Iterable[str] = OPERATOR_READ_ROLES,
) -> bool:
    if principal.platform_admin or principal.is_operator_of(region_id, operator_roles):
        return True
    return any(org is not None and can_act_for_org(principal, org) for org in org_ids)


def ensure_readable(
    principal: Principal,
    *,
    org_ids: Iterable[uuid.UUID | None],
    region_id: uuid.UUID,
    what: str = "object",
) -> None:
    if not may_read(principal, org_ids=org_ids, region_id=region_id):
        raise NotFound(f"No such {what}")


def ensure_writable(
    principal: Principal,
    *,
    org_ids: Iterable[uuid.UUID | None],
    region_id: uuid.UUID,
    what: str = "object",
    operator_may: bool = True,
) -> None:
    """Readable, else 404; then a member of the owning organisation or (if `operator_may`)
    the region's operator with a writing role, else 403."""
    org_ids = list(org_ids)
    ensure_readable(principal, org_ids=org_ids, region_id=region_id, what=what)
    if any(org is not None and can_act_for_org(principal, org) for org in org_ids):
        return
    if operator_may and (
        principal.platform_admin or principal.is_operator_of(region_id, OPERATOR_WRITE_ROLES)
    ):
        return
    raise Forbidden(f"Your organisation or role may not change this {what}")


def ensure_operator(principal: Principal, region_id: uuid.UUID, *, write: bool = True) -> None:
    roles = OPERATOR_WRITE_ROLES if write else OPERATOR_READ_ROLES
    if principal.platform_admin or principal.is_operator_of(region_id, roles):
        return
    raise Forbidden("Only the region's operator can do this")


def readable_clause(
    principal: Principal,
    org_column: Any,
    *,
    region_column: Any = None,
    operator_roles: Iterable[str] | None = OPERATOR_READ_ROLES,
) -> ColumnElement[bool]:
    """The SQL twin of `ensure_readable`, for lists: the caller's organisations' rows, and
    the region's for its operator."""
    return visibility_clause(
        principal, org_column, region_column=region_column, operator_roles=operator_roles
    )
