"""Brand licences: the status machine and whether a licence lets a product carry the brand."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.state_machine import machine

LICENCE_STATUSES = ("active", "suspended", "expired", "revoked")

LICENCE_MACHINE = machine(
    "brand licence",
    [
        ("active", "suspend", "suspended"),
        ("suspended", "reinstate", "active"),
        ("active", "expire", "expired"),
        ("suspended", "expire", "expired"),
        ("expired", "renew", "active"),
        ("active", "revoke", "revoked"),
        ("suspended", "revoke", "revoked"),
        ("expired", "revoke", "revoked"),
    ],
)


@dataclass(frozen=True)
class LicenceView:
    id: uuid.UUID
    status: str
    valid_from: date
    valid_until: date
    product_ids: frozenset[str]


def licence_covers(licence: LicenceView, product_id: uuid.UUID, today: date) -> bool:
    """An active licence, within its validity, naming the product."""
    return (
        licence.status == "active"
        and licence.valid_from <= today <= licence.valid_until
        and str(product_id) in licence.product_ids
    )


def covering_licence(
    licences: Iterable[LicenceView], product_id: uuid.UUID, today: date
) -> LicenceView | None:
    covering = [lic for lic in licences if licence_covers(lic, product_id, today)]
    # The one that lasts longest wins (stable for equal dates by id).
    return max(covering, key=lambda lic: (lic.valid_until, str(lic.id)), default=None)
