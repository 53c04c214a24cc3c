"""Health and readiness: readiness turns false while the database is down, and back."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.factories import eventually


async def test_health_and_readiness_when_everything_is_up(client):
    r = await client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    r = await client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["checks"] == {"database": True, "broker": True}


async def test_metrics_are_exposed_for_prometheus(client):
    await client.get("/healthz")
    r = await client.get("/metrics")
    assert r.status_code == 200
    assert "http_requests_total" in r.text


@pytest.fixture
def private_postgres(monkeypatch):
    """A PostgreSQL server of its own (pgserver's binaries) that the test can stop and start."""
    import pgserver

    data = Path(tempfile.mkdtemp(prefix="pgr-", dir="/tmp"))

    def serve() -> None:
        # pgserver caches one handle per data folder; drop it so a stopped server starts again.
        pgserver.postgres_server.PostgresServer._instances.pop(data.resolve(), None)
        info = pgserver.get_server(data, cleanup_mode="stop").get_postmaster_info()
        url = f"postgresql+asyncpg://postgres@/postgres?host={info.socket_dir}"
        if info.port:
            url += f"&port={info.port}"
        monkeypatch.setenv("IDENTITY_DATABASE_URL", url)

    serve()
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl = str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl")

    def stop() -> None:
        subprocess.run(
            [pg_ctl, "-D", str(data), "stop", "-m", "immediate"],
            check=True,
            user=user,
            capture_output=True,
        )

    yield stop, serve
    try:
        stop()
    except subprocess.CalledProcessError:
        pass
    shutil.rmtree(data, ignore_errors=True)


async def test_readiness_is_false_while_the_database_is_stopped(client, private_postgres):
    stop, start = private_postgres
    assert (await client.get("/readyz")).status_code == 200
    stop()
    r = await client.get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["checks"]["database"] is False
    assert r.json()["checks"]["broker"] is True
    # Liveness does not depend on the database.
    assert (await client.get("/healthz")).status_code == 200
    start()

    async def ready() -> bool:
        return (await client.get("/readyz")).status_code == 200

    await eventually(ready, timeout=30, interval=0.5)
