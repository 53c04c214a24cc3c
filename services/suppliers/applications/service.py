"""Onboarding and review: drafts, the review state machine and the supplier records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers import crypto
from services.suppliers.applications import rules
from services.suppliers.applications.models import HouseholdLink, Supplier, SupplierTransition
from services.suppliers.applications.repository import SupplierRepository
from services.suppliers.applications.rules import SUPPLIER_LIFECYCLE
from services.suppliers.applications.schemas import (
    ChangesRequest,
    SupplierCreate,
    SupplierFields,
    SupplierUpdate,
)
from services.suppliers.documents.lifecycle import DOCUMENT_REVIEW
from services.suppliers.documents.models import QualificationDocument
from services.suppliers.documents.repository import DocumentRepository
from services.suppliers.identifiers import (
    credit_code_problems,
    id_number_problems,
    mask_id_number,
    normalise,
)
from services.suppliers.organisations.repository import OrganisationRepository
from services.suppliers.organisations.service import region_today
from services.suppliers.problems import (
    APPLICATION_EXISTS,
    APPLICATION_INCOMPLETE,
    CREDIT_CODE_TAKEN,
    DOCUMENTS_NEED_ATTENTION,
    INVALID_CREDIT_CODE,
    INVALID_ID_NUMBER,
    NOT_EDITABLE,
    ORGANISATION_NOT_ACTIVE,
    ORGANISATION_SUSPENDED,
)
from shared.auth import Principal
from shared.auth.access import ACTIVE_ONLY, acting_membership, ensure_readable, ensure_writable
from shared.auth.principal import Membership
from shared.auth.scope import ensure_operator_of
from shared.db import utcnow
from shared.errors import Conflict, FieldError, Forbidden, NotFound, RuleViolation
from shared.events import publish
from shared.pagination import Sort, paginate

SUPPLIER_ROLES = ("owner", "admin", "staff")
# One onboarding path: the members of a supplier organisation that signed up (identity:
# pending) start the application, upload documents and submit at once; the operator's
# approval of the application approves the organisation in identity too (identity handles
# suppliers.supplier.approved). Everything else needs an active organisation.
ONBOARDING_ORG_STATUSES = ("pending", "active")
# Its own people read their record whatever their organisation's status in identity: a
# pending organisation onboards through it, a suspended or rejected one reads why.
OWN_READ_STATUSES = ("pending", "active", "suspended", "rejected")
ORG_STATUS_REASONS = {
    "pending": "Your organisation is pending approval; it is approved with its application",
    "suspended": "Your organisation is suspended on the platform",
    "rejected": "Your organisation's sign-up was rejected",
}
REVIEW_ROLES = ("owner", "admin", "reviewer")
ID_NUMBER_PURPOSE = "suppliers/id-number"
# Business dates (document validity, expiry warnings) are the county's local dates.
DEFAULT_TIMEZONE = "Asia/Shanghai"

LIST_SORT = {
    "created_at": Supplier.created_at,
    "legal_name": Supplier.legal_name,
    "submitted_at": Supplier.submitted_at,
}
QUEUE_SORT = {"submitted_at": Supplier.submitted_at}


def local_today(timezone: str = DEFAULT_TIMEZONE) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    role: str  # supplier, operator or system

    @classmethod
    def system(cls) -> Actor:
        return cls(None, "system")


# ------------------------------------------------------------------ loading and authorising


async def load_visible(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, *, for_update: bool = False
) -> Supplier:
    """The supplier if the caller is one of its people or its region's operator; else 404."""
    repo = SupplierRepository(session)
    supplier = await repo.get(supplier_id)
    if supplier is None:
        raise NotFound("No such supplier")
    ensure_readable(
        principal,
        org_id=supplier.id,
        region_id=supplier.region_id,
        what="supplier",
        statuses=OWN_READ_STATUSES,
    )
    if for_update:  # locked only once the caller may see it
        supplier = await repo.get(supplier_id, for_update=True)
        if supplier is None:
            raise NotFound("No such supplier")
    return supplier


def is_operator_for(principal: Principal, supplier: Supplier) -> bool:
    return principal.platform_admin or principal.is_operator_of(supplier.region_id)


