"""`./dev up`'s shortcuts: on a second start the migration check it trusts instead of running
alembic, against alembic itself and the run's migrated database; on a first start the schema
snapshots it loads instead of running the migrations, against what the migrations build."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from gateway.__main__ import migration_heads, pending_migrations
from gateway.services import installed_services
from shared.migrations import alembic_config, has_migrations
from shared.schema_snapshot import (
    build_snapshot_texts,
    current_snapshot,
    dump_schema,
    load_snapshots,
    scratch_database,
    snapshot_path,
)
from shared.settings import get_settings

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


def test_every_schema_snapshot_is_built_from_the_migrations_as_they_are() -> None:
    stale = [service for service in SERVICES if current_snapshot(service) is None]
    assert not stale, (
        f"{', '.join(stale)}: the migrations changed since schema.sql was built; "
        "`./dev migrate --snapshot` builds it anew (until then a first `./dev up` migrates "
        "those services through alembic)"
    )


def test_a_schema_snapshot_builds_what_the_migrations_build() -> None:
    url = get_settings().database_url
    # the migrations on an empty database, dumped (and reloaded once: see schema_snapshot)
    built = build_snapshot_texts(url, SERVICES)
    for service in SERVICES:
        assert built[service] == snapshot_path(service).read_text(), service
    # what `up` loads into an empty database is what the snapshot says, to the last index
    database, drop = scratch_database(url)
    try:
        assert sorted(load_snapshots(SERVICES, lambda _name: database)) == sorted(SERVICES)
        assert load_snapshots(SERVICES, lambda _name: database) == []  # there: left alone
        for service in SERVICES:
            assert dump_schema(database, service) == current_snapshot(service), service
    finally:
        drop()
