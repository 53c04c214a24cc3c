from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from shared.schemas import Id, Schema, Timestamp, WriteSchema

Role = Literal["owner", "staff", "reviewer", "dispatcher", "driver", "finance", "admin"]


def normalise_login(value: str) -> str:
    value = value.strip().lower()
    if "@" in value:
        local, _, domain = value.partition("@")
        if not local or "." not in domain:
            raise ValueError("not a valid e-mail address")
        return value
    digits = value.replace(" ", "").replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not (digits.isdigit() and len(digits) == 11 and digits.startswith("1")):
        raise ValueError("a login is an 11-digit mainland mobile number or an e-mail address")
    return digits


class UserCreate(WriteSchema):
    login: str = Field(min_length=3, max_length=120, examples=["13912345678"])
    password: str = Field(min_length=8, max_length=200, examples=["a-long-passphrase"])
    display_name: str = Field(min_length=1, max_length=100, examples=["王站长"])

    @field_validator("login")
    @classmethod
    def valid_login(cls, value: str) -> str:
        return normalise_login(value)


class Membership(Schema):
    organisation_id: Id
    organisation_name: str
    organisation_kind: str
    organisation_status: str
    region_id: Id
    roles: list[str]


class Me(Schema):
    id: Id
    login: str
    display_name: str
    platform_admin: bool
    memberships: list[Membership]


class Member(Schema):
    membership_id: Id
    user_id: Id
    login: str
    display_name: str
    roles: list[str]
    joined_at: Timestamp


class InvitationCreate(WriteSchema):
    login: str = Field(min_length=3, max_length=120, examples=["13912345679"])
    roles: list[Role] = Field(min_length=1, examples=[["staff"]])

    @field_validator("login")
    @classmethod
    def valid_login(cls, value: str) -> str:
        return normalise_login(value)


class MemberUpdate(WriteSchema):
    roles: list[Role] = Field(
        min_length=1,
        description="The member's roles from now on (replacing the current ones)",
        examples=[["staff"]],
    )


class InvitationCreated(Schema):
    id: Id
    organisation_id: Id
    login: str
    roles: list[str]
    expires_at: Timestamp
    token: str = Field(description="Sent to the invitee (SMS in production); shown once")


class InvitationAccept(WriteSchema):
    token: str = Field(min_length=10, max_length=200, examples=["pQ7xV2kLmN9rT4sW8yZ1bC3d"])
    password: str = Field(min_length=8, max_length=200, examples=["a-long-passphrase"])
    display_name: str | None = Field(default=None, min_length=1, max_length=100)