def org_status_refusal(membership: Membership) -> Forbidden:
    """A 403 that says why: the organisation is pending (outside onboarding), suspended or
    rejected in identity."""
    return Forbidden(
        ORG_STATUS_REASONS.get(
            membership.org_status, f"Your organisation is {membership.org_status}"
        ),
        code=ORGANISATION_NOT_ACTIVE,
        extra={"organisation_status": membership.org_status},
    )


def ensure_supplier_member(
    principal: Principal, supplier: Supplier, roles=SUPPLIER_ROLES, *, onboarding: bool = False
) -> None:
    """Only the supplier's own people act for it (its operator sees it but cannot act for it).
    `onboarding`: drafting, documents and submitting, allowed while the organisation is pending."""
    ensure_writable(
        principal,
        org_id=supplier.id,
        region_id=supplier.region_id,
        roles=roles,
        operator_roles=None,
        what="supplier",
        statuses=ONBOARDING_ORG_STATUSES if onboarding else ACTIVE_ONLY,
        status_refusal=org_status_refusal,
    )


def _caller_supplier_org(
    principal: Principal, wanted: uuid.UUID | None
) -> tuple[uuid.UUID, uuid.UUID]:
    membership = acting_membership(
        principal,
        wanted,
        kinds=["supplier"],
        roles=SUPPLIER_ROLES,
        statuses=ONBOARDING_ORG_STATUSES,
        status_refusal=org_status_refusal,
    )
    return membership.org_id, membership.region_id


# ------------------------------------------------------------------ drafts


async def create_draft(
    session: AsyncSession, principal: Principal, data: SupplierCreate
) -> Supplier:
    org_id, region_id = _caller_supplier_org(principal, data.organisation_id)
    repo = SupplierRepository(session)
    if await repo.exists(org_id):
        raise Conflict(
            "This organisation has already started an application", code=APPLICATION_EXISTS
        )
    supplier = Supplier(
        id=org_id,
        region_id=region_id,
        status="draft",
        supplier_kind=data.supplier_kind,
        legal_name="",
        contacts=[],
        products=[],
        capacity=[],
        household_relation="none",
        makes_processed_food=False,
        households=[],
    )
    _apply_fields(supplier, data)
    await _ensure_credit_code_free(session, supplier)
    repo.add(supplier)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent first application for the same organisation
        raise Conflict(
            "This organisation has already started an application", code=APPLICATION_EXISTS
        ) from exc
    return supplier


async def update_draft(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, data: SupplierUpdate
) -> Supplier:
    supplier = await load_visible(session, principal, supplier_id, for_update=True)
    ensure_supplier_member(principal, supplier, onboarding=True)
    if supplier.status not in rules.EDITABLE_STATUSES:
        raise Conflict(
            f"An application that is {supplier.status} cannot be edited",
            code=NOT_EDITABLE,
            extra={"current_status": supplier.status},
        )
    if data.supplier_kind is not None:
        supplier.supplier_kind = data.supplier_kind
    _apply_fields(supplier, data)
    await _ensure_credit_code_free(session, supplier)
    await session.flush()
    return supplier


async def _ensure_credit_code_free(session: AsyncSession, supplier: Supplier) -> None:
    """One legal entity, one supplier record."""
    if supplier.credit_code and await SupplierRepository(session).credit_code_taken(
        supplier.credit_code, supplier.id
    ):
        raise Conflict(
            "Another supplier is registered with this credit code",
            code=CREDIT_CODE_TAKEN,
            errors=[FieldError("credit_code", "already registered", "taken")],
        )


def _apply_fields(supplier: Supplier, data: SupplierFields) -> None:
    given = data.model_dump(exclude_unset=True, exclude={"organisation_id", "supplier_kind"})
    if given.get("credit_code"):
        code = normalise(given["credit_code"])
        problems = credit_code_problems(code)
        if problems:
            raise RuleViolation(
                "The unified social credit code is not valid",
                code=INVALID_CREDIT_CODE,
                errors=[FieldError("credit_code", p, "check_digit") for p in problems],
            )
        given["credit_code"] = code
    if "id_number" in given:
        number = given.pop("id_number")
        if number:
            number = normalise(number)
            problems = id_number_problems(number)
            if problems:
                raise RuleViolation(
                    "The identity card number is not valid",
                    code=INVALID_ID_NUMBER,
                    errors=[FieldError("id_number", p, "check_digit") for p in problems],
                )
            supplier.id_number_sealed = crypto.seal(
                number, purpose=ID_NUMBER_PURPOSE, bound_to=str(supplier.id)
            )
            supplier.id_number_masked = mask_id_number(number)
        else:
            supplier.id_number_sealed = None
            supplier.id_number_masked = None
    households = given.pop("households", None)
    for name, value in given.items():
        if value is None and name in _LISTS:
            value = []
        elif value is None and name in _NOT_NULL:
            continue
        setattr(supplier, name, value)
    if households is not None:
        supplier.households = [HouseholdLink(**h) for h in households]


