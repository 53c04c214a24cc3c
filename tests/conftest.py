"""The test session: real PostgreSQL, Redis, Celery worker + beat, Meilisearch, localstripe.

Each run gets its own database, its own Redis (so its Celery queues are its own) and its
own Meilisearch index prefix; tests isolate from each other by creating their own region.
Variables that are set (DATABASE_URL, MEILI_URL, STRIPE_API_BASE, TEST_REDIS_URL) are used.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
RUN_ID = uuid.uuid4().hex[:8]
_state: dict[str, Any] = {}


def _database_for_run(server_url: str) -> str:
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"test_{RUN_ID}"
    admin = url.set(drivername="postgresql", database="postgres")

    async def create() -> None:
        conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    _state["drop_database"] = (admin.render_as_string(hide_password=False), name)
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_database() -> None:
    import asyncpg

    if "drop_database" not in _state:
        return
    admin, name = _state["drop_database"]

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    try:
        asyncio.run(drop())
    except Exception as exc:  # a leftover database is not a test failure
        print(f"could not drop {name}: {exc}", file=sys.stderr)


def _devstack() -> Any:
    from shared import devstack

    return devstack


def _provision() -> None:
    server = os.environ.get("DATABASE_URL") or _devstack().ensure_postgres()
    os.environ["DATABASE_URL"] = _database_for_run(server)
    if os.environ.get("TEST_REDIS_URL"):
        os.environ["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    else:
        url, stop = _devstack().start_private_redis()
        os.environ["REDIS_URL"] = url
        _state["stop_redis"] = stop
    if not os.environ.get("MEILI_URL"):
        os.environ["MEILI_URL"], os.environ["MEILI_MASTER_KEY"] = _devstack().ensure_meilisearch()
    os.environ["MEILI_INDEX_PREFIX"] = f"t{RUN_ID}_"
    if not os.environ.get("STRIPE_API_BASE"):
        os.environ["STRIPE_API_BASE"] = _devstack().ensure_localstripe()
    tmp = Path(tempfile.mkdtemp(prefix=f"county-test-{RUN_ID}-"))
    _state["tmp"] = tmp
    os.environ["ENVIRONMENT"] = "test"
    os.environ["STORAGE_DIR"] = str(tmp / "storage")
    os.environ["JWT_PRIVATE_KEY_FILE"] = str(tmp / "keys" / "jwt.pem")
    os.environ["LOG_JSON"] = "true"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The session's admin and county tokens outlive a slow run (15 min by default would
    # expire mid-suite on a loaded machine and fail every later test in its setup).
    os.environ.setdefault("ACCESS_TOKEN_MINUTES", "240")


def _migrate() -> None:
    subprocess.run([sys.executable, "-m", "gateway", "migrate"], cwd=REPO, check=True)


def _start_worker() -> None:
    from gateway.services import installed_services

    logs = REPO / ".local" / "test-logs"
    logs.mkdir(parents=True, exist_ok=True)
    queues = ",".join(installed_services())
    env = {**os.environ, "LOG_LEVEL": "INFO"}
    os.environ["COUNTY_TEST_WORKER_LOG"] = str(logs / f"worker-{RUN_ID}.log")
    worker_log = open(logs / f"worker-{RUN_ID}.log", "w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "gateway.worker",
            "worker",
            "-Q",
            queues,
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{RUN_ID}@%h",
            "-l",
            "INFO",
        ],
        cwd=REPO,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    beat_log = open(logs / f"beat-{RUN_ID}.log", "w")
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "gateway.worker",
            "beat",
            "-l",
            "INFO",
            "-s",
            str(_state["tmp"] / "celerybeat-schedule"),
        ],
        cwd=REPO,
        env=env,
        stdout=beat_log,
        stderr=subprocess.STDOUT,
    )
    _state["procs"] = [worker, beat]
    deadline = time.monotonic() + 60
    path = logs / f"worker-{RUN_ID}.log"
    while time.monotonic() < deadline:
        if "ready." in path.read_text(errors="replace"):
            return
        if worker.poll() is not None:
            raise RuntimeError("celery worker exited:\n" + path.read_text(errors="replace")[-3000:])
        time.sleep(0.3)
    raise RuntimeError("celery worker not ready within 60 s:\n" + path.read_text()[-3000:])


SPLIT = bool(os.environ.get("COUNTY_TEST_SPLIT"))


def _start_split() -> None:
    """Run mode 2: every service in its own processes and database, nginx in front; the
    tests' `client` talks to nginx like a mobile app would."""
    from gateway.split import SplitDeployment, service_database_urls

    prefix = f"test_{RUN_ID}"
    os.environ.update(service_database_urls(os.environ["DATABASE_URL"], prefix))
    _state["split_prefix"] = prefix
    deployment = SplitDeployment(env=dict(os.environ), run_dir=_state["tmp"] / "split")
    deployment.plan()
    deployment.migrate()
    deployment.start()
    os.environ["PUBLIC_BASE_URL"] = deployment.base_url
    os.environ["JWKS_URL"] = deployment.env["JWKS_URL"]
    _state["split"] = deployment


