"""Alembic glue: each service migrates its own schema, with its version table inside it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.dialects import postgresql
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


# ---------------------------------------------------------------- kernel tables
#
# Every service keeps the same kernel tables in its own schema (shared.db.ServiceKernel):
# outbox, inbox, idempotency_keys (each service's initial migration) and status_changes,
# dead_letters (added later). Their migrations call these helpers instead of repeating the
# DDL. The DDL is frozen here as those migrations created it: a later change to a kernel
# table is a new migration in every service (a new helper here), never an edit of these.

KERNEL_INITIAL_TABLES = ("idempotency_keys", "inbox", "outbox")
KERNEL_HISTORY_TABLES = ("dead_letters", "status_changes")


def _jsonb() -> Any:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _now_column(name: str) -> sa.Column[Any]:
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def _create_idempotency_keys(schema: str) -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("response_headers", _jsonb(), nullable=True),
        _now_column("created_at"),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idempotency_keys")),
        schema=schema,
    )


def _create_inbox(schema: str) -> None:
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        _now_column("received_at"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_inbox")),
        schema=schema,
    )


def _create_outbox(schema: str) -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=True),
        sa.Column("payload", _jsonb(), nullable=False),
        _now_column("created_at"),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
        schema=schema,
    )
    op.create_index(
        op.f(f"ix_{schema}_outbox_published_at"),
        "outbox",
        ["published_at"],
        unique=False,
        schema=schema,
    )


def _drop_outbox(schema: str) -> None:
    op.drop_index(op.f(f"ix_{schema}_outbox_published_at"), table_name="outbox", schema=schema)
    op.drop_table("outbox", schema=schema)


def _create_dead_letters(schema: str) -> None:
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("consumer", sa.String(length=60), nullable=False),
        sa.Column("event", _jsonb(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="1", nullable=False),
        _now_column("first_failed_at"),
        _now_column("last_failed_at"),
        sa.Column("retried_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
        sa.UniqueConstraint("event_id", "consumer", name=op.f("uq_dead_letters_event_id_consumer")),
        schema=schema,
    )


def _create_status_changes(schema: str) -> None:
    op.create_table(
        "status_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("machine", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("from_state", sa.String(length=40), nullable=False),
        sa.Column("to_state", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("data", _jsonb(), nullable=True),
        _now_column("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
        schema=schema,
    )
    op.create_index(
        "ix_status_changes_machine_entity",
        "status_changes",
        ["machine", "entity_id"],
        unique=False,
        schema=schema,
    )


def _drop_status_changes(schema: str) -> None:
    op.drop_index("ix_status_changes_machine_entity", table_name="status_changes", schema=schema)
    op.drop_table("status_changes", schema=schema)


_CREATE: dict[str, Callable[[str], None]] = {
    "idempotency_keys": _create_idempotency_keys,
    "inbox": _create_inbox,
    "outbox": _create_outbox,
    "dead_letters": _create_dead_letters,
    "status_changes": _create_status_changes,
}
_DROP: dict[str, Callable[[str], None]] = {
    "outbox": _drop_outbox,
    "status_changes": _drop_status_changes,
}


def create_kernel_tables(schema: str, tables: Iterable[str]) -> None:
    """In a migration's upgrade(): create these kernel tables (with their indexes) in `schema`."""
    for name in tables:
        _CREATE[name](schema)


def drop_kernel_tables(schema: str, tables: Iterable[str]) -> None:
    """In a migration's downgrade(): drop these kernel tables (and their indexes)."""
    for name in tables:
        drop = _DROP.get(name)
        if drop is not None:
            drop(schema)
        else:
            op.drop_table(name, schema=schema)
