"""Existing catalog data survives the managed categories: the migration seeds each region's
list from what its products and brands already name, and gives products their pinyin."""

from __future__ import annotations

import asyncio
import os
import uuid

import asyncpg
from alembic import command
from sqlalchemy.engine import make_url

from shared.migrations import alembic_config

BEFORE_CATEGORIES = "4fb3f640c679"
FENGQIU, OTHER = uuid.uuid4(), uuid.uuid4()


def _urls() -> tuple[str, str, str]:
    """(server admin DSN, scratch DSN for asyncpg, scratch URL for alembic)."""
    url = make_url(os.environ["DATABASE_URL"])
    name = f"catalog_seed_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres")
    scratch = url.set(database=name)
    return (
        admin.render_as_string(hide_password=False),
        scratch.set(drivername="postgresql").render_as_string(hide_password=False),
        scratch.render_as_string(hide_password=False),
    )


def _upgrade(url: str, revision: str) -> None:
    config = alembic_config("catalog")
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, revision)


async def _product(conn, region, name, category, pinyin=None) -> None:
    await conn.execute(
        """
        INSERT INTO catalog.products (id, region_id, supplier_id, name, category, pinyin,
            description, storage, attributes, channels, status, review_reasons,
            certificate_kinds, certificate_hold, on_sale, version)
        VALUES ($1, $2, $3, $4, $5, $6, '', 'ambient', '{}', '[]', 'approved', '[]', '[]',
            false, true, 1)
        """,
        uuid.uuid4(),
        region,
        uuid.uuid4(),
        name,
        category,
        pinyin,
    )


async def _brand(conn, region, name, categories: str) -> None:
    await conn.execute(
        """
        INSERT INTO catalog.public_brands (id, region_id, name, story, vi_assets, categories,
            trademark_classes)
        VALUES ($1, $2, $3, '', '[]', $4::jsonb, '[]')
        """,
        uuid.uuid4(),
        region,
        name,
        categories,
    )


async def test_the_migration_seeds_categories_and_pinyin_from_existing_data():
    admin, dsn, url = _urls()
    name = make_url(url).database
    server = await asyncpg.connect(admin)
    await server.execute(f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(_upgrade, url, BEFORE_CATEGORIES)
        conn = await asyncpg.connect(dsn)
        try:
            await _product(conn, FENGQIU, "封丘金银花茶", "金银花")
            await _product(conn, FENGQIU, "五得利面粉", "粮油", pinyin="wudeli mianfen")
            await _product(conn, FENGQIU, "封丘金银花干花", "金银花")
            await _brand(conn, FENGQIU, "封丘树莓", '["树莓", "金银花"]')
            await _product(conn, OTHER, "封丘芹菜", "芹菜")
        finally:
            await conn.close()

        await asyncio.to_thread(_upgrade, url, "head")

        conn = await asyncpg.connect(dsn)
        try:
            rows = await conn.fetch(
                "SELECT region_id, name, status FROM catalog.categories ORDER BY name"
            )
            seeded = {(r["region_id"], r["name"], r["status"]) for r in rows}
            assert seeded == {
                (FENGQIU, "金银花", "active"),
                (FENGQIU, "粮油", "active"),
                (FENGQIU, "树莓", "active"),
                (OTHER, "芹菜", "active"),
            }
            changes = await conn.fetchval(
                "SELECT count(*) FROM catalog.category_changes WHERE action = 'create'"
            )
            assert changes == 4
            products = {
                r["name"]: (r["pinyin"], r["pinyin_initials"])
                for r in await conn.fetch(
                    "SELECT name, pinyin, pinyin_initials FROM catalog.products"
                )
            }
            assert products["封丘金银花茶"] == ("fengqiu jinyinhua cha", "fqjyhc")
            assert products["五得利面粉"][0] == "wudeli mianfen"  # the supplier's stays
            assert products["封丘芹菜"] == ("fengqiu qincai", "fqqc")
        finally:
            await conn.close()
    finally:
        await server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await server.close()
