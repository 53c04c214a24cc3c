"""Async SQLAlchemy: one declarative base per service schema, engines cached per URL and loop."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Identity,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.settings import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class TimestampedMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


@dataclass(frozen=True)
class ServiceKernel:
    """The tables every service keeps in its own schema: outbox, inbox and idempotency keys."""

    name: str
    metadata: MetaData
    outbox: Table
    inbox: Table
    idempotency: Table

    @classmethod
    def create(cls, name: str, metadata: MetaData) -> ServiceKernel:
        outbox = Table(
            "outbox",
            metadata,
            Column("seq", BigInteger, Identity(), primary_key=True),
            Column("event_id", Uuid, nullable=False, unique=True),
            Column("event_type", String(120), nullable=False),
            Column("region_id", Uuid, nullable=True),
            Column("payload", JSONType, nullable=False),
            Column(
                "created_at", DateTime(timezone=True), nullable=False, server_default=func.now()
            ),
            Column("published_at", DateTime(timezone=True), nullable=True, index=True),
            Column("attempts", Integer, nullable=False, server_default="0"),
        )
        inbox = Table(
            "inbox",
            metadata,
            Column("event_id", Uuid, primary_key=True),
            Column("event_type", String(120), nullable=False),
            Column(
                "received_at", DateTime(timezone=True), nullable=False, server_default=func.now()
            ),
        )
        idempotency = Table(
            "idempotency_keys",
            metadata,
            Column("scope", String(200), primary_key=True),
            Column("key", String(200), primary_key=True),
            Column("request_hash", String(64), nullable=False),
            Column("status_code", Integer, nullable=True),
            Column("response_body", LargeBinary, nullable=True),
            Column("response_headers", JSONType, nullable=True),
            Column(
                "created_at", DateTime(timezone=True), nullable=False, server_default=func.now()
            ),
        )
        return cls(name, metadata, outbox, inbox, idempotency)


def make_base(schema: str) -> type[DeclarativeBase]:
    """A declarative base whose tables live in the service's own PostgreSQL schema."""

    class Base(DeclarativeBase):
        metadata = MetaData(schema=schema, naming_convention=NAMING_CONVENTION)
        type_annotation_map = {dict[str, Any]: JSONType, list[Any]: JSONType}

    Base.__name__ = f"{schema.capitalize()}Base"
    return Base


# Engines are per event loop (asyncpg connections cannot cross loops), then per URL. Keyed
# by the loop object itself, weakly, so a closed loop's engines go with it.
_engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, AsyncEngine]] = (
    weakref.WeakKeyDictionary()
)


def get_engine(url: str | None = None) -> AsyncEngine:
    url = url or get_settings().database_url
    per_loop = _engines.setdefault(asyncio.get_running_loop(), {})
    engine = per_loop.get(url)
    if engine is None:
        settings = get_settings()
        engine = create_async_engine(
            url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_pool_size,
            pool_pre_ping=True,
            pool_timeout=30,
            connect_args={"timeout": 5, "command_timeout": 60},
        )
        per_loop[url] = engine
    return engine


def sessionmaker_for(kernel: ServiceKernel) -> async_sessionmaker[AsyncSession]:
    settings = get_settings()
    engine = get_engine(settings.database_url_for(kernel.name))
    return async_sessionmaker(engine, expire_on_commit=False, info={"kernel": kernel})


def kernel_of(session: AsyncSession) -> ServiceKernel:
    kernel = session.info.get("kernel")
    if kernel is None:
        raise RuntimeError("session was not opened through sessionmaker_for(kernel)")
    return kernel


async def dispose_engines() -> None:
    """Dispose of the running loop's engines (at shutdown)."""
    per_loop = _engines.pop(asyncio.get_running_loop(), {})
    for engine in per_loop.values():
        await engine.dispose()


def text_column(**kwargs: Any) -> Any:
    return mapped_column(Text, **kwargs)


# Serialization failure, deadlock detected, lock not available (lock_timeout): the
# transaction lost a race with another one and may simply be tried again.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_transient_conflict(exc: BaseException) -> bool:
    """A database error that means "retry", not "bug"."""
    return sqlstate_of(exc) in TRANSIENT_SQLSTATES


def sqlstate_of(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    for candidate in (orig, getattr(orig, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if code:
            return str(code)
    return None
