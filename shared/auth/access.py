"""Object-level authorisation, decided once for every service.

The rule:
- An object the caller may not see answers **404** (never 403): a foreign id is
  indistinguishable from one that does not exist.
- **403** only when the caller can see the object, or acts for its organisation, but its
  role or its organisation's status (pending, suspended) forbids the action; the problem's
  `detail` says which.
- Only ACTIVE organisations give their members access, unless a check names other
  `statuses` explicitly (a pending organisation's members reach their own application in
  suppliers). A token of a pending or suspended organisation's member still names the
  membership (so the answer can say why; `status_refusal` lets a service say it its way).
- A caller sees the objects of its organisations and, as a member of the region's operator
  organisation (with a role of `operator_roles`), the objects of the region. A platform
  administrator sees everything.

Single objects: `ensure_readable` / `ensure_writable` (or `may_read` for a bool).
Lists: `readable_clause` (the SQL twin) in a repository's `readable(principal)` statement.
Acting for an organisation (creating things in its name): `acting_membership`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Select, false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from shared.auth.principal import Membership, Principal
from shared.auth.roles import OPERATOR_READ_ROLES, OPERATOR_WRITE_ROLES
from shared.errors import AppError, BadRequest, FieldError, Forbidden, NotFound

S = TypeVar("S", bound=Select[Any])
# a Core column or an ORM attribute (Order.buyer_org_id)
ColumnLike = Any

ACTIVE = "active"
# the default of every check: only an active organisation gives its members access
ACTIVE_ONLY: tuple[str, ...] = (ACTIVE,)
# how a member of an organisation outside the allowed statuses is refused (a 403 saying why)
StatusRefusal = Callable[[Membership], AppError]


def _has_role(membership: Membership, roles: Iterable[str] | None) -> bool:
    return roles is None or bool(set(roles) & set(membership.roles))


def _status_refusal(membership: Membership) -> Forbidden:
    return Forbidden(
        f"Your organisation is {membership.org_status}: it can act once it is active",
        extra={"org_status": membership.org_status, "organisation_id": str(membership.org_id)},
    )


def _role_refusal(roles: Iterable[str]) -> Forbidden:
    needed = sorted(set(roles))
    if not needed:  # any member may, but the caller (e.g. the region's operator) is none
        return Forbidden("Only the organisation's own members can do this")
    return Forbidden(
        f"Your role does not allow this (it needs one of: {', '.join(needed)})",
        extra={"required_roles": needed},
    )


def acting_membership(
    principal: Principal,
    org_id: uuid.UUID | None = None,
    *,
    kinds: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    statuses: Iterable[str] = ACTIVE_ONLY,
    status_refusal: StatusRefusal | None = None,
) -> Membership:
    """The organisation the caller acts for: `org_id`, or its only matching membership.

    A foreign `org_id` → NotFound. A membership of the wrong kind, an organisation whose
    status is not one of `statuses` (active only unless named), or a role that may not →
    Forbidden saying why. Several matching organisations and no `org_id` → a validation
    error asking for one.
    """
    kinds = tuple(kinds) if kinds is not None else None
    roles = tuple(roles) if roles is not None else None
    allowed_statuses = frozenset(statuses)
    refuse = status_refusal or _status_refusal
    if org_id is not None:
        membership = principal.membership_in(org_id)
        if membership is None:
            raise NotFound("No such organisation")
        if kinds is not None and membership.org_kind not in kinds:
            raise Forbidden(
                f"A {membership.org_kind} organisation cannot do this",
                extra={"allowed_kinds": list(kinds)},
            )
        if membership.org_status not in allowed_statuses:
            raise refuse(membership)
        if not _has_role(membership, roles):
            raise _role_refusal(roles or ())
        return membership
    candidates = [m for m in principal.memberships if kinds is None or m.org_kind in kinds]
    if not candidates:
        what = " or ".join(kinds) if kinds else "any"
        raise Forbidden(
            f"You act for no {what} organisation",
            extra={"allowed_kinds": list(kinds)} if kinds else None,
        )
    active = [m for m in candidates if m.org_status in allowed_statuses]
    if not active:
        raise refuse(candidates[0])
    allowed = [m for m in active if _has_role(m, roles)]
    if not allowed:
        raise _role_refusal(roles or ())
    if len(allowed) > 1:
        raise BadRequest(
            "You belong to several organisations that could do this: say which",
            code="validation-error",
            errors=[FieldError("organisation_id", "required: you act for several organisations")],
        )
    return allowed[0]


def may_read(
    principal: Principal,
    *,
    org_id: uuid.UUID | None,
    region_id: uuid.UUID | None,
    roles: Iterable[str] | None = None,
    operator_roles: Iterable[str] | None = OPERATOR_READ_ROLES,
    statuses: Iterable[str] = ACTIVE_ONLY,
) -> bool:
    """Member (with `roles`) of the owning organisation while its status is one of
    `statuses` (active only unless named), the region's (active) operator, or admin."""
    if principal.platform_admin:
        return True
    if org_id is not None:
        membership = principal.membership_in(org_id)
        if (
            membership is not None
            and membership.org_status in tuple(statuses)
            and _has_role(membership, roles)
        ):
            return True
    return (
        region_id is not None
        and operator_roles is not None
        and principal.is_operator_of(region_id, operator_roles)
    )


