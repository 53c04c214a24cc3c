from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.schemas import Id, Schema, Timestamp, WriteSchema

SupplierKind = Literal["enterprise", "cooperative", "family_farm", "individual_farmer"]
HouseholdKind = Literal["poverty_alleviated", "monitored"]
HouseholdRelation = Literal["none", "is_household", "buys_from_households"]
Season = Literal["spring", "summer", "autumn", "winter", "all_year"]
Status = Literal[
    "draft", "submitted", "under_review", "approved", "rejected", "changes_requested", "suspended"
]


class ContactCreate(WriteSchema):
    name: str = Field(min_length=1, max_length=100, examples=["王建国"])
    phone: str = Field(min_length=5, max_length=32, examples=["13837300000"])
    role: str | None = Field(default=None, max_length=60, examples=["销售负责人"])


class SeasonCapacityCreate(WriteSchema):
    product: str = Field(min_length=1, max_length=100, examples=["金银花干花"])
    season: Season
    quantity: int = Field(gt=0, le=10**9, examples=[5000])
    unit: str = Field(min_length=1, max_length=20, examples=["kg"])


class DraftHouseholdLink(WriteSchema):
    household_kind: HouseholdKind
    household_ref: str = Field(
        min_length=1, max_length=64, description="The county's reference for the household"
    )
    head_name: str | None = Field(default=None, max_length=100)
    village: str | None = Field(default=None, max_length=100)


class SupplierFields(WriteSchema):
    legal_name: str | None = Field(default=None, min_length=1, max_length=200)
    display_name: str | None = Field(default=None, max_length=100, examples=["封丘金银花合作社"])
    credit_code: str | None = Field(
        default=None,
        max_length=32,
        description="Unified social credit code (GB 32100-2015)",
        examples=["91350100M000100Y43"],
    )
    id_number: str | None = Field(
        default=None, max_length=32, description="Identity card number of an individual farmer"
    )
    legal_representative: str | None = Field(default=None, max_length=100)
    contacts: list[ContactCreate] | None = Field(default=None, max_length=10)
    address: str | None = Field(default=None, max_length=300)
    township: str | None = Field(default=None, max_length=100, examples=["应举镇"])
    village: str | None = Field(default=None, max_length=100, examples=["前吴村"])
    products: list[str] | None = Field(default=None, max_length=50, examples=[["金银花", "树莓"]])
    capacity: list[SeasonCapacityCreate] | None = Field(default=None, max_length=100)
    makes_processed_food: bool | None = None
    household_relation: HouseholdRelation | None = None
    households: list[DraftHouseholdLink] | None = Field(
        default=None, max_length=500, description="Replaces the list when given"
    )
    description: str | None = Field(default=None, max_length=2000)


class SupplierCreate(SupplierFields):
    """Start a draft application. Only the kind is required; save the rest as you go."""

    organisation_id: Id | None = Field(
        default=None, description="Your supplier organisation; needed only if you belong to several"
    )
    supplier_kind: SupplierKind


class SupplierUpdate(SupplierFields):
    """Save a draft: the fields given replace the stored ones."""

    supplier_kind: SupplierKind | None = None


class Contact(Schema):
    name: str
    phone: str
    role: str | None = None


class SeasonCapacity(Schema):
    product: str
    season: str
    quantity: int
    unit: str


class HouseholdLink(Schema):
    id: Id
    household_kind: str
    household_ref: str
    head_name: str | None
    village: str | None


class Supplier(Schema):
    """The application as its supplier sees it (household references stay with the operator)."""

    id: Id
    region_id: Id
    status: Status
    supplier_kind: str
    legal_name: str
    display_name: str | None
    credit_code: str | None
    id_number_masked: str | None = Field(description="e.g. 4107**********123X")
    legal_representative: str | None
    contacts: list[Contact]
    address: str | None
    township: str | None
    village: str | None
    products: list[str]
    capacity: list[SeasonCapacity]
    makes_processed_food: bool
    household_relation: str
    supports_households: bool
    household_count: int
    description: str | None
    can_sell: bool
    status_reason: str | None
    allowed_actions: list[str]
    submitted_at: Timestamp | None
    approved_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp


class SupplierForOperator(Supplier):
    households: list[HouseholdLink]
    reviewer_user_id: Id | None
    review_started_at: Timestamp | None


class QueueItem(Schema):
    id: Id
    region_id: Id
    status: Status
    supplier_kind: str
    legal_name: str
    township: str | None
    supports_households: bool
    submitted_at: Timestamp | None
    waiting_seconds: int = Field(description="Since it was (re)submitted")
    reviewer_user_id: Id | None
    documents_needing_changes: int


class PublicDocument(Schema):
    kind: str
    valid_until: str | None


class SupplierProfile(Schema):
    """Public fields for buyers and streamers."""

    id: Id
    region_id: Id
    display_name: str
    legal_name: str
    supplier_kind: str
    township: str | None
    village: str | None
    products: list[str]
    capacity: list[SeasonCapacity]
    supports_households: bool
    can_sell: bool
    description: str | None
    qualifications: list[PublicDocument]


class DocumentReason(WriteSchema):
    document_id: Id
    reason: str = Field(min_length=1, max_length=1000, examples=["营业执照照片不清晰，请重新上传"])


class Decision(WriteSchema):
    reason: str | None = Field(default=None, max_length=2000)


class ChangesRequest(WriteSchema):
    reason: str = Field(min_length=1, max_length=2000, examples=["营业执照照片不清晰，请重新上传"])
    documents: list[DocumentReason] = Field(default_factory=list, max_length=100)


class Transition(Schema):
    id: Id
    from_status: str
    to_status: str
    action: str
    actor_user_id: Id | None
    actor_role: str
    reason: str | None
    document_reasons: list[dict]
    at: Timestamp


class TransitionList(Schema):
    items: list[Transition]
