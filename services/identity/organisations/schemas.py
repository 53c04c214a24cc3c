from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.identity.users.schemas import UserCreate
from shared.schemas import Id, Schema, Timestamp, WriteSchema

OrgKind = Literal["operator", "supplier", "station", "retailer", "livestream_agency", "streamer"]
SignupKind = Literal["supplier", "station", "retailer", "livestream_agency", "streamer"]


class OrganisationFields(WriteSchema):
    name: str = Field(min_length=1, max_length=200, examples=["封丘县金银花种植专业合作社"])
    contact_phone: str | None = Field(default=None, max_length=32, examples=["0373-8888888"])


class SignupOrganisation(OrganisationFields):
    kind: SignupKind


class SignupRequest(WriteSchema):
    region_id: Id = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    organisation: SignupOrganisation
    user: UserCreate


class OrganisationCreate(OrganisationFields):
    """A platform administrator creates an organisation directly (active), with its owner."""

    region_id: Id = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    kind: OrgKind
    owner: UserCreate


class OrganisationDecision(WriteSchema):
    reason: str | None = Field(default=None, max_length=1000)


class Organisation(Schema):
    id: Id
    region_id: Id
    kind: str
    name: str
    contact_phone: str | None
    status: str
    created_at: Timestamp


class SignupResult(Schema):
    organisation: Organisation
    user_id: Id
