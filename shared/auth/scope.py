"""Object-level authorisation: every query for an organisation's objects goes through here.

A caller sees the objects of the organisations it belongs to, and an operator also sees
the objects of its region. Anything else is invisible: a foreign id answers 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import Select, false, or_
from sqlalchemy.sql.elements import ColumnElement

from shared.auth.principal import Principal
from shared.errors import NotFound

S = TypeVar("S", bound=Select[Any])

OPERATOR_READ_ROLES = ("owner", "admin", "staff", "reviewer", "dispatcher", "finance")


def visibility_clause(
    principal: Principal,
    org_column: ColumnElement[Any],
    *,
    region_column: ColumnElement[Any] | None = None,
    kinds: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    operator_roles: Iterable[str] | None = OPERATOR_READ_ROLES,
) -> ColumnElement[bool]:
    if principal.platform_admin:
        return org_column.is_not(None) | org_column.is_(None)
    clauses: list[ColumnElement[bool]] = []
    org_ids = principal.org_ids(kinds, roles)
    if org_ids:
        clauses.append(org_column.in_(org_ids))
    if region_column is not None and operator_roles is not None:
        regions = principal.operator_region_ids(operator_roles)
        if regions:
            clauses.append(region_column.in_(regions))
    return or_(*clauses) if clauses else false()


def scope_to_caller(
    stmt: S,
    principal: Principal,
    org_column: ColumnElement[Any],
    *,
    region_column: ColumnElement[Any] | None = None,
    kinds: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    operator_roles: Iterable[str] | None = OPERATOR_READ_ROLES,
) -> S:
    return stmt.where(
        visibility_clause(
            principal,
            org_column,
            region_column=region_column,
            kinds=kinds,
            roles=roles,
            operator_roles=operator_roles,
        )
    )


def can_act_for_org(
    principal: Principal,
    org_id: uuid.UUID,
    roles: Iterable[str] | None = None,
) -> bool:
    if principal.platform_admin:
        return True
    membership = principal.membership_in(org_id)
    if membership is None or membership.org_status != "active":
        return False
    return roles is None or bool(set(roles) & set(membership.roles))


def ensure_acts_for_org(
    principal: Principal,
    org_id: uuid.UUID,
    roles: Iterable[str] | None = None,
    what: str = "object",
) -> None:
    """Acting for another organisation is indistinguishable from it not existing."""
    if not can_act_for_org(principal, org_id, roles):
        raise NotFound(f"No such {what}")


def ensure_operator_of(
    principal: Principal, region_id: uuid.UUID, roles: Iterable[str] | None = OPERATOR_READ_ROLES
) -> None:
    from shared.errors import Forbidden

    if principal.platform_admin or principal.is_operator_of(region_id, roles):
        return
    raise Forbidden("Only the region's operator can do this")
