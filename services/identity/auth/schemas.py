from __future__ import annotations

from pydantic import Field

from shared.schemas import Id, Schema, Timestamp, WriteSchema


class LoginRequest(WriteSchema):
    # not a demo login: the schemathesis fuzz posts the examples and would lock it out
    login: str = Field(min_length=3, max_length=120, examples=["13912345678"])
    password: str = Field(min_length=1, max_length=200, examples=["demo-password"])


class RefreshRequest(WriteSchema):
    refresh_token: str = Field(
        min_length=10, max_length=200, examples=["Zk2c9V3q1mRrT8yLxW0bQe7uHnJ4aPdS"]
    )


class TokenPair(Schema):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    session_id: Id


class SessionInfo(Schema):
    id: Id
    user_agent: str | None
    ip_address: str | None
    created_at: Timestamp
    last_used_at: Timestamp
    expires_at: Timestamp
    revoked_at: Timestamp | None
    current: bool = False
