"""The onboarding rules, as plain functions and tables (unit-tested without a database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from services.suppliers.identifiers import credit_code_problems, id_number_problems
from shared.state_machine import machine

SUPPLIER_KINDS = ("enterprise", "cooperative", "family_farm", "individual_farmer")
HOUSEHOLD_KINDS = ("poverty_alleviated", "monitored")
# Whether the supplier is such a household, buys from such households, or neither.
HOUSEHOLD_RELATIONS = ("none", "is_household", "buys_from_households")

DOCUMENT_KINDS = (
    "business_licence",
    "food_production_licence",
    "inspection_report",
    "compliance_certificate",
    "organic_certificate",
    "green_food_certificate",
    "geographical_indication",
    "other",
)

SUPPLIER_LIFECYCLE = machine(
    "supplier application",
    [
        ("draft", "submit", "submitted"),
        ("submitted", "withdraw", "draft"),
        ("submitted", "start_review", "under_review"),
        ("under_review", "approve", "approved"),
        ("under_review", "reject", "rejected"),
        ("under_review", "request_changes", "changes_requested"),
        ("changes_requested", "resubmit", "submitted"),
        ("rejected", "reopen", "draft"),
        ("approved", "suspend", "suspended"),
        ("suspended", "reinstate", "approved"),
    ],
)

SUPPLIER_ACTIONS = frozenset({"submit", "withdraw", "resubmit", "reopen"})
OPERATOR_ACTIONS = frozenset(
    {"start_review", "approve", "reject", "request_changes", "suspend", "reinstate"}
)
# Actions that must say why.
REASON_REQUIRED = frozenset({"reject", "request_changes", "suspend"})

EDITABLE_STATUSES = frozenset({"draft", "changes_requested"})
# Documents may be added while editing, and renewed while selling (or suspended).
UPLOAD_STATUSES = frozenset({"draft", "changes_requested", "approved", "suspended"})
WAITING_STATUSES = ("submitted", "under_review")
LISTED_STATUSES = frozenset({"approved", "suspended"})

# Events other services rely on (docs/events.md); other transitions use status_changed.
SELLING_EVENTS = {
    "approve": "suppliers.supplier.approved",
    "suspend": "suppliers.supplier.suspended",
    "reinstate": "suppliers.supplier.reinstated",
}
STATUS_CHANGED_EVENT = "suppliers.application.status_changed"


def required_document_kinds(supplier_kind: str, makes_processed_food: bool) -> set[str]:
    """Registered businesses need a business licence; processed food needs an SC licence."""
    required = set()
    if supplier_kind in ("enterprise", "cooperative", "family_farm"):
        required.add("business_licence")
    if makes_processed_food:
        required.add("food_production_licence")
    if supplier_kind == "individual_farmer":
        # Edible farm produce sold by a farmer carries a compliance certificate (承诺达标合格证).
        required.add("compliance_certificate")
    return required


@dataclass(frozen=True)
class DocumentState:
    kind: str
    valid_until: date | None
    review_status: str

    def in_force(self, today: date) -> bool:
        return self.review_status in ("pending", "accepted") and (
            self.valid_until is None or self.valid_until >= today
        )


def lapsed_required_kinds(
    supplier_kind: str, makes_processed_food: bool, documents: Iterable[DocumentState], today: date
) -> list[str]:
    """Required document kinds with no document in force on `today`."""
    documents = list(documents)
    covered = {d.kind for d in documents if d.in_force(today)}
    return sorted(required_document_kinds(supplier_kind, makes_processed_food) - covered)


@dataclass(frozen=True)
class ApplicationFacts:
    supplier_kind: str
    legal_name: str | None
    credit_code: str | None
    has_id_number: bool
    legal_representative: str | None
    contacts: list[dict]
    township: str | None
    village: str | None
    address: str | None
    products: list[str]
    household_relation: str
    household_count: int


def missing_fields(facts: ApplicationFacts) -> list[tuple[str, str]]:
    """(field, message) for what a submitted application must have."""
    missing: list[tuple[str, str]] = []
    if not facts.legal_name:
        missing.append(("legal_name", "required"))
    if facts.supplier_kind == "individual_farmer":
        if not facts.has_id_number:
            missing.append(("id_number", "an individual farmer gives an identity card number"))
    elif not facts.credit_code:
        missing.append(("credit_code", "required for enterprises, cooperatives and family farms"))
    elif credit_code_problems(facts.credit_code):
        missing.append(("credit_code", "; ".join(credit_code_problems(facts.credit_code))))
    if facts.supplier_kind != "individual_farmer" and not facts.legal_representative:
        missing.append(("legal_representative", "required"))
    if not facts.contacts:
        missing.append(("contacts", "at least one contact"))
    for name in ("address", "township", "village"):
        if not getattr(facts, name):
            missing.append((name, "required"))
    if not facts.products:
        missing.append(("products", "at least one product"))
    if facts.household_relation != "none" and facts.household_count == 0:
        missing.append(("households", "list the households the county keeps references for"))
    return missing


def id_number_errors(number: str) -> list[str]:
    return id_number_problems(number)
