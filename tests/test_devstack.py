"""shared.devstack provisions real local servers; these tests talk to them (no mocks).

The shared instances (.local/) are reused, never stopped, here: other runs may use them.
Stopping is tested on an instance of our own, under a temporary LOCAL_DIR.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import asyncpg
import psutil
import pytest
import redis
import stripe

from shared import devstack
from shared.settings import REPO_ROOT

VARIABLES = ("DATABASE_URL", "REDIS_URL", "MEILI_URL", "MEILI_MASTER_KEY", "STRIPE_API_BASE")


@pytest.fixture(autouse=True)
def _no_service_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _get_json(url: str, key: str | None = None) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return json.loads(r.read())


def test_variables_that_are_set_are_returned_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    given = {
        "DATABASE_URL": "postgresql+asyncpg://u:p@db.example:5432/x",
        "REDIS_URL": "redis://cache.example:6379/3",
        "MEILI_URL": "http://search.example:7700",
        "MEILI_MASTER_KEY": "k" * 20,
        "STRIPE_API_BASE": "http://stripe.example",
    }
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    assert devstack.ensure_all() == given


def test_redis_answers_ping_and_is_reused() -> None:
    url = devstack.ensure_redis()
    assert url.startswith("redis://127.0.0.1:") and not url.startswith("redis://127.0.0.1:6379/")
    assert redis.Redis.from_url(url).ping()
    assert devstack.ensure_redis() == url
    assert devstack.STATUS["redis"].startswith("reused pid")


def test_private_redis_is_fresh_and_stops() -> None:
    url, stop = devstack.start_private_redis()
    client = redis.Redis.from_url(url)
    assert client.ping()
    assert client.dbsize() == 0
    assert url != devstack.ensure_redis()
    stop()
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    stop()  # a second stop is harmless


def test_meilisearch_is_healthy_and_runs_the_verified_binary() -> None:
    url, key = devstack.ensure_meilisearch()
    assert _get_json(f"{url}/health") == {"status": "available"}
    assert _get_json(f"{url}/version", key)["pkgVersion"] == "1.21.0"
    binary = devstack.meili_binary_path()
    assert devstack.file_sha256(binary) == devstack.MEILI_BINARY_SHA256
    pid = int((devstack.LOCAL_DIR / "run" / "meilisearch.pid").read_text())
    assert Path(psutil.Process(pid).exe()) == binary.resolve()
    assert devstack.ensure_meilisearch() == (url, key)


def test_a_binary_with_another_checksum_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "meilisearch"
    fake.write_bytes(b"#!/bin/sh\necho not meilisearch\n")
    with pytest.raises(devstack.DevstackError, match="refusing to run"):
        devstack.verify_sha256(fake, devstack.MEILI_BINARY_SHA256)


def test_localstripe_creates_a_payment_intent(monkeypatch: pytest.MonkeyPatch) -> None:
    base = devstack.ensure_localstripe()
    monkeypatch.setattr(stripe, "api_base", base)
    intent = stripe.PaymentIntent.create(
        amount=1000, currency="cny", payment_method_types=["card"], api_key="sk_test_x"
    )
    assert intent.id.startswith("pi_")
    assert (intent.amount, intent.currency) == (1000, "cny")
    again = stripe.PaymentIntent.retrieve(intent.id, api_key="sk_test_x")
    assert again.id == intent.id


def test_postgres_url_works_with_asyncpg_and_sqlalchemy() -> None:
    url = devstack.ensure_postgres()
    assert url.startswith("postgresql+asyncpg://") and ":5432/" not in url

    async def query() -> tuple[object, object]:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            return await conn.fetchval("SELECT 1"), await conn.fetchval("SELECT current_database()")
        finally:
            await conn.close()

    assert asyncio.run(query()) == (1, "county")

    async def via_sqlalchemy() -> object:
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                return (await conn.execute(text("SELECT 1"))).scalar_one()
        finally:
            await engine.dispose()

    assert asyncio.run(via_sqlalchemy()) == 1
    assert devstack.ensure_postgres() == url


def test_ensure_all_gives_every_variable() -> None:
    env = devstack.ensure_all()
    assert sorted(env) == sorted(VARIABLES)
    assert env["DATABASE_URL"] == devstack.ensure_postgres()


def test_a_server_outlives_its_starter_and_stop_all_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "local"
    starter = (
        "import sys; from pathlib import Path; from shared import devstack; "
        "devstack.LOCAL_DIR = Path(sys.argv[1]); print(devstack.ensure_redis())"
    )
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    done = subprocess.run(
        [sys.executable, "-c", starter, str(local)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    url = done.stdout.strip()
    assert redis.Redis.from_url(url).ping()  # the starter has exited

    monkeypatch.setattr(devstack, "LOCAL_DIR", local)
    assert devstack.ensure_redis() == url
    assert devstack.STATUS["redis"].startswith("reused pid")
    assert devstack.stop_all() == ["redis"]
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    assert devstack.stop_all() == []


def test_a_folder_in_a_private_home_is_out_of_reach_of_the_postgres_user():
    import pwd
    import shutil
    import tempfile

    from shared.devstack import reachable_by

    other = pwd.struct_passwd(("pgserver", "x", 4242, 4242, "", "/", "/usr/sbin/nologin"))
    top = Path(tempfile.mkdtemp(prefix="county-reach-"))  # pytest's tmp_path is itself 0700
    top.chmod(0o755)
    home = top / "home"
    data = home / "clone" / ".local"
    data.mkdir(parents=True)
    home.chmod(0o700)  # root's home: only its owner may enter
    try:
        assert not reachable_by(data, other)
        home.chmod(0o755)
        assert reachable_by(data, other)
    finally:
        home.chmod(0o755)
        shutil.rmtree(top)
