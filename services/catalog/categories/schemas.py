from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Id, Schema, WriteSchema

CategoryActionName = Literal["retire", "reinstate"]


class CategoryFields(WriteSchema):
    name: str = Field(min_length=1, max_length=100, examples=["金银花"])
    position: int = Field(
        default=0, ge=0, le=10_000, description="Order in the apps' filter (smallest first)"
    )


class CategoryCreate(CategoryFields):
    region_id: Id = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])


class CategoryUpdate(CategoryFields):
    """Rename and/or move; a rename carries over to every product and brand naming it."""


class CategoryAction(WriteSchema):
    reason: str | None = Field(default=None, max_length=500)


class Category(Schema):
    id: Id
    region_id: Id
    name: str
    position: int
    products: int = Field(description="Products on sale in this category now")


class CategoryChange(Schema):
    action: str
    from_name: str | None
    to_name: str
    from_status: str | None
    to_status: str
    reason: str | None
    actor_user_id: Id | None
    at: datetime


class ManagedCategory(Category):
    status: str
    allowed_actions: list[str]
    created_at: datetime
    updated_at: datetime
    history: list[CategoryChange] = []
