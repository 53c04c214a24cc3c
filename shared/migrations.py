"""Alembic glue: each service migrates its own schema, with its version table inside it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.settings import REPO_ROOT, get_settings


def alembic_config(service: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(REPO_ROOT / "services" / service / "migrations"))
    config.set_main_option("sqlalchemy.url", get_settings().database_url_for(service))
    config.attributes["service"] = service
    return config


def upgrade(service: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service), revision)


def autogenerate(service: str, message: str) -> None:
    command.revision(alembic_config(service), message=message, autogenerate=True)


def has_migrations(service: str) -> bool:
    return any((REPO_ROOT / "services" / service / "migrations" / "versions").glob("*.py"))


def run_env(metadata: MetaData, schema: str) -> None:
    """Body of every service's migrations/env.py."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    assert url

    def include_name(name: str | None, type_: str, parent_names: object) -> bool:
        if type_ == "schema":
            return name == schema
        return True

    def do_run(connection: Connection) -> None:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=include_name,
            compare_type=True,
        )
        with context.begin_transaction():
            # One migrator at a time per schema (replicas may start together).
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": schema})
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, version_table_schema=schema)
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(run_async())


SCRIPT_TEMPLATE = Path(__file__).with_name("migration_script.py.mako")