_LISTS = {"contacts", "products", "capacity"}
_NOT_NULL = {"legal_name", "makes_processed_food", "household_relation"}


# ------------------------------------------------------------------ the state machine


def _event_data(supplier: Supplier, reason: str | None) -> dict[str, Any]:
    return {
        "supplier_id": str(supplier.id),
        "region_id": str(supplier.region_id),
        "legal_name": supplier.legal_name,
        "display_name": supplier.display_name or supplier.legal_name,
        "township": supplier.township,
        "supports_households": supplier.supports_households,
        "reason": reason,
    }


async def apply_transition(
    session: AsyncSession,
    supplier: Supplier,
    action: str,
    actor: Actor,
    reason: str | None = None,
    document_reasons: list[dict[str, str]] | None = None,
) -> SupplierTransition:
    """Move the application by the table, record who/when/why and publish the event."""
    src = supplier.status
    dst = rules.SUPPLIER_LIFECYCLE.next_state(src, action)
    now = utcnow()
    await SUPPLIER_LIFECYCLE.apply(
        session, supplier, action, actor_id=actor.user_id, reason=reason, data={"role": actor.role}
    )
    supplier.status_reason = reason
    if action in ("submit", "resubmit"):
        supplier.submitted_at = now
        supplier.review_started_at = None
        supplier.reviewer_user_id = None
    elif action == "start_review":
        supplier.review_started_at = now
        supplier.reviewer_user_id = actor.user_id
    elif action == "approve" and supplier.approved_at is None:
        supplier.approved_at = now
    transition = SupplierTransition(
        supplier_id=supplier.id,
        from_status=src,
        to_status=dst,
        action=action,
        actor_user_id=actor.user_id,
        actor_role=actor.role,
        reason=reason,
        document_reasons=document_reasons or [],
        at=now,
    )
    SupplierRepository(session).add(transition)
    event_type = rules.SELLING_EVENTS.get(action)
    if event_type is not None:
        await publish(
            session, event_type, _event_data(supplier, reason), region_id=supplier.region_id
        )
    else:
        await publish(
            session,
            rules.STATUS_CHANGED_EVENT,
            {
                "supplier_id": str(supplier.id),
                "region_id": str(supplier.region_id),
                "from_status": src,
                "to_status": dst,
                "action": action,
                "reason": reason,
            },
            region_id=supplier.region_id,
        )
    return transition


async def act(
    session: AsyncSession,
    principal: Principal,
    supplier_id: uuid.UUID,
    action: str,
    reason: str | None = None,
    changes: ChangesRequest | None = None,
) -> Supplier:
    """A person applies one action: authorised by who they are, checked by the rules."""
    supplier = await load_visible(session, principal, supplier_id, for_update=True)
    if action in rules.SUPPLIER_ACTIONS:
        ensure_supplier_member(principal, supplier, onboarding=True)
        actor = Actor(principal.user_id, "supplier")
    else:
        ensure_operator_of(principal, supplier.region_id, REVIEW_ROLES)
        actor = Actor(principal.user_id, "operator")
    if action in rules.REASON_REQUIRED and not reason:
        raise RuleViolation(
            "Say why", code="validation-error", errors=[FieldError("reason", "required")]
        )
    # Reject an impossible transition before checking preconditions.
    rules.SUPPLIER_LIFECYCLE.next_state(supplier.status, action)
    documents = DocumentRepository(session)
    today = await region_today(session, supplier.region_id)
    document_reasons: list[dict[str, str]] = []
    if action in ("submit", "resubmit"):
        await _ensure_complete(session, supplier, today)
    elif action == "approve":
        await _ensure_documents_in_order(session, supplier, today)
        await _accept_pending(session, documents, supplier, actor)
    elif action == "reinstate":
        await _ensure_organisation_not_suspended(session, supplier)
        await _ensure_documents_in_order(session, supplier, today)
        await _accept_pending(session, documents, supplier, actor)
    elif action == "request_changes":
        assert changes is not None
        document_reasons = await _flag_documents(session, supplier, changes, principal.user_id)
    await apply_transition(session, supplier, action, actor, reason, document_reasons)
    await session.flush()
    return supplier


