"""The service's authorisation on top of shared.auth: objects with two owning organisations
(a sample is the streamer's and the supplier's) are readable by a member of either."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from shared.auth import (
    OPERATOR_WRITE_ROLES,
    ensure_operator_of,
    ensure_readable,
    ensure_writable,
    may_read,
)
from shared.auth.principal import Principal
from shared.errors import Forbidden, NotFound


def ensure_readable_by_any(
    principal: Principal,
    *,
    org_ids: Iterable[uuid.UUID | None],
    region_id: uuid.UUID,
    what: str = "object",
) -> None:
    """Readable for a member of any of the owning organisations (or the operator), else 404."""
    owners = [o for o in org_ids if o is not None]
    if any(may_read(principal, org_id=o, region_id=region_id) for o in owners):
        return
    if not owners:
        raise NotFound(f"No such {what}")
    ensure_readable(principal, org_id=owners[0], region_id=region_id, what=what)


def ensure_operator(principal: Principal, region_id: uuid.UUID, *, write: bool = True) -> None:
    """Region-level actions of the base (rooms, quota bands, figures): the region's operator."""
    if write:
        ensure_operator_of(principal, region_id, OPERATOR_WRITE_ROLES)
    else:
        ensure_operator_of(principal, region_id)


def ensure_may_change(
    principal: Principal, *, org_id: uuid.UUID, region_id: uuid.UUID, what: str = "object"
) -> None:
    """For objects the region may see (an active pool entry, an open plan): the caller has
    already seen it, so a refusal to change it is a 403, not a 404."""
    try:
        ensure_writable(principal, org_id=org_id, region_id=region_id, what=what)
    except NotFound:
        raise Forbidden(
            f"Only the {what}'s supplier or the region's operator may change it"
        ) from None