def _known_membership(principal: Principal, org_id: uuid.UUID | None) -> Membership | None:
    return principal.membership_in(org_id) if org_id is not None else None


def ensure_readable(
    principal: Principal,
    *,
    org_id: uuid.UUID | None,
    region_id: uuid.UUID | None,
    what: str = "object",
    roles: Iterable[str] | None = None,
    operator_roles: Iterable[str] | None = OPERATOR_READ_ROLES,
    statuses: Iterable[str] = ACTIVE_ONLY,
    status_refusal: StatusRefusal | None = None,
) -> None:
    """Readable, or: a member of the owner whose status (not one of `statuses`) or role
    forbids → 403; else 404."""
    statuses = tuple(statuses)
    if may_read(
        principal,
        org_id=org_id,
        region_id=region_id,
        roles=roles,
        operator_roles=operator_roles,
        statuses=statuses,
    ):
        return
    membership = _known_membership(principal, org_id)
    if membership is not None:
        if membership.org_status not in statuses:
            raise (status_refusal or _status_refusal)(membership)
        raise _role_refusal(roles or ())
    raise NotFound(f"No such {what}")


def ensure_writable(
    principal: Principal,
    *,
    org_id: uuid.UUID | None,
    region_id: uuid.UUID | None,
    roles: Iterable[str] | None = None,
    operator_roles: Iterable[str] | None = OPERATOR_WRITE_ROLES,
    what: str = "object",
    read_roles: Iterable[str] | None = None,
    operator_read_roles: Iterable[str] | None = OPERATOR_READ_ROLES,
    statuses: Iterable[str] = ACTIVE_ONLY,
    status_refusal: StatusRefusal | None = None,
) -> None:
    """May change the object: a member of the owner with `roles` while the organisation's
    status is one of `statuses` (active only unless named), or the region's operator with
    `operator_roles` (None: operators may not), or a platform admin.

    Not readable (`read_roles`, `operator_read_roles`) → 404; readable but the role or the
    organisation's status may not → 403 (`status_refusal`: the service's own answer).
    """
    if principal.platform_admin:
        return
    statuses = tuple(statuses)
    membership = _known_membership(principal, org_id)
    if membership is not None:
        if membership.org_status not in statuses:
            raise (status_refusal or _status_refusal)(membership)
        if _has_role(membership, roles):
            return
    if (
        region_id is not None
        and operator_roles is not None
        and principal.is_operator_of(region_id, operator_roles)
    ):
        return
    if membership is not None or may_read(
        principal,
        org_id=org_id,
        region_id=region_id,
        roles=read_roles,
        operator_roles=operator_read_roles,
        statuses=statuses,
    ):
        raise _role_refusal([*(roles or ()), *(operator_roles or ())])
    raise NotFound(f"No such {what}")


def ensure_operator_of(
    principal: Principal,
    region_id: uuid.UUID,
    roles: Iterable[str] | None = OPERATOR_READ_ROLES,
) -> None:
    """Region-level actions (a region is no secret: a non-operator gets 403)."""
    if principal.platform_admin or principal.is_operator_of(region_id, roles):
        return
    raise Forbidden("Only the region's operator can do this")


def ensure_platform_admin(principal: Principal) -> None:
    if not principal.platform_admin:
        raise Forbidden("Only a platform administrator can do this")


def readable_clause(
    principal: Principal,
    org_column: ColumnLike,
    *,
    region_column: ColumnLike | None = None,
    kinds: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    operator_roles: Iterable[str] | None = OPERATOR_READ_ROLES,
) -> ColumnElement[bool]:
    """The SQL twin of `may_read`, for lists: rows of the caller's ACTIVE organisations (of
    `kinds`, with `roles`) or, for the region's operator, of its region."""
    if principal.platform_admin:
        return true()
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
    org_column: ColumnLike,
    *,
    region_column: ColumnLike | None = None,
    kinds: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    operator_roles: Iterable[str] | None = OPERATOR_READ_ROLES,
) -> S:
    return stmt.where(
        readable_clause(
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
    if membership is None or membership.org_status != ACTIVE:
        return False
    return _has_role(membership, roles)