async def _accept_pending(
    session: AsyncSession, documents: DocumentRepository, supplier: Supplier, actor: Actor
) -> None:
    """The approval (or reinstatement) accepts the documents it was decided on."""
    for document in await documents.pending_of(supplier.id):
        await DOCUMENT_REVIEW.apply(
            session, document, "accept", actor_id=actor.user_id, field="review_status"
        )
        document.review_reason = None


def _states(documents: list[QualificationDocument]) -> list[rules.DocumentState]:
    return [rules.DocumentState(d.kind, d.valid_until, d.review_status) for d in documents]


async def _ensure_complete(session: AsyncSession, supplier: Supplier, today: date) -> None:
    facts = rules.ApplicationFacts(
        supplier_kind=supplier.supplier_kind,
        legal_name=supplier.legal_name,
        credit_code=supplier.credit_code,
        has_id_number=supplier.id_number_sealed is not None,
        legal_representative=supplier.legal_representative,
        contacts=supplier.contacts,
        township=supplier.township,
        village=supplier.village,
        address=supplier.address,
        products=supplier.products,
        household_relation=supplier.household_relation,
        household_count=len(supplier.current_households),
    )
    errors = [FieldError(f, m, "missing") for f, m in rules.missing_fields(facts)]
    documents = await DocumentRepository(session).of_supplier(supplier.id)
    errors += _document_errors(supplier, documents, today)
    if errors:
        raise RuleViolation(
            "Complete the application before submitting it",
            code=APPLICATION_INCOMPLETE,
            errors=errors,
        )


def _document_errors(
    supplier: Supplier, documents: list[QualificationDocument], today: date
) -> list[FieldError]:
    errors = [
        FieldError(f"documents.{kind}", "a document in force is required", "missing_document")
        for kind in rules.lapsed_required_kinds(
            supplier.supplier_kind, supplier.makes_processed_food, _states(documents), today
        )
    ]
    errors += [
        FieldError(f"documents.{d.id}", f"needs changes: {d.review_reason}", "changes_requested")
        for d in documents
        if d.review_status == "changes_requested"
    ]
    return errors


async def _ensure_documents_in_order(
    session: AsyncSession, supplier: Supplier, today: date
) -> None:
    documents = await DocumentRepository(session).of_supplier(supplier.id)
    errors = _document_errors(supplier, documents, today)
    if errors:
        raise RuleViolation(
            "The supplier's documents are not in order",
            code=DOCUMENTS_NEED_ATTENTION,
            errors=errors,
        )


async def _ensure_organisation_not_suspended(session: AsyncSession, supplier: Supplier) -> None:
    """A supplier whose organisation the platform suspended stays suspended until identity acts."""
    organisation = await OrganisationRepository(session).get(supplier.id)
    if organisation is not None and organisation.status == "suspended":
        raise Conflict(
            "The organisation itself is suspended; reinstate it first",
            code=ORGANISATION_SUSPENDED,
        )


async def _flag_documents(
    session: AsyncSession,
    supplier: Supplier,
    changes: ChangesRequest,
    actor_id: uuid.UUID | None,
) -> list[dict[str, str]]:
    repo = DocumentRepository(session)
    flagged = []
    for item in changes.documents:
        document = await repo.get_for_supplier(supplier.id, item.document_id)
        if document is None or document.review_status not in ("pending", "accepted"):
            raise RuleViolation(
                "A document named is not one of this application's current documents",
                code="validation-error",
                errors=[
                    FieldError("documents.document_id", f"unknown document {item.document_id}")
                ],
            )
        await DOCUMENT_REVIEW.apply(
            session,
            document,
            "request_changes",
            actor_id=actor_id,
            reason=item.reason,
            field="review_status",
        )
        document.review_reason = item.reason
        flagged.append(
            {"document_id": str(document.id), "kind": document.kind, "reason": item.reason}
        )
    return flagged


