"""A service's schema as its migrations build it on an empty database, kept beside them in
`services/<svc>/migrations/schema.sql`.

`./dev up` loads it into a database that has no schema of that service yet: one script on
one connection per service, all services at once, where alembic would run the whole chain
of every service one after another (~2 s of Python and ~1,000 statements, each its own
round trip — the longest step of a first start). It is the chain's own output: built by
running the migrations on a scratch database and dumping the schema with pg_dump
(`./dev migrate --snapshot`). Its first line is the sha256 of the files that output
depends on (the service's migrations, its env.py, shared/migrations.py); a snapshot whose
line differs is stale and is not used (alembic migrates that service), and
tests/test_first_run.py fails until it is built anew. The same test proves a snapshot
equal to the chain: alembic's schema, dumped and loaded once, dumps as the snapshot, and
the snapshot, loaded, dumps as itself.

Only `up`'s embedded PostgreSQL (shared.devstack) gets a snapshot, the server the snapshots
are built and tested on: a migration may depend on the server (catalog's creates pg_trgm
where the server ships it, which the embedded one does not). A database that already has
the schema, or any other server, migrates through alembic.

Imports no alembic (the `up` process stays light): building a snapshot runs
`python -m gateway migrate` in a child.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

from shared.settings import REPO_ROOT

SNAPSHOT = "schema.sql"
HEADER = "-- migrations sha256 "


def snapshot_path(service: str) -> Path:
    return REPO_ROOT / "services" / service / "migrations" / SNAPSHOT


def migrations_digest(service: str) -> str:
    """What the schema the migrations build depends on: every migration file, env.py and
    the kernel tables' helpers in shared/migrations.py."""
    root = REPO_ROOT / "services" / service / "migrations"
    files = [*sorted((root / "versions").glob("*.py")), root / "env.py"]
    files.append(REPO_ROOT / "shared" / "migrations.py")
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def current_snapshot(service: str) -> str | None:
    """The service's snapshot script, or None when there is none or it is stale."""
    try:
        text = snapshot_path(service).read_text()
    except FileNotFoundError:
        return None
    first, _, script = text.partition("\n")
    return script if first == HEADER + migrations_digest(service) else None


def _plain(url: str) -> str:
    return url.replace("+asyncpg", "")


async def _load(url: str, service: str, script: str) -> bool:
    import asyncpg

    connection = await asyncpg.connect(_plain(url), timeout=10)
    try:
        async with connection.transaction():
            # the lock alembic's env takes (shared.migrations.run_env): one migrator a schema
            await connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", service)
            if await connection.fetchval("SELECT 1 FROM pg_namespace WHERE nspname = $1", service):
                return False
            await connection.execute(script)
        return True
    finally:
        await connection.close()


def load_snapshots(services: list[str], url_for: Callable[[str], str]) -> list[str]:
    """Load the current snapshot of each of `services` whose database lacks its schema, all
    at once; the services loaded (the others are left to alembic)."""
    scripts = {name: script for name in services if (script := current_snapshot(name))}

    async def load_all() -> list[str]:
        names = list(scripts)
        done = await asyncio.gather(*(_load(url_for(n), n, scripts[n]) for n in names))
        return [name for name, loaded in zip(names, done, strict=True) if loaded]

    return asyncio.run(load_all()) if scripts else []


# ---------------------------------------------------------------- building


def _pg_tool(name: str) -> str:
    from shared.devstack import _pg_bin

    return _pg_bin(name)


def _with_database(url: str, database: str) -> str:
    base, _, _old = _plain(url).rpartition("/")
    return f"{base}/{database}"


def _run(argv: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def dump_schema(url: str, service: str) -> str:
    """pg_dump of the service's schema (its rows too: alembic_version's), without what
    depends on who ran it (owners, grants) or on the pg_dump version's session header."""
    argv = [_pg_tool("pg_dump"), "--dbname", _plain(url), "--schema", service]
    argv += ["--no-owner", "--no-privileges", "--inserts", "--no-tablespaces"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    lines = _run(argv, env).splitlines()
    # psql meta-commands (\restrict of newer pg_dumps) are no SQL; the versions may differ
    kept = [line for line in lines if not line.startswith(("\\", "-- Dumped "))]
    return "\n".join(kept).strip() + "\n"


def scratch_database(url: str) -> tuple[str, Callable[[], None]]:
    """A new, empty database on the server of `url`, and a function that drops it."""
    import asyncpg

    name = f"county_snapshot_{uuid.uuid4().hex[:12]}"
    admin = _with_database(url, "postgres")

    async def execute(statement: str) -> None:
        connection = await asyncpg.connect(admin, timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(execute(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return _with_database(url, name), drop


def migrate_with_alembic(url: str, services: list[str]) -> None:
    """Run `python -m gateway migrate` for `services` against the database at `url`."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    env["DATABASE_URL"] = url.replace("postgresql://", "postgresql+asyncpg://", 1)
    argv = [sys.executable, "-m", "gateway", "migrate"]
    for service in services:
        argv += ["--service", service]
    _run(argv, env)


def load_scripts(url: str, scripts: dict[str, str]) -> None:
    """Run each service's script on the database at `url` (its schema must not exist)."""

    async def load_all() -> None:
        await asyncio.gather(*(_load(url, name, script) for name, script in scripts.items()))

    asyncio.run(load_all())


def build_snapshot_texts(url: str, services: list[str]) -> dict[str, str]:
    """Each service's snapshot (header and script) as its migrations build it now, on
    scratch databases of the server at `url`: alembic's schema, dumped, loaded into a
    second database and dumped again — pg_dump prints a few expressions (an `IN` list of
    a partial index) in a form that reads back as an equal but differently printed one;
    the second dump is the form that reloads as itself."""
    migrated, drop_migrated = scratch_database(url)
    try:
        migrate_with_alembic(migrated, services)
        first = {name: dump_schema(migrated, name) for name in services}
    finally:
        drop_migrated()
    reloaded, drop_reloaded = scratch_database(url)
    try:
        load_scripts(reloaded, first)
        return {
            name: f"{HEADER}{migrations_digest(name)}\n{dump_schema(reloaded, name)}"
            for name in services
        }
    finally:
        drop_reloaded()


def write_snapshots(url: str, services: list[str]) -> list[Path]:
    written = []
    for name, text in build_snapshot_texts(url, services).items():
        path = snapshot_path(name)
        path.write_text(text)
        written.append(path)
    return written
