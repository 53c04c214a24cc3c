"""Certificates: when a product is held for a lapsed certificate, and when to warn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

KINDS = (
    "inspection_report",
    "compliance_certificate",
    "organic",
    "green_food",
    "geographical_indication",
)
KIND_NAMES_ZH = {
    "inspection_report": "质检报告",
    "compliance_certificate": "食用农产品承诺达标合格证",
    "organic": "有机产品认证",
    "green_food": "绿色食品证书",
    "geographical_indication": "地理标志证明",
}
WARN_DAYS = (30, 7)


@dataclass(frozen=True)
class CertificateView:
    kind: str
    required: bool
    valid_from: date | None
    valid_until: date | None


def is_valid(cert: CertificateView, today: date) -> bool:
    started = cert.valid_from is None or cert.valid_from <= today
    return started and (cert.valid_until is None or today <= cert.valid_until)


def lapsed_kinds(certificates: Iterable[CertificateView], today: date) -> list[str]:
    """Kinds of required certificate of which no certificate is valid today.

    A renewal (a newer certificate of the same kind) lifts the hold: the kind counts as
    long as any one of its certificates is valid.
    """
    required: set[str] = set()
    valid: set[str] = set()
    for cert in certificates:
        if cert.required:
            required.add(cert.kind)
        if is_valid(cert, today):
            valid.add(cert.kind)
    return sorted(required - valid)


def valid_kinds(certificates: Iterable[CertificateView], today: date) -> list[str]:
    return sorted({c.kind for c in certificates if is_valid(c, today)})


def warning_due(valid_until: date | None, today: date) -> str | None:
    """The warning a certificate should have by today: the tightest threshold reached."""
    if valid_until is None or valid_until < today:
        return None
    days_left = (valid_until - today).days
    for days in sorted(WARN_DAYS):
        if days_left <= days:
            return f"expires_in_{days}_days"
    return None
