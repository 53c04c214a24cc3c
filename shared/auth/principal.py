from __future__ import annotations

import uuid
from collections.abc import Iterable

from pydantic import BaseModel

ORG_KINDS = ("operator", "supplier", "station", "retailer", "livestream_agency", "streamer")
ROLES = ("owner", "staff", "reviewer", "dispatcher", "driver", "finance", "admin")


class Membership(BaseModel):
    org_id: uuid.UUID
    org_kind: str
    region_id: uuid.UUID
    roles: list[str]
    org_status: str = "active"


class Principal(BaseModel):
    user_id: uuid.UUID
    session_id: uuid.UUID | None = None
    platform_admin: bool = False
    memberships: list[Membership] = []
    # when the access token was issued (ms since the epoch): revocation markers newer than
    # this make the token stale (shared/auth/tokens.py)
    issued_at_ms: int | None = None

    def memberships_where(
        self,
        kinds: Iterable[str] | None = None,
        roles: Iterable[str] | None = None,
        *,
        active_only: bool = True,
    ) -> list[Membership]:
        kinds = set(kinds) if kinds is not None else None
        roles = set(roles) if roles is not None else None
        return [
            m
            for m in self.memberships
            if (kinds is None or m.org_kind in kinds)
            and (roles is None or roles & set(m.roles))
            and (not active_only or m.org_status == "active")
        ]

    def org_ids(
        self, kinds: Iterable[str] | None = None, roles: Iterable[str] | None = None
    ) -> list[uuid.UUID]:
        return [m.org_id for m in self.memberships_where(kinds, roles)]

    def operator_region_ids(self, roles: Iterable[str] | None = None) -> list[uuid.UUID]:
        """Regions this caller runs as a member of the region's operator organisation."""
        return [m.region_id for m in self.memberships_where(["operator"], roles)]

    def is_operator_of(self, region_id: uuid.UUID, roles: Iterable[str] | None = None) -> bool:
        return region_id in self.operator_region_ids(roles)

    def membership_in(self, org_id: uuid.UUID) -> Membership | None:
        for m in self.memberships:
            if m.org_id == org_id:
                return m
        return None
