"""The region's managed category list: created, renamed, retired and reinstated by its
operator; products and brands may only take active categories."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.categories.models import Category, CategoryChange
from services.catalog.categories.repository import CategoryRepository
from services.catalog.categories.rules import CATEGORY_MACHINE, category_errors, renamed
from services.catalog.categories.schemas import CategoryCreate, CategoryUpdate
from services.catalog.listing import refresh_listing
from services.catalog.problems import CATEGORY_EXISTS, CATEGORY_INVALID
from services.catalog.products.repository import ProductRepository
from shared.auth.access import ensure_operator_of
from shared.auth.principal import Principal
from shared.auth.roles import OPERATOR_WRITE_ROLES
from shared.errors import Conflict, FieldError, NotFound, RuleViolation

CATEGORY_ROLES = OPERATOR_WRITE_ROLES


@dataclass
class CategoryDetail:
    """A category as its operator sees it: its changes and its products on sale."""

    category: Category
    history: list[CategoryChange]
    products: int


async def _detail(session: AsyncSession, category: Category) -> CategoryDetail:
    repo = CategoryRepository(session)
    counts = await repo.on_sale_counts(category.region_id)
    return CategoryDetail(category, await repo.changes(category.id), counts.get(category.name, 0))


async def check_categories(
    session: AsyncSession,
    region_id: uuid.UUID,
    field: str,
    names: list[str],
    *,
    kept: Collection[str] = (),
    indexed: bool = False,
) -> None:
    """422 naming the field unless every name is an active category of the region."""
    statuses = await CategoryRepository(session).lock_named(region_id, list(dict.fromkeys(names)))
    active = {n for n, s in statuses.items() if s == "active"}
    retired = {n for n, s in statuses.items() if s != "active"}
    errors = category_errors(field, names, active, retired, kept=kept, indexed=indexed)
    if errors:
        raise RuleViolation(
            "Choose from the region's active categories", code=CATEGORY_INVALID, errors=errors
        )


async def category_statuses(session: AsyncSession, region_id: uuid.UUID) -> dict[str, str]:
    """name -> status of every category of the region (to check many rows at once)."""
    return await CategoryRepository(session).statuses(region_id)


def _record(
    session: AsyncSession,
    category: Category,
    principal: Principal,
    action: str,
    *,
    from_name: str | None = None,
    from_status: str | None = None,
    reason: str | None = None,
) -> None:
    session.add(
        CategoryChange(
            category_id=category.id,
            action=action,
            from_name=from_name,
            to_name=category.name,
            from_status=from_status,
            to_status=category.status,
            reason=reason,
            actor_user_id=principal.user_id,
        )
    )


async def _ensure_name_free(
    repo: CategoryRepository, region_id: uuid.UUID, name: str, own_id: uuid.UUID | None = None
) -> None:
    other = await repo.named(region_id, name)
    if other is not None and other.id != own_id:
        raise Conflict(
            f"The region already has the category {name} ({other.status})",
            code=CATEGORY_EXISTS,
            errors=[FieldError("name", "taken", "taken")],
            extra={"category_id": str(other.id), "status": other.status},
        )


async def create_category(
    session: AsyncSession, principal: Principal, data: CategoryCreate
) -> CategoryDetail:
    ensure_operator_of(principal, data.region_id, CATEGORY_ROLES)
    repo = CategoryRepository(session)
    await _ensure_name_free(repo, data.region_id, data.name)
    category = Category(
        id=uuid.uuid4(),
        region_id=data.region_id,
        name=data.name,
        position=data.position,
        status="active",
        created_by=principal.user_id,
    )
    repo.add(category)
    _record(session, category, principal, "create")
    await repo.flush()
    return await _detail(session, category)


async def _managed(
    session: AsyncSession, principal: Principal, category_id: uuid.UUID, *, lock: bool = False
) -> Category:
    category = await CategoryRepository(session).get(category_id, lock=lock)
    if category is None:
        raise NotFound("No such category")
    ensure_operator_of(principal, category.region_id, CATEGORY_ROLES)
    return category


async def get_category(
    session: AsyncSession, principal: Principal, category_id: uuid.UUID
) -> CategoryDetail:
    return await _detail(session, await _managed(session, principal, category_id))


async def update_category(
    session: AsyncSession, principal: Principal, category_id: uuid.UUID, data: CategoryUpdate
) -> CategoryDetail:
    category = await _managed(session, principal, category_id, lock=True)
    repo = CategoryRepository(session)
    category.position = data.position
    if data.name != category.name:
        await _ensure_name_free(repo, category.region_id, data.name, category.id)
        old = category.name
        category.name = data.name
        _record(session, category, principal, "rename", from_name=old, from_status=category.status)
        await repo.flush()
        await _carry_rename(session, category.region_id, old, data.name)
    await repo.flush()
    return await _detail(session, category)


async def _carry_rename(session: AsyncSession, region_id: uuid.UUID, old: str, new: str) -> None:
    """Products and brands name categories: rewrite them, and republish what is on sale so
    the search index and the repository's read model follow."""
    repo = CategoryRepository(session)
    moved = await repo.products_in(region_id, old)
    await repo.move_products(region_id, old, new)
    for brand in await repo.brands_naming(region_id, old):
        brand.categories = renamed(list(brand.categories), old, new)
    products = ProductRepository(session)
    for product in await products.by_ids(moved):
        if product.on_sale:
            await refresh_listing(session, product, reason="category_renamed", content_changed=True)


async def category_action(
    session: AsyncSession,
    principal: Principal,
    category_id: uuid.UUID,
    action: str,
    reason: str | None,
) -> CategoryDetail:
    """retire / reinstate through the table; products already in it keep it."""
    category = await _managed(session, principal, category_id, lock=True)
    source = category.status
    await CATEGORY_MACHINE.apply(
        session, category, action, actor_id=principal.user_id, reason=reason
    )
    _record(session, category, principal, action, from_status=source, reason=reason)
    await session.flush()
    return await _detail(session, category)


async def public_categories(
    session: AsyncSession, region_id: uuid.UUID
) -> tuple[list[Category], dict[str, int]]:
    """The active categories of a county, for the apps' filter, with products on sale."""
    repo = CategoryRepository(session)
    return await repo.of_region(region_id, "active"), await repo.on_sale_counts(region_id)


async def managed_categories(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, status: str | None
) -> tuple[list[Category], dict[str, int]]:
    ensure_operator_of(principal, region_id)
    repo = CategoryRepository(session)
    return await repo.of_region(region_id, status), await repo.on_sale_counts(region_id)