async def suspend_for_lapse(
    session: AsyncSession, supplier: Supplier, lapsed_kinds: list[str]
) -> SupplierTransition:
    """The daily job's suspension: a required document lapsed, so selling stops."""
    reason = "Required qualification lapsed: " + ", ".join(lapsed_kinds)
    return await apply_transition(session, supplier, "suspend", Actor.system(), reason)


# ------------------------------------------------------------------ reading


async def history(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID
) -> list[SupplierTransition]:
    await load_visible(session, principal, supplier_id)
    return await SupplierRepository(session).transitions(supplier_id)


async def list_suppliers(
    session: AsyncSession,
    principal: Principal,
    *,
    status: str | None,
    supplier_kind: str | None,
    township: str | None,
    supports_households: bool | None,
    q: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Supplier], str | None]:
    repo = SupplierRepository(session)
    stmt = repo.filtered(
        repo.visible_to(principal), status=status, supplier_kind=supplier_kind, township=township
    )
    stmt = repo.name_contains(repo.supporting_households(stmt, supports_households), q)
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=LIST_SORT,
        id_column=Supplier.id,
        cursor=cursor,
        limit=limit,
    )


async def review_queue(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    statuses: list[str],
    supplier_kind: str | None,
    township: str | None,
    supports_households: bool | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[tuple[Supplier, int, int]], str | None]:
    """Applications waiting for the operator, longest-waiting first, with their waiting time."""
    regions = principal.operator_region_ids(REVIEW_ROLES + ("staff",))
    if not regions and not principal.platform_admin:
        raise Forbidden("Only a region's operator reviews supplier applications")
    if region_id is not None:
        ensure_operator_of(principal, region_id)
    repo = SupplierRepository(session)
    stmt = repo.filtered(
        repo.visible_to(principal),
        region_id=region_id,
        status=statuses,
        supplier_kind=supplier_kind,
        township=township,
    )
    stmt = repo.supporting_households(stmt, supports_households)
    stmt = stmt.where(Supplier.submitted_at.is_not(None))
    rows, next_cursor = await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=QUEUE_SORT,
        id_column=Supplier.id,
        cursor=cursor,
        limit=limit,
    )
    needing = await DocumentRepository(session).count_needing_changes(s.id for s in rows)
    now = utcnow()
    items = [
        (s, int((now - s.submitted_at).total_seconds()), needing.get(s.id, 0))
        for s in rows
        if s.submitted_at is not None
    ]
    return items, next_cursor


async def public_profile(
    session: AsyncSession, supplier_id: uuid.UUID
) -> tuple[Supplier, list[QualificationDocument]]:
    supplier = await SupplierRepository(session).get_listed(supplier_id, rules.LISTED_STATUSES)
    if supplier is None:
        raise NotFound("No such supplier")
    documents = await DocumentRepository(session).of_supplier(supplier.id)
    today = await region_today(session, supplier.region_id)
    shown = [
        d
        for d in documents
        if d.review_status == "accepted"
        and d.kind != "other"
        and (d.valid_until is None or d.valid_until >= today)
    ]
    return supplier, shown


async def public_profiles(
    session: AsyncSession, region_id: uuid.UUID, *, sort: Sort, cursor: str | None, limit: int
) -> tuple[list[Supplier], str | None]:
    stmt = SupplierRepository(session).listed_in(region_id, ["approved"])
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=LIST_SORT,
        id_column=Supplier.id,
        cursor=cursor,
        limit=limit,
    )


def reveal_id_number(supplier: Supplier) -> str | None:
    if supplier.id_number_sealed is None:
        return None
    return crypto.open_sealed(
        supplier.id_number_sealed, purpose=ID_NUMBER_PURPOSE, bound_to=str(supplier.id)
    )


async def suspend_for_organisation(
    session: AsyncSession, organisation_id: uuid.UUID, reason: str | None
) -> SupplierTransition | None:
    """Identity suspended the organisation: a selling supplier stops selling too."""
    supplier = await SupplierRepository(session).get(organisation_id, for_update=True)
    if supplier is None or supplier.status != "approved":
        return None
    why = "Organisation suspended by the platform" + (f": {reason}" if reason else "")
    return await apply_transition(session, supplier, "suspend", Actor.system(), why)