def _prepare_search() -> None:
    """Create the run's catalog index with its settings before the first test: a fresh
    Meilisearch otherwise answers the first searches with `index not found` while the
    worker's first indexing task is still queued."""
    from services.catalog.search.engine import ensure_index, forget_configuration

    async def prepare() -> None:
        await ensure_index(wait=True)

    try:
        asyncio.run(prepare())
    finally:
        forget_configuration()


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("COUNTY_TEST_NO_STACK"):
        return
    _provision()
    from shared.settings import reset_settings_cache

    reset_settings_cache()
    from shared.tasks import configure_celery

    configure_celery()
    if SPLIT:
        _start_split()
        reset_settings_cache()
        _prepare_search()
        return
    _migrate()
    _start_worker()
    _prepare_search()


def pytest_unconfigure(config: pytest.Config) -> None:
    if "split" in _state:
        _state["split"].stop()
        from gateway.split import drop_service_databases

        try:
            drop_service_databases(os.environ["DATABASE_URL"], _state["split_prefix"])
        except Exception as exc:  # a leftover database is not a test failure
            print(f"could not drop the split databases: {exc}", file=sys.stderr)
    for proc in _state.get("procs", []):
        proc.terminate()
    for proc in _state.get("procs", []):
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    if "stop_redis" in _state:
        _state["stop_redis"]()
    _drop_database()


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def app():
    from gateway.app import app as application

    return application


@pytest.fixture(scope="session")
def split_deployment() -> Any:
    """The split deployment of this run (only under COUNTY_TEST_SPLIT=1)."""
    if "split" not in _state:
        pytest.skip("runs only against the split deployment (COUNTY_TEST_SPLIT=1)")
    return _state["split"]


@pytest.fixture(scope="session")
async def client(request) -> AsyncIterator[httpx.AsyncClient]:
    if "split" in _state:
        base_url = _state["split"].base_url
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as c:
            yield c
        return
    transport = httpx.ASGITransport(app=request.getfixturevalue("app"))
    async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=60) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(request) -> Any:
    """The gateway app on a real port, for callers outside the process (e.g. webhooks);
    under the split deployment, its nginx."""
    if "split" in _state:
        yield _state["split"].base_url
        return
    app = request.getfixturevalue("app")
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
async def admin(client):
    """A platform administrator (bootstrapped the way `python -m gateway create-admin` does)."""
    from tests.factories import bootstrap_admin

    return await bootstrap_admin(client)


@pytest.fixture
async def county(client, admin):
    """A fresh region with its operator organisation and a signed-in operator admin."""
    from tests.factories import new_county

    return await new_county(client, admin)
