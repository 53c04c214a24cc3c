"""`./dev up`'s shortcuts on a second start: the migration check it trusts instead of running
alembic, against alembic itself and the run's migrated database."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from gateway.__main__ import migration_heads, pending_migrations
from gateway.services import installed_services
from shared.migrations import alembic_config, has_migrations

SERVICES = [name for name in installed_services() if has_migrations(name)]


@pytest.mark.parametrize("service", SERVICES)
def test_the_heads_read_from_the_files_are_alembics(service: str) -> None:
    heads = ScriptDirectory.from_config(alembic_config(service)).get_heads()
    assert migration_heads(service) == set(heads)


def test_a_migrated_database_has_nothing_pending_and_an_empty_one_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert pending_migrations() == []
    for service in SERVICES:  # a service database that does not exist: all of them pending
        monkeypatch.setenv(
            f"{service.upper()}_DATABASE_URL",
            "postgresql+asyncpg://postgres@127.0.0.1:1/none",
        )
    assert pending_migrations() == SERVICES
